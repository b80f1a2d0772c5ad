package io.xscore.gateway.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.xscore.common.messaging.TrainingResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the outcome of each attempt is derived from the stored facts (no database). */
class AttemptsTest {

    static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void outcomesFollowTheFactsOfEachDelivery() {
        JobEntity job = job(JobState.RUNNING);
        put(job, attempt(1, null, null, null));                                  // superseded, never ended
        JobEntity.Attempt released = attempt(2, null, null, null);
        released.releasedAt = T.plusSeconds(20);
        released.releasedEpoch = 3;
        put(job, released);
        put(job, attempt(3, TrainingResult.Status.FAILED, "cancelled by request", T.plusSeconds(30)));
        put(job, attempt(4, TrainingResult.Status.FAILED, "rejected after 5 deliveries: x", T.plusSeconds(40)));
        put(job, attempt(5, null, null, null));                                  // the latest, still open
        List<EvaluationView.AttemptView> views = Attempts.of(job);
        assertEquals(List.of(Attempts.Outcome.LOCK_EXPIRED, Attempts.Outcome.RELEASED, Attempts.Outcome.ACCEPTED,
                Attempts.Outcome.REJECTED, Attempts.Outcome.RUNNING),
                views.stream().map(EvaluationView.AttemptView::outcome).toList());
        assertNull(views.get(0).endedAt());
        assertEquals(T.plusSeconds(20), views.get(1).endedAt());
        assertEquals(3, views.get(1).releasedAtEpoch());
        assertEquals(T.plusSeconds(40), views.get(3).endedAt());
    }

    @Test
    void attemptsAreOrderedByDeliveryNumberNotByKey() {
        JobEntity job = job(JobState.RUNNING);
        for (int d : new int[] {10, 2, 1}) {
            put(job, attempt(d, null, null, null));
        }
        assertEquals(List.of(1, 2, 10), Attempts.of(job).stream().map(EvaluationView.AttemptView::delivery).toList());
    }

    @Test
    void aResultWithoutAttemptDetailsEndsTheLastOpenAttempt() {
        JobEntity job = job(JobState.SUCCEEDED);
        job.resultStatus = TrainingResult.Status.SUCCEEDED;
        job.resultFinishedAt = T.plusSeconds(90);
        put(job, attempt(1, null, null, null));
        EvaluationView.AttemptView only = Attempts.of(job).get(0);
        assertEquals(Attempts.Outcome.ACCEPTED, only.outcome());
        assertEquals(T.plusSeconds(90), only.endedAt());
        assertNull(Attempts.of(job(JobState.QUEUED)));
    }

    static JobEntity job(JobState state) {
        JobEntity j = new JobEntity();
        j.id = "job";
        j.state = state;
        return j;
    }

    static void put(JobEntity job, JobEntity.Attempt a) {
        if (job.attempts == null) {
            job.attempts = new LinkedHashMap<>();
        }
        job.attempts.put(String.valueOf(a.delivery), a);
    }

    static JobEntity.Attempt attempt(int delivery, TrainingResult.Status status, String reason, Instant at) {
        JobEntity.Attempt a = new JobEntity.Attempt();
        a.delivery = delivery;
        a.trainer = "trainer-" + delivery;
        a.startedAt = T.plusSeconds(delivery);
        a.resultStatus = status;
        a.failureReason = reason;
        a.resultAt = at;
        return a;
    }
}
