package io.xscore.trainer.training;

import ai.djl.nn.Parameter;
import java.time.Duration;
import java.util.Map;

/**
 * Writes the checkpoints of one run: at the end of every epoch, on a {@link StopRequest}, and within epochs every
 * {@code interval} (measured from the previous checkpoint of this run, or from its start; zero: never within an
 * epoch), so that a trainer killed hard loses at most about one interval of work.
 */
final class RunCheckpoints {

    private final CheckpointStore store;
    private final String jobId;
    private final String fingerprint;
    private final Map<String, Parameter> parameters;
    private final Adam adam;
    private final RunState state;
    private final long startedNanos;
    private final double wallBefore;
    private final long intervalNanos;
    private long lastWrite;

    /**
     * @param startedNanos {@link System#nanoTime()} at the start of this process's part of the run
     * @param wallBefore   wall seconds of the run in earlier processes (from the restored state)
     */
    RunCheckpoints(CheckpointStore store, String jobId, String fingerprint, Map<String, Parameter> parameters,
                   Adam adam, RunState state, long startedNanos, double wallBefore, Duration interval) {
        this.store = store;
        this.jobId = jobId;
        this.fingerprint = fingerprint;
        this.parameters = parameters;
        this.adam = adam;
        this.state = state;
        this.startedNanos = startedNanos;
        this.wallBefore = wallBefore;
        this.intervalNanos = interval == null || interval.isNegative() ? 0 : interval.toNanos();
        this.lastWrite = System.nanoTime();
    }

    /** Whether an in-epoch checkpoint is due (the interval has passed since the last one). */
    boolean due() {
        return intervalNanos > 0 && System.nanoTime() - lastWrite >= intervalNanos;
    }

    /** Writes the current state: every parameter, the optimiser state and a snapshot of the run state. */
    void write() {
        state.wallSeconds(wallBefore + (System.nanoTime() - startedNanos) / 1e9);
        store.save(new Checkpoint(jobId, fingerprint, TrainingLoop.export(parameters), adam.exportState(), state));
        lastWrite = System.nanoTime();
    }
}
