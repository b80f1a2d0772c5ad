package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An evaluation cancelled at the gateway. Topic {@link Topics#EVALUATION_CANCELLATIONS}, keyed by evaluation id;
 * schema {@code schemas/evaluation-cancellation.v1.json}. Every trainer reads the whole topic (a consumer group of
 * its own: broadcast); a running job of the evaluation stops at its next batch and ends FAILED with reason
 * "cancelled by request[: reason]", and its jobs that arrive later fail the same way without training.
 *
 * @param reason optional free text, appended to the failure reason
 * @param jobIds the jobs to stop: those the evaluation queued that no other live evaluation awaits (a job is shared by
 *               job id, so stopping it would fail the other evaluation too); null = every job it queued
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationCancellation(int schemaVersion, String evaluationId, String reason, Instant cancelledAt,
                                     List<String> jobIds) {

    public static final int SCHEMA_VERSION = 1;

    /** A cancellation of every job the evaluation queued (no job list). */
    public EvaluationCancellation(int schemaVersion, String evaluationId, String reason, Instant cancelledAt) {
        this(schemaVersion, evaluationId, reason, cancelledAt, null);
    }

    /** Whether the cancellation stops job {@code jobId} of its evaluation. */
    public boolean stops(String jobId) {
        return jobIds == null || jobIds.contains(jobId);
    }
}
