package io.xscore.trainer.training;

/**
 * Asks a running {@link TrainingLoop} to stop gracefully (SIGTERM, Kubernetes eviction, a rebalance taking the job
 * away): the loop finishes the batch in progress, writes an in-epoch checkpoint and throws
 * {@link TrainingSuspendedException}, so that the next trainer continues exactly where this one stopped. Thread-safe:
 * set from any thread, polled by the loop after every optimiser step. Once requested it stays requested.
 *
 * <p>{@link #abandon()} stops the run the same way but writes no checkpoint: the trainer lost the job (its acquisition
 * lock expired while it stalled), so another trainer may already be training it and owns its checkpoints.
 */
public final class StopRequest {

    private volatile boolean requested;
    private volatile boolean abandoned;

    /** Asks the run to stop after its current batch. Idempotent. */
    public void request() {
        requested = true;
    }

    public boolean isRequested() {
        return requested;
    }

    /** Asks the run to stop after its current batch without writing a checkpoint (the job is no longer ours). */
    public void abandon() {
        abandoned = true;
        requested = true;
    }

    /** True when the run must stop without checkpointing. */
    public boolean isAbandoned() {
        return abandoned;
    }

    @Override
    public String toString() {
        return abandoned ? "StopRequest[abandoned]" : requested ? "StopRequest[requested]" : "StopRequest[not requested]";
    }
}
