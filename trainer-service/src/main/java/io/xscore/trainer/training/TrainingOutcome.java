package io.xscore.trainer.training;

import java.util.List;

/**
 * The result of a finished run. {@code testAccuracy} is the last epoch's (never a selected one).
 *
 * @param trainLosses mean training loss of each epoch
 */
public record TrainingOutcome(long parameterCount, double testAccuracy, List<Double> epochTestAccuracies,
                              List<Double> trainLosses, double finalTrainLoss, double wallSeconds,
                              double trainImagesPerSecond, int trainImages, int testImages, int resolution) {
}
