package io.xscore.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import io.xscore.gateway.client.ScoringClient;
import io.xscore.gateway.config.GatewayConfig;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.evaluation.EvaluationView;
import io.xscore.gateway.evaluation.JobEntity;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.repository.JobRepository;
import io.xscore.support.messaging.TransientFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Makes every evaluation reach a true terminal state after any fault, within a bounded time after recovery. The
 * gateway's view of a job is fed by Kafka; a record it never applied (lost to an outage in an older version, skipped,
 * or not yet redelivered) would leave a job RUNNING forever although its result is stored. Every
 * {@code xscore.gateway.reconcile-interval} this re-derives the view from the source of truth, the scoring service,
 * which owns the results and score sets:
 *
 * <ul>
 *   <li>a job queued or running without news for {@code xscore.gateway.reconcile-after}: its stored result, if the
 *       scoring service has one, is applied by the same rule as a Kafka record ({@link ResultPrecedence});</li>
 *   <li>a planned evaluation whose jobs all ended but whose complete score set has not arrived: the scoring
 *       service's latest score set is applied (never replacing a newer one);</li>
 *   <li>an evaluation accepted but not planned after {@code xscore.gateway.replan-after}: its request goes back to the
 *       outbox (the planner plans an evaluation once, so this cannot duplicate anything).</li>
 * </ul>
 *
 * A pass stops at the first sign that a dependency is down and waits for the next one.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int BATCH = 200;

    private final JobRepository jobs;
    private final EvaluationRepository evaluations;
    private final EvaluationUpdates updates;
    private final EvaluationService views;
    private final ScoringClient scoring;
    private final GatewayConfig config;
    private final MeterRegistry registry;

    public Reconciler(JobRepository jobs, EvaluationRepository evaluations, EvaluationUpdates updates,
            EvaluationService views, @RestClient ScoringClient scoring, GatewayConfig config, MeterRegistry registry) {
        this.jobs = jobs;
        this.evaluations = evaluations;
        this.updates = updates;
        this.views = views;
        this.scoring = scoring;
        this.config = config;
        this.registry = registry;
    }

    @Scheduled(every = "${xscore.gateway.reconcile-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void pass() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            if (!TransientFailures.isTransient(e)) {
                LOG.error("reconciliation pass failed", e);
                return;
            }
            LOG.infof("reconciliation pass stopped: a dependency is unavailable (%s)", TransientFailures.describe(e));
        }
    }

    /** One pass; returns the number of repairs made. */
    public int reconcile() {
        Instant now = Instant.now();
        Instant quietBefore = now.minus(config.reconcileAfter());
        int repaired = 0;
        for (JobEntity job : jobs.quietSince(quietBefore, BATCH)) {
            Optional<TrainingResult> result = fetch(() -> scoring.result(job.id), TrainingResult.class);
            jobs.touched(job.id, now);
            if (result.isPresent() && updates.result(result.get()).writes()) {
                repaired++;
                registry.counter("xscore.reconciler.repairs", "what", "job-result").increment();
                LOG.infof("reconciler: job %s was %s in the view; applied its stored %s result", job.id, job.state,
                        result.get().status());
            }
        }
        for (EvaluationEntity e : evaluations.plannedWithoutCompleteScores(BATCH)) {
            EvaluationView view = views.view(e);
            boolean jobsEnded = view.jobs().stream().allMatch(j -> j.state().terminal());
            if (!jobsEnded || (e.scoresComputedAt != null && e.scoresComputedAt.isAfter(quietBefore))) {
                continue;
            }
            Optional<ScoreSet> scores = fetch(() -> scoring.scores(e.id), ScoreSet.class);
            if (scores.isPresent() && updates.scores(scores.get())) {
                repaired++;
                registry.counter("xscore.reconciler.repairs", "what", "score-set").increment();
                LOG.infof("reconciler: evaluation %s had no complete score set; applied the stored one (complete=%s)",
                        e.id, scores.get().complete());
            }
        }
        for (EvaluationEntity e : evaluations.unplanned(now.minus(config.replanAfter()), BATCH)) {
            evaluations.markRequestPending(e.id);
            repaired++;
            registry.counter("xscore.reconciler.repairs", "what", "replan").increment();
            LOG.infof("reconciler: evaluation %s was accepted at %s and is not planned; its request goes out again",
                    e.id, e.createdAt);
        }
        return repaired;
    }

    private <T> Optional<T> fetch(java.util.function.Supplier<String> call, Class<T> type) {
        String body;
        try {
            body = call.get();
        } catch (WebApplicationException e) {
            if (ScoringClient.notFound(e)) {
                return Optional.empty();
            }
            throw new io.xscore.support.messaging.DependencyUnavailableException(
                    "the scoring service answered " + e.getResponse().getStatus(), e);
        }
        try {
            return Optional.of(MessageCodec.decode(body, type));
        } catch (InvalidMessageException e) {
            LOG.warnf("reconciler: the scoring service returned an invalid %s: %s", type.getSimpleName(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
