package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.common.protocol.ProtocolSpec;
import java.time.Instant;
import java.util.List;

/**
 * Final outcome of a job. Topic {@link Topics#TRAINING_RESULTS}, keyed by job id; schema
 * {@code schemas/training-result.v1.json}. Accuracies are percentages in [0, 100].
 *
 * @param paperProtocol true only when {@code protocol} is a paper protocol: only those results may be placed on
 *                      the paper's reference scale
 * @param epochTestAccuracies every epoch's test accuracy, recorded but never used for selection
 * @param resolved      the protocol exactly as run
 * @param augmentation  the training augmentation pipeline and where its images came from (added compatibly in v1:
 *                      absent in results of trainers before the augmentation cache)
 * @param attempt       the delivery of the job that produced this result (added compatibly in v1)
 * @param provenance    engine versions and trainer build that produced it (added compatibly in v1)
 * @param robustness    the robustness suites' accuracies on the final weights, when the job ran suites (added
 *                      compatibly in v1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingResult(
        int schemaVersion,
        String evaluationId,
        String jobId,
        String model,
        String dataset,
        long seed,
        String protocol,
        boolean paperProtocol,
        Status status,
        Double testAccuracy,
        List<Double> epochTestAccuracies,
        Double finalTrainLoss,
        Long parameterCount,
        Double wallSeconds,
        Double trainImagesPerSecond,
        Integer trainImages,
        Integer testImages,
        Integer resolution,
        String trainer,
        String failureReason,
        ProtocolSpec resolved,
        Instant finishedAt,
        AugmentationRecord augmentation,
        JobAttempt attempt,
        Provenance provenance,
        RobustnessReport robustness) {

    public static final int SCHEMA_VERSION = 1;

    /** A result without robustness suites. */
    public TrainingResult(int schemaVersion, String evaluationId, String jobId, String model, String dataset, long seed,
                          String protocol, boolean paperProtocol, Status status, Double testAccuracy,
                          List<Double> epochTestAccuracies, Double finalTrainLoss, Long parameterCount,
                          Double wallSeconds, Double trainImagesPerSecond, Integer trainImages, Integer testImages,
                          Integer resolution, String trainer, String failureReason, ProtocolSpec resolved,
                          Instant finishedAt, AugmentationRecord augmentation, JobAttempt attempt,
                          Provenance provenance) {
        this(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, paperProtocol, status, testAccuracy,
                epochTestAccuracies, finalTrainLoss, parameterCount, wallSeconds, trainImagesPerSecond, trainImages,
                testImages, resolution, trainer, failureReason, resolved, finishedAt, augmentation, attempt,
                provenance, null);
    }

    /** A FAILED result of the current schema version: the job did not produce an accuracy, {@code reason} says why. */
    public static TrainingResult failed(JobRef job, ProtocolSpec resolved, String trainer, String reason,
                                        double wallSeconds, Instant finishedAt) {
        return new TrainingResult(SCHEMA_VERSION, job.evaluationId(), job.jobId(), job.model(), job.dataset(),
                job.seed(), resolved.name(), resolved.paper(), Status.FAILED, null, null, null, null, wallSeconds, null,
                null, null, null, trainer, reason, resolved, finishedAt);
    }

    /** Which job this result is of. */
    public JobRef ref() {
        return new JobRef(evaluationId, jobId, model, dataset, seed, protocol);
    }

    /** A result without attempt and provenance (older producers, tests). */
    public TrainingResult(int schemaVersion, String evaluationId, String jobId, String model, String dataset, long seed,
                          String protocol, boolean paperProtocol, Status status, Double testAccuracy,
                          List<Double> epochTestAccuracies, Double finalTrainLoss, Long parameterCount,
                          Double wallSeconds, Double trainImagesPerSecond, Integer trainImages, Integer testImages,
                          Integer resolution, String trainer, String failureReason, ProtocolSpec resolved,
                          Instant finishedAt, AugmentationRecord augmentation) {
        this(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, paperProtocol, status, testAccuracy,
                epochTestAccuracies, finalTrainLoss, parameterCount, wallSeconds, trainImagesPerSecond, trainImages,
                testImages, resolution, trainer, failureReason, resolved, finishedAt, augmentation, null, null);
    }

    /** The same result as delivered by the given attempt with the given provenance. */
    public TrainingResult withAttempt(JobAttempt attempt, Provenance provenance) {
        return new TrainingResult(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, paperProtocol,
                status, testAccuracy, epochTestAccuracies, finalTrainLoss, parameterCount, wallSeconds,
                trainImagesPerSecond, trainImages, testImages, resolution, trainer, failureReason, resolved, finishedAt,
                augmentation, attempt, provenance, robustness);
    }

    /** The same result with the robustness suites' report. */
    public TrainingResult withRobustness(RobustnessReport report) {
        return new TrainingResult(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, paperProtocol,
                status, testAccuracy, epochTestAccuracies, finalTrainLoss, parameterCount, wallSeconds,
                trainImagesPerSecond, trainImages, testImages, resolution, trainer, failureReason, resolved, finishedAt,
                augmentation, attempt, provenance, report);
    }

    /** A result without an augmentation record (failures before training, older producers, tests). */
    public TrainingResult(int schemaVersion, String evaluationId, String jobId, String model, String dataset, long seed,
                          String protocol, boolean paperProtocol, Status status, Double testAccuracy,
                          List<Double> epochTestAccuracies, Double finalTrainLoss, Long parameterCount,
                          Double wallSeconds, Double trainImagesPerSecond, Integer trainImages, Integer testImages,
                          Integer resolution, String trainer, String failureReason, ProtocolSpec resolved,
                          Instant finishedAt) {
        this(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, paperProtocol, status, testAccuracy,
                epochTestAccuracies, finalTrainLoss, parameterCount, wallSeconds, trainImagesPerSecond, trainImages,
                testImages, resolution, trainer, failureReason, resolved, finishedAt, null, null, null);
    }

    /**
     * Which training augmentation ran and where its images came from: {@code online} (augmented by the trainer),
     * {@code cache} (pre-computed epochs streamed from the dataset service's augmentation cache) or {@code mixed}.
     * Both sources give bit-identical images, so this is provenance, not a protocol difference.
     *
     * @param pipeline      the pipeline's description, e.g. "paper/cifar10: RandomResizedCrop(0.9-1.1, ratio 1) + ..."
     * @param cachedEpochs  epochs of this run trained from the cache (epochs before a checkpoint resume not counted)
     * @param onlineEpochs  epochs of this run augmented by the trainer
     * @param note          why epochs were augmented online, if any were (cache off, not cacheable, not ready, ...)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AugmentationRecord(String pipeline, String source, int cachedEpochs, int onlineEpochs, String note) {

        public static AugmentationRecord of(String pipeline, int cachedEpochs, int onlineEpochs, String note) {
            String source = cachedEpochs == 0 ? "online" : onlineEpochs == 0 ? "cache" : "mixed";
            return new AugmentationRecord(pipeline, source, cachedEpochs, onlineEpochs, note);
        }
    }

    public enum Status { SUCCEEDED, FAILED }
}
