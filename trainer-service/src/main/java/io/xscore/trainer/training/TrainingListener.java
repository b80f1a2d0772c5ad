package io.xscore.trainer.training;

/** Observes a training run; the Kafka layer turns these calls into {@code TrainingProgress} records and metrics. */
public interface TrainingListener {

    /** @param parameterCount trainable parameters of the built model */
    default void onStart(long parameterCount, int trainImages, int testImages, int resolution) {
    }

    /** After each completed epoch. */
    default void onEpoch(EpochStats stats) {
    }

    /** Periodically within an epoch; {@code epoch} is the 0-based epoch in progress. */
    default void onHeartbeat(int epoch, int step, int steps, double runningLoss, double imagesPerSecond,
                             double etaSeconds) {
    }

    /** After each optimiser step, with its wall time. */
    default void onStep(double seconds) {
    }

    /** When a run continues from a checkpoint after {@code epochsDone} complete epochs. */
    default void onResume(int epochsDone) {
    }

    /** After each epoch's checkpoint has been written. */
    default void onCheckpoint(int epochsDone) {
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
