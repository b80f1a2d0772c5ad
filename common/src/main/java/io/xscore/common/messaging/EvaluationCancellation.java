package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An evaluation cancelled at the gateway. Topic {@link Topics#EVALUATION_CANCELLATIONS}, keyed by evaluation id;
 * schema {@code schemas/evaluation-cancellation.v1.json}. Every trainer reads the whole topic (a consumer group of
 * its own: broadcast); a running job of the evaluation stops at its next batch and ends FAILED with reason
 * "cancelled by request[: reason]", and its jobs that arrive later fail the same way without training.
 *
 * @param reason optional free text, appended to the failure reason
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationCancellation(int schemaVersion, String evaluationId, String reason, Instant cancelledAt) {

    public static final int SCHEMA_VERSION = 1;
}
