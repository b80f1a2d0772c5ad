package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The jobs an accepted evaluation consists of, published by the gateway's planner once it has validated a request.
 * The scoring service learns from it which results make up an evaluation (including results reused from earlier
 * evaluations, for which no new training happens). Topic {@link Topics#EVALUATION_PLANS}; schema
 * {@code schemas/evaluation-plan.v1.json}.
 *
 * @param robustness the resolved robustness suites every job runs (added compatibly in v1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationPlan(
        int schemaVersion,
        String evaluationId,
        String protocol,
        boolean paperProtocol,
        List<String> models,
        List<String> datasets,
        List<Long> seeds,
        List<PlannedJob> jobs,
        Instant plannedAt,
        RobustnessSpec robustness) {

    public static final int SCHEMA_VERSION = 1;

    /** A plan without robustness suites. */
    public EvaluationPlan(int schemaVersion, String evaluationId, String protocol, boolean paperProtocol,
                          List<String> models, List<String> datasets, List<Long> seeds, List<PlannedJob> jobs,
                          Instant plannedAt) {
        this(schemaVersion, evaluationId, protocol, paperProtocol, models, datasets, seeds, jobs, plannedAt, null);
    }

    /** @param reused true when a finished result of the same job id already exists and no training is queued */
    public record PlannedJob(String jobId, String model, String dataset, long seed, boolean reused) {
    }
}
