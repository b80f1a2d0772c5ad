package io.xscore.gateway.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.messaging.Provenance;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.ScoreSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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
        String submittedBy,
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
        Waiting waiting,
        @Schema(description = "The robustness suites every job runs after training, every default written out; "
                + "their board is in scores.robustness")
        RobustnessSpec robustness) {

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
     * @param wallSeconds        training seconds the result reports (the attempt that produced it)
     * @param estimate           the planner's cost estimate, by which jobs were published longest first
     * @param startedAt          when the first attempt started
     * @param finishedAt         when the standing result was produced
     * @param actualSeconds      {@code finishedAt - startedAt}: the job's actual time, queueing between attempts
     *                           included
     * @param attempts           every delivery of the job to a trainer, by delivery number
     * @param history            every completed epoch's numbers, by epoch
     * @param provenance         what produced the standing result
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
            @Schema(description = "The planner's cost estimate (docs/scheduling.md); jobs are published longest first")
            EstimateView estimate,
            @Schema(description = "When the first attempt started")
            Instant startedAt,
            @Schema(description = "When the standing result was produced")
            Instant finishedAt,
            @Schema(description = "Actual time from the first start to the result, seconds (queueing between "
                    + "attempts included); wallSeconds is the training time the result reports")
            Double actualSeconds,
            @Schema(description = "Every delivery of the job to a trainer, by delivery number")
            List<AttemptView> attempts,
            @Schema(description = "Every completed epoch's numbers, epoch 1 first, as the job's EPOCH progress "
                    + "reported them (an epoch reported again by a resumed attempt shows its latest report); epochs "
                    + "whose progress the gateway never saw show only the test accuracy of the job's result")
            List<EpochView> history,
            @Schema(description = "Trainer build, engine versions and device of the standing result")
            Provenance provenance,
            @Schema(description = "The SHA-256 digests the job id was derived from: resolved protocol, model "
                    + "definition, dataset content, augmentation pipeline")
            JobIdentity identity) {

        /** This view with the identity the job was planned with. */
        public JobView withIdentity(JobIdentity identity) {
            return new JobView(jobId, model, dataset, seed, reused, state, epoch, epochs, trainLoss, trainAccuracy,
                    testAccuracy, learningRate, imagesPerSecond, etaSeconds, finalTestAccuracy, parameterCount,
                    wallSeconds, trainer, augmentationSource, failureReason, updatedAt, estimate, startedAt,
                    finishedAt, actualSeconds, attempts, history, provenance, identity);
        }

        /** The view of a planned job: what the job document says, or QUEUED when there is none (yet). */
        public static JobView of(String jobId, String model, String dataset, long seed, boolean reused, JobEntity j) {
            if (j == null) {
                return new JobView(jobId, model, dataset, seed, reused, JobState.QUEUED, null, null, null, null, null,
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null);
            }
            Double actual = j.firstStartedAt == null || j.resultFinishedAt == null
                    || j.resultFinishedAt.isBefore(j.firstStartedAt) ? null
                    : Duration.between(j.firstStartedAt, j.resultFinishedAt).toMillis() / 1000.0;
            boolean ended = j.state == JobState.SUCCEEDED || j.state == JobState.FAILED;
            return new JobView(jobId, model, dataset, seed, reused, j.state, j.epoch, j.epochs, j.trainLoss,
                    j.trainAccuracy, j.testAccuracy, j.learningRate, j.imagesPerSecond, j.etaSeconds,
                    j.finalTestAccuracy, j.parameterCount, j.wallSeconds, j.trainer, j.augmentationSource,
                    j.failureReason, j.updatedAt, EstimateView.of(j.estimate), j.firstStartedAt,
                    ended ? j.resultFinishedAt : null, ended ? actual : null, Attempts.of(j), EpochView.historyOf(j),
                    j.provenance == null ? null : j.provenance.toRecord(), null);
        }
    }

    /**
     * One completed epoch of a job.
     *
     * @param at when the epoch's progress was reported; absent for a point taken from the result alone
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One completed epoch: train loss and accuracy, test accuracy after it, learning rate, and "
            + "when it was reported")
    public record EpochView(int epoch, Double trainLoss, Double trainAccuracy, Double testAccuracy, Double learningRate,
                            Instant at) {

        /**
         * The job's epochs, epoch 1 first: its stored history, and for the epochs it lacks (progress never seen, e.g.
         * a job reused from a run before the history was kept) the test accuracy its result recorded. Null when there
         * is neither.
         */
        static List<EpochView> historyOf(JobEntity j) {
            // every point the repository writes carries its epoch (JobRepository.epochPoint)
            SortedMap<Integer, EpochView> points = new TreeMap<>();
            if (j.history != null) {
                j.history.values().stream().filter(p -> p.epoch != null).forEach(p -> points.put(p.epoch,
                        new EpochView(p.epoch, p.trainLoss, p.trainAccuracy, p.testAccuracy, p.learningRate, p.at)));
            }
            if (j.epochTestAccuracies != null) {
                for (int i = 0; i < j.epochTestAccuracies.size(); i++) {
                    points.putIfAbsent(i + 1,
                            new EpochView(i + 1, null, null, j.epochTestAccuracies.get(i), null, null));
                }
            }
            return points.isEmpty() ? null : List.copyOf(points.values());
        }
    }

    /**
     * The planner's estimate of a job's cost: {@code trainingMacs = 3 × macsPerImage × trainImages × epochs}. An
     * ordering key, not a prediction: it ignores data loading, evaluation passes and how efficiently a device runs a
     * model at a resolution.
     *
     * @param seconds estimated seconds on {@code device} at its configured reference rate; absent without a rate
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "Estimated cost: trainingMacs = 3 × macsPerImage × trainImages × epochs (docs/scheduling.md)")
    public record EstimateView(double trainingMacs, long macsPerImage, long trainImages, int epochs, Double seconds,
                               String device) {

        static EstimateView of(JobEntity.Estimate e) {
            return e == null ? null
                    : new EstimateView(e.trainingMacs, e.macsPerImage, e.trainImages, e.epochs, e.seconds, e.device);
        }
    }

    /**
     * One delivery of the job to a trainer.
     *
     * @param delivery       the broker's delivery count (1 for the first)
     * @param endedAt        when it ended: its result or its release; absent while running and for a lock that expired
     * @param resumedFrom    the checkpoint it continued from, absent for a fresh start
     * @param releasedAtEpoch completed epochs when it was released
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One delivery of a job to a trainer; outcome RUNNING, ACCEPTED (its result was taken), "
            + "RELEASED (handed back at a graceful stop), REJECTED (delivery limit reached) or LOCK_EXPIRED (a later "
            + "delivery started while it never ended)")
    public record AttemptView(int delivery, String trainer, Instant startedAt, Instant endedAt, String resumedFrom,
                              Integer releasedAtEpoch, Attempts.Outcome outcome) {
    }
}
