package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Progress of a running job: once when it starts, after every epoch, and as heartbeats within long epochs.
 * Topic {@link Topics#TRAINING_PROGRESS}; schema {@code schemas/training-progress.v1.json}.
 *
 * @param epoch completed epochs (0 on START; for a heartbeat, the epoch in progress, 0-based)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingProgress(
        int schemaVersion,
        String evaluationId,
        String jobId,
        String model,
        String dataset,
        long seed,
        String protocol,
        Kind kind,
        int epoch,
        int epochs,
        Double trainLoss,
        Double trainAccuracy,
        Double testAccuracy,
        Double learningRate,
        Double imagesPerSecond,
        Double etaSeconds,
        String trainer,
        Instant at) {

    public static final int SCHEMA_VERSION = 1;

    public enum Kind { STARTED, EPOCH, HEARTBEAT }
}
