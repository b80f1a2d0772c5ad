package io.xscore.common.messaging;

import java.time.Instant;
import java.util.List;

/**
 * The jobs an accepted evaluation consists of, published by the gateway's planner once it has validated a request.
 * The scoring service learns from it which results make up an evaluation (including results reused from earlier
 * evaluations, for which no new training happens). Topic {@link Topics#EVALUATION_PLANS}; schema
 * {@code schemas/evaluation-plan.v1.json}.
 */
public record EvaluationPlan(
        int schemaVersion,
        String evaluationId,
        String protocol,
        boolean paperProtocol,
        List<String> models,
        List<String> datasets,
        List<Long> seeds,
        List<PlannedJob> jobs,
        Instant plannedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** @param reused true when a finished result of the same job id already exists and no training is queued */
    public record PlannedJob(String jobId, String model, String dataset, long seed, boolean reused) {
    }
}
