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
        Instant finishedAt) {

    public static final int SCHEMA_VERSION = 1;

    public enum Status { SUCCEEDED, FAILED }
}
