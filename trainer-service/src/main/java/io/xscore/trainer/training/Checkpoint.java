package io.xscore.trainer.training;

import java.util.List;
import java.util.Map;

/**
 * The state of a run at a batch boundary, possibly inside an epoch: every parameter of the model (trainable weights
 * and BatchNorm running statistics) by name, the optimiser state (Adam moments and step) and the {@link RunState}
 * (position, per-epoch history, running metrics of the epoch in progress, timings).
 *
 * <p>No RNG state is stored, because every generator is re-creatable from the position: the data order and CutMix
 * generators of epoch e are derived from (job seed, e) at the start of the epoch (a resumed run replays the CutMix
 * draws of the batches already done), each image's augmentation from (job seed, e, image index), RandomErasing from
 * (job seed, e, position in the epoch), and the engine (PyTorch) generator, used by dropout and stochastic depth, is
 * re-seeded from (job seed, e, batch) before every batch. So a resumed run draws exactly what a straight run draws.
 *
 * @param fingerprint identifies job, model, dataset, seed, resolved protocol and data sizes; a checkpoint whose
 *                    fingerprint differs from the job's is ignored
 */
public record Checkpoint(String jobId, String fingerprint, Map<String, float[]> parameters, Adam.State optimizer,
                         RunState state) {

    public Checkpoint {
        state = state.snapshot();
    }

    /** A checkpoint at the end of epoch {@code epochsDone} (the form of the per-epoch checkpoints). */
    public Checkpoint(String jobId, String fingerprint, int epochsDone, Map<String, float[]> parameters,
                      Adam.State optimizer, List<Double> trainLosses, List<Double> trainAccuracies,
                      List<Double> testAccuracies, double trainSeconds, long trainImagesSeen,
                      double epochSecondsSum, double wallSeconds) {
        this(jobId, fingerprint, parameters, optimizer, new RunState(epochsDone, 0, trainLosses, trainAccuracies,
                testAccuracies, trainSeconds, trainImagesSeen, epochSecondsSum, wallSeconds, 0, 0, 0, 0));
    }

    /** The stored state (a copy: the checkpoint stays as written). */
    @Override
    public RunState state() {
        return state.snapshot();
    }

    /** Complete epochs. */
    public int epochsDone() {
        return state.epochsDone();
    }

    /** 0-based epoch in progress (= {@link #epochsDone()}). */
    public int epoch() {
        return state.epoch();
    }

    /** Batches of {@link #epoch()} done (0 for a checkpoint at an epoch boundary). */
    public int batch() {
        return state.batch();
    }

    public List<Double> trainLosses() {
        return state.trainLosses();
    }

    public List<Double> trainAccuracies() {
        return state.trainAccuracies();
    }

    public List<Double> testAccuracies() {
        return state.testAccuracies();
    }

    public double trainSeconds() {
        return state.trainSeconds();
    }

    public long trainImagesSeen() {
        return state.trainImagesSeen();
    }

    public double epochSecondsSum() {
        return state.epochSecondsSum();
    }

    public double wallSeconds() {
        return state.wallSeconds();
    }
}
