package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * "Evaluate these models on these datasets with these seeds under this protocol". Topic
 * {@link Topics#EVALUATION_REQUESTS}; schema {@code schemas/evaluation-request.v1.json}.
 *
 * @param evaluationId optional for other services writing straight to Kafka: the gateway derives a stable one
 *                     from the record when absent
 * @param overrides    only allowed under a non-paper protocol: epochs, resolution, trainSubset, testSubset
 * @param robustness   robustness suites to run on every job's final weights (added compatibly in v1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationRequest(
        int schemaVersion,
        String evaluationId,
        List<String> models,
        List<String> datasets,
        List<Long> seeds,
        String protocol,
        Map<String, Integer> overrides,
        String requestedBy,
        Instant requestedAt,
        RobustnessSpec robustness) {

    public static final int SCHEMA_VERSION = 1;

    /** A request without robustness suites. */
    public EvaluationRequest(int schemaVersion, String evaluationId, List<String> models, List<String> datasets,
                             List<Long> seeds, String protocol, Map<String, Integer> overrides, String requestedBy,
                             Instant requestedAt) {
        this(schemaVersion, evaluationId, models, datasets, seeds, protocol, overrides, requestedBy, requestedAt, null);
    }
}
