package io.xscore.trainer.training;

/** Observes a training run; the Kafka layer turns these calls into {@code TrainingProgress} records and metrics. */
public interface TrainingListener {

    /** @param parameterCount trainable parameters of the built model */
    default void onStart(long parameterCount, int trainImages, int testImages, int resolution) {
    }

    /** After each completed epoch. */
    default void onEpoch(EpochStats stats) {
    }

    /**
     * While the robustness suites run on the final weights: {@code done} of {@code total} perturbations measured (the
     * job is alive; its epochs are over).
     */
    default void onRobustness(int done, int total, double etaSeconds) {
    }

    /** Periodically within an epoch; {@code epoch} is the 0-based epoch in progress. */
    default void onHeartbeat(int epoch, int step, int steps, double runningLoss, double imagesPerSecond,
                             double etaSeconds) {
    }

    /** After each optimiser step, with its wall time (before the step's stop check and periodic checkpoint). */
    default void onStep(double seconds) {
    }

    /**
     * When a run continues from a checkpoint after {@code epochsDone} complete epochs (a checkpoint written inside
     * an epoch also calls {@link #onResume(int, int)}).
     */
    default void onResume(int epochsDone) {
    }

    /**
     * When a run continues from a checkpoint: at 0-based {@code epoch}, of which {@code batch} batches are done (0 for
     * a checkpoint at an epoch boundary). Called after {@link #onResume(int)}.
     */
    default void onResume(int epoch, int batch) {
    }

    /** After each epoch's checkpoint has been written. */
    default void onCheckpoint(int epochsDone) {
    }

    /**
     * After a periodic checkpoint inside an epoch ({@code xscore.trainer.checkpoint-interval}) has been written:
     * 0-based {@code epoch}, {@code batch} batches of it done.
     */
    default void onBatchCheckpoint(int epoch, int batch) {
    }

    /**
     * Polled before every training step and evaluation batch: a non-null answer stops the run at once with a
     * {@link TrainingCancelledException} carrying it as detail (an empty string for no detail).
     */
    default String cancellation() {
        return null;
    }

    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * @param epoch completed epochs (1-based)
     * @param trainAccuracy percent, against each mixed sample's dominant label
     * @param testAccuracy  percent
     */
    record EpochStats(int epoch, int epochs, double learningRate, double trainLoss, double trainAccuracy,
                      double testAccuracy, double imagesPerSecond, double epochSeconds, double etaSeconds) {
    }
}
