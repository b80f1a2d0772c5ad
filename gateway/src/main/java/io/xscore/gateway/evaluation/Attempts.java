package io.xscore.gateway.evaluation;

import io.xscore.common.messaging.TrainingResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A job's attempts as the evaluation view shows them, derived on read from the stored facts of each delivery
 * ({@link JobEntity.Attempt}), so the outcome does not depend on the order the records arrived in:
 *
 * <ul>
 *   <li>{@code ACCEPTED}: a result came from this attempt (a success, or a failure the trainer finished with);</li>
 *   <li>{@code REJECTED}: a failed result from this attempt whose reason starts with {@value #REJECTED_PREFIX}: the
 *       trainer rejected the record because the share group's delivery limit was reached;</li>
 *   <li>{@code RELEASED}: the trainer stopped gracefully and handed the job back (RELEASED progress);</li>
 *   <li>{@code LOCK_EXPIRED}: a later delivery of the job started while this attempt never ended (its trainer died or
 *       stalled and the broker's acquisition lock ran out);</li>
 *   <li>{@code RUNNING}: none of these yet.</li>
 * </ul>
 *
 * A result without attempt details (a trainer from before attempts) is attributed to the last attempt still open.
 */
public final class Attempts {

    /** The start of the failure reason of a job a trainer rejected at the delivery limit (trainer-service). */
    public static final String REJECTED_PREFIX = "rejected after";

    public enum Outcome { RUNNING, ACCEPTED, RELEASED, REJECTED, LOCK_EXPIRED }

    private Attempts() {
    }

    /** The job's attempts by delivery, or null when none was reported. */
    public static List<EvaluationView.AttemptView> of(JobEntity job) {
        if (job.attempts == null || job.attempts.isEmpty()) {
            return null;
        }
        List<JobEntity.Attempt> sorted = new ArrayList<>(job.attempts.values());
        sorted.sort(Comparator.comparingInt(a -> a.delivery));
        int last = sorted.get(sorted.size() - 1).delivery;
        boolean orphanResult = job.resultStatus != null && job.resultDelivery == null
                && (job.state == JobState.SUCCEEDED || job.state == JobState.FAILED);
        List<EvaluationView.AttemptView> views = new ArrayList<>();
        for (JobEntity.Attempt a : sorted) {
            Outcome outcome;
            java.time.Instant endedAt = null;
            if (a.resultStatus != null) {
                outcome = rejected(a.resultStatus, a.failureReason) ? Outcome.REJECTED : Outcome.ACCEPTED;
                endedAt = a.resultAt;
            } else if (a.releasedAt != null) {
                outcome = Outcome.RELEASED;
                endedAt = a.releasedAt;
            } else if (a.delivery < last) {
                outcome = Outcome.LOCK_EXPIRED;
            } else if (orphanResult) {
                outcome = rejected(job.resultStatus, job.failureReason) ? Outcome.REJECTED : Outcome.ACCEPTED;
                endedAt = job.resultFinishedAt;
            } else {
                outcome = Outcome.RUNNING;
            }
            views.add(new EvaluationView.AttemptView(a.delivery, a.trainer, a.startedAt, endedAt, a.resumedFrom,
                    a.releasedEpoch, outcome));
        }
        return views;
    }

    /** A failed result whose reason says the delivery limit was reached. */
    public static boolean rejected(TrainingResult.Status status, String failureReason) {
        return status == TrainingResult.Status.FAILED && failureReason != null
                && failureReason.startsWith(REJECTED_PREFIX);
    }
}
