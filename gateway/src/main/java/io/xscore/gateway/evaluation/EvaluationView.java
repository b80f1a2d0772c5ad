package io.xscore.gateway.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.messaging.ScoreSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What GET /api/v1/evaluations/{id} answers: the request, per-job progress and the scores. {@code warnings}: settings
 * of the resolved protocol that make the run say little (e.g. one epoch, which the schedule runs at lr_min).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationView(
        String id,
        EvaluationStatus status,
        String protocol,
        boolean paperProtocol,
        List<String> models,
        List<String> datasets,
        List<Long> seeds,
        Map<String, Integer> overrides,
        String source,
        Instant createdAt,
        Instant plannedAt,
        Summary summary,
        List<JobView> jobs,
        ScoreSet scores,
        Instant cancelledAt,
        String cancelReason,
        List<String> warnings,
        @Schema(description = "While ACCEPTED and not planned: the datasets whose content digest the planner waits "
                + "for (being prepared, or the dataset service unreachable) and why")
        Waiting waiting) {

    /**
     * The planner waits for the content digests of {@code datasets} (job ids are derived from them) and plans the
     * evaluation once all are known.
     */
    public record Waiting(List<String> datasets, String reason, Instant since) {
    }

    public record Summary(int jobs, int queued, int running, int succeeded, int failed, int reused) {
    }

    /**
     * @param epoch              completed epochs of {@code epochs}
     * @param augmentationSource where the finished job's augmented images came from: online, cache or mixed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(
            String jobId,
            String model,
            String dataset,
            long seed,
            boolean reused,
            JobState state,
            Integer epoch,
            Integer epochs,
            Double trainLoss,
            Double trainAccuracy,
            Double testAccuracy,
            Double learningRate,
            Double imagesPerSecond,
            Double etaSeconds,
            Double finalTestAccuracy,
            Long parameterCount,
            Double wallSeconds,
            String trainer,
            String augmentationSource,
            String failureReason,
            Instant updatedAt,
            @Schema(description = "The SHA-256 digests the job id was derived from: resolved protocol, model "
                    + "definition, dataset content, augmentation pipeline")
            JobIdentity identity) {
    }
}
