package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.common.protocol.ProtocolSpec;
import java.time.Instant;

/**
 * One training run: a model, a dataset, a seed and the fully resolved protocol. Topic {@link Topics#TRAINING_JOBS},
 * keyed by {@code jobId}; schema {@code schemas/training-job.v1.json}.
 *
 * @param identity the digests the job id was derived from (added compatibly in v1; absent from older planners)
 * @param estimate the planner's cost estimate, by which an evaluation's jobs are published longest first (added
 *                 compatibly in v1)
 * @param robustness the resolved robustness suites to run on the final weights (added compatibly in v1; part of the
 *                   job's identity)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJob(
        int schemaVersion,
        String evaluationId,
        String jobId,
        String model,
        String dataset,
        long seed,
        ProtocolSpec protocol,
        Instant createdAt,
        JobIdentity identity,
        CostEstimate estimate,
        RobustnessSpec robustness) {

    public static final int SCHEMA_VERSION = 1;

    /** Which job this is (the protocol by its name). */
    public JobRef ref() {
        return new JobRef(evaluationId, jobId, model, dataset, seed, protocol.name());
    }

    /** A job without robustness suites. */
    public TrainingJob(int schemaVersion, String evaluationId, String jobId, String model, String dataset, long seed,
                       ProtocolSpec protocol, Instant createdAt, JobIdentity identity, CostEstimate estimate) {
        this(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, createdAt, identity, estimate, null);
    }

    /** A job without identity digests and estimate (older planners, tests). */
    public TrainingJob(int schemaVersion, String evaluationId, String jobId, String model, String dataset, long seed,
                       ProtocolSpec protocol, Instant createdAt) {
        this(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, createdAt, null, null, null);
    }
}
