package io.xscore.trainer.training;

import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.TrainingResult;
import java.util.List;

/**
 * The result of a finished run. {@code testAccuracy} is the last epoch's (never a selected one).
 *
 * @param trainLosses      mean training loss of each epoch
 * @param augmentation     the pipeline that ran (e.g. "paper/cifar100: RandomResizedCrop... + RandomErasing(0.25)")
 * @param resumedFromEpoch complete epochs restored from a checkpoint (0 for a fresh run)
 * @param phases           time split of the steps run by this process
 * @param augmentationSource where this run's augmented images came from (trainer or augmentation cache)
 * @param trainAccuracies  training accuracy (percent, against each mixed sample's dominant label) of each epoch
 * @param resumedAt        where this process continued from a checkpoint ("epoch 2, batch 40"), null for a fresh run
 * @param robustness       the robustness suites' accuracies on the final weights, null when the job runs none
 */
public record TrainingOutcome(long parameterCount, double testAccuracy, List<Double> epochTestAccuracies,
                              List<Double> trainLosses, double finalTrainLoss, double wallSeconds,
                              double trainImagesPerSecond, int trainImages, int testImages, int resolution,
                              String augmentation, int resumedFromEpoch, PhaseTimes phases,
                              TrainingResult.AugmentationRecord augmentationSource, List<Double> trainAccuracies,
                              String resumedAt, RobustnessReport robustness) {

    /** Without robustness suites. */
    public TrainingOutcome(long parameterCount, double testAccuracy, List<Double> epochTestAccuracies,
                           List<Double> trainLosses, double finalTrainLoss, double wallSeconds,
                           double trainImagesPerSecond, int trainImages, int testImages, int resolution,
                           String augmentation, int resumedFromEpoch, PhaseTimes phases,
                           TrainingResult.AugmentationRecord augmentationSource, List<Double> trainAccuracies,
                           String resumedAt) {
        this(parameterCount, testAccuracy, epochTestAccuracies, trainLosses, finalTrainLoss, wallSeconds,
                trainImagesPerSecond, trainImages, testImages, resolution, augmentation, resumedFromEpoch, phases,
                augmentationSource, trainAccuracies, resumedAt, null);
    }

    /** Without training accuracies and resume position (the earlier form). */
    public TrainingOutcome(long parameterCount, double testAccuracy, List<Double> epochTestAccuracies,
                           List<Double> trainLosses, double finalTrainLoss, double wallSeconds,
                           double trainImagesPerSecond, int trainImages, int testImages, int resolution,
                           String augmentation, int resumedFromEpoch, PhaseTimes phases,
                           TrainingResult.AugmentationRecord augmentationSource) {
        this(parameterCount, testAccuracy, epochTestAccuracies, trainLosses, finalTrainLoss, wallSeconds,
                trainImagesPerSecond, trainImages, testImages, resolution, augmentation, resumedFromEpoch, phases,
                augmentationSource, List.of(), null);
    }
}
