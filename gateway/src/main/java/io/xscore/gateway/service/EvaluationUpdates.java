package io.xscore.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.JobAttempt;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import io.xscore.gateway.evaluation.Attempts;
import io.xscore.gateway.evaluation.JobEntity;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Keeps the gateway's evaluation view current from what the trainers and the scoring service report, whether it
 * arrives on Kafka or is fetched by the reconciler. Results follow {@link ResultPrecedence}, the rule the scoring
 * service applies too, so both views of a job agree: a second, different success is refused and counted
 * ({@code xscore_results_refused_total{reason="conflict"}}), never shown.
 *
 * <p>Attempts (deliveries of a job to trainers of the share group) are merged from STARTED and RELEASED progress and
 * from results, keyed by delivery number, idempotently and in any order ({@link JobRepository#recordAttempt}); their
 * outcomes are derived on read ({@link Attempts}). Counted when first seen: {@code xscore_job_attempts_total{outcome}}
 * (accepted, rejected, released when the record ending the attempt arrives; lock_expired when a later delivery of a
 * job appears while the attempt has not ended, so an attempt whose end arrives after that is counted under both) and
 * {@code xscore_job_redeliveries_total} (a delivery after the first).
 */
@ApplicationScoped
public class EvaluationUpdates {

    private static final Logger LOG = Logger.getLogger(EvaluationUpdates.class);

    private final JobRepository jobs;
    private final EvaluationRepository evaluations;
    private final MeterRegistry registry;

    public EvaluationUpdates(JobRepository jobs, EvaluationRepository evaluations, MeterRegistry registry) {
        this.jobs = jobs;
        this.evaluations = evaluations;
        this.registry = registry;
        registry.counter("xscore.results.refused", "reason", "conflict");
        registry.counter("xscore.results.refused", "reason", "stale");
        registry.counter("xscore.results.duplicates");
        for (Attempts.Outcome outcome : Attempts.Outcome.values()) {
            if (outcome != Attempts.Outcome.RUNNING) {
                attempts(outcome);
            }
        }
        registry.counter("xscore.job.redeliveries");
    }

    public void progress(TrainingProgress progress) {
        if (progress.attempt() != null && (progress.kind() == TrainingProgress.Kind.STARTED
                || progress.kind() == TrainingProgress.Kind.RELEASED)) {
            boolean released = progress.kind() == TrainingProgress.Kind.RELEASED;
            JobEntity before = jobs.recordAttempt(progress.jobId(), progress.attempt(),
                    released ? JobRepository.AttemptEnd.RELEASED : JobRepository.AttemptEnd.NONE, progress.at(),
                    released ? progress.epoch() : null, null, null);
            count(before, progress.attempt(), released ? Attempts.Outcome.RELEASED : null);
        }
        jobs.applyProgress(progress);
    }

    public ResultPrecedence.Decision result(TrainingResult result) {
        ResultPrecedence.Decision decision = jobs.applyResult(result);
        if (result.attempt() != null) {
            JobEntity before = jobs.recordAttempt(result.jobId(), result.attempt(), JobRepository.AttemptEnd.RESULT,
                    result.finishedAt(), null, result.status(), result.failureReason());
            count(before, result.attempt(), Attempts.rejected(result.status(), result.failureReason())
                    ? Attempts.Outcome.REJECTED : Attempts.Outcome.ACCEPTED);
        }
        switch (decision) {
            case CONFLICT -> {
                registry.counter("xscore.results.refused", "reason", "conflict").increment();
                LOG.warnf("job %s: refused a second, different result (status %s, test accuracy %s from %s); "
                        + "the first stands", result.jobId(), result.status(), result.testAccuracy(), result.trainer());
            }
            case STALE -> registry.counter("xscore.results.refused", "reason", "stale").increment();
            case DUPLICATE -> registry.counter("xscore.results.duplicates").increment();
            default -> registry.counter("xscore.results.applied", "status",
                    result.status().name().toLowerCase(Locale.ROOT)).increment();
        }
        return decision;
    }

    /**
     * Counts what this record newly tells about the job's attempts, from the job as it was before the record: a
     * redelivery, an attempt ending ({@code end}, unless it had ended already), and the attempts whose lock expired
     * because a later delivery appeared while they had not ended.
     */
    private void count(JobEntity before, JobAttempt attempt, Attempts.Outcome end) {
        if (before == null) {
            return;
        }
        int d = attempt.delivery();
        JobEntity.Attempt old = before.attempts == null ? null : before.attempts.get(String.valueOf(d));
        if (old == null) {
            if (d > 1) {
                registry.counter("xscore.job.redeliveries").increment();
            }
            Integer last = before.lastDelivery;
            if (last != null && last < d) {
                JobEntity.Attempt superseded = before.attempts == null ? null
                        : before.attempts.get(String.valueOf(last));
                if (superseded != null && !ended(superseded)) {
                    attempts(Attempts.Outcome.LOCK_EXPIRED).increment();
                }
            } else if (last != null && last > d && end == null) {
                attempts(Attempts.Outcome.LOCK_EXPIRED).increment(); // seen only after a later delivery
            }
        }
        if (end != null && (old == null || !ended(old))) {
            attempts(end).increment();
        }
    }

    private static boolean ended(JobEntity.Attempt a) {
        return a.resultStatus != null || a.releasedAt != null;
    }

    private io.micrometer.core.instrument.Counter attempts(Attempts.Outcome outcome) {
        return registry.counter("xscore.job.attempts", "outcome", outcome.name().toLowerCase(Locale.ROOT));
    }

    /** Stores the score set unless a newer one is stored; true when stored. */
    public boolean scores(ScoreSet set) {
        return evaluations.setScores(set.evaluationId(), Document.parse(MessageCodec.encode(set)), set.computedAt());
    }
}
