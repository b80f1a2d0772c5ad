package io.xscore.common.messaging;

import io.xscore.common.protocol.ProtocolSpec;
import java.time.Instant;

/**
 * One training run: a model, a dataset, a seed and the fully resolved protocol. Topic {@link Topics#TRAINING_JOBS},
 * keyed by {@code jobId}; schema {@code schemas/training-job.v1.json}.
 */
public record TrainingJob(
        int schemaVersion,
        String evaluationId,
        String jobId,
        String model,
        String dataset,
        long seed,
        ProtocolSpec protocol,
        Instant createdAt) {

    public static final int SCHEMA_VERSION = 1;
}
