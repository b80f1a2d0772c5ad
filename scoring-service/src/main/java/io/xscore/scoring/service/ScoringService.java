package io.xscore.scoring.service;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import io.xscore.scoring.config.ScoringConfig;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.repository.EvaluationRepository;
import io.xscore.scoring.repository.ResultRepository;
import io.xscore.scoring.repository.ScoreSetRepository;
import io.xscore.scoring.xscore.VarianceDivisor;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.support.tracing.TraceContexts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Stores results and plans and keeps every affected evaluation's score set up to date. Each step is idempotent:
 * a redelivered result is not stored twice ({@link ResultPrecedence} decides which result stands, as in the
 * gateway's view), a redelivered plan is upserted, and a recomputed score set equal in
 * content to the stored one is neither stored nor published again. A score set is published before it is stored,
 * so a crash in between leads to a republish on redelivery rather than to a lost one.
 */
@ApplicationScoped
public class ScoringService {

    private static final Logger LOG = Logger.getLogger(ScoringService.class);

    private final ResultRepository results;
    private final EvaluationRepository evaluations;
    private final ScoreSetRepository scores;
    private final ScoreSetSink publisher;
    private final ScoringMetrics metrics;
    private final EvaluationScorer scorer;
    /** Serialises rescoring per evaluation within this instance (both consumers may touch the same one). */
    private final Object[] locks = new Object[64];
    private final Tracer tracer;

    public ScoringService(ResultRepository results, EvaluationRepository evaluations, ScoreSetRepository scores,
                          ScoreSetSink publisher, ScoringMetrics metrics, ScoringConfig config, Tracer tracer) {
        this.tracer = tracer;
        this.results = results;
        this.evaluations = evaluations;
        this.scores = scores;
        this.publisher = publisher;
        this.metrics = metrics;
        XScoreCalculator calculator = new XScoreCalculator(config.lambda(),
                VarianceDivisor.parse(config.varianceDivisor()));
        this.scorer = new EvaluationScorer(calculator,
                List.of(ReferenceScale.of(ReferenceData.paper(), calculator, config.proxyK())));
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Stores the result (unless one already stands for its job; a success replaces an earlier failure) and rescores
     * every evaluation whose plan contains its job.
     */
    public void onResult(TrainingResult result) {
        // current: the connector's span for this record (a child of the trainer's job span); it has ended already,
        // so the spans below ('score <evaluation>') are its children rather than attributes on it
        ResultPrecedence.Decision decision = results.store(result);
        switch (decision) {
            case STORE -> metrics.resultIngested(result.status());
            case REPLACE -> {
                metrics.resultIngested(result.status());
                LOG.infof("job %s: its earlier failure is replaced by a %s result", result.jobId(), result.status());
            }
            case DUPLICATE -> LOG.infof("duplicate result for job %s ignored", result.jobId());
            case STALE -> LOG.infof("job %s: a failure after its success (or an older failure) ignored",
                    result.jobId());
            case CONFLICT -> LOG.warnf("job %s: refused a second, different result (test accuracy %s from %s); the "
                    + "first stands", result.jobId(), result.testAccuracy(), result.trainer());
        }
        // Rescored even for a redelivery: a crash after storing and before scoring is completed here.
        for (EvaluationPlan plan : evaluations.findByJobId(result.jobId())) {
            rescore(plan);
        }
        // counted once the record is fully handled (including the rescoring it triggers)
        switch (decision) {
            case DUPLICATE -> metrics.duplicateResult();
            case STALE, CONFLICT -> metrics.refusedResult(decision);
            default -> { }
        }
    }

    /** Stores (upserts) the plan and scores it from the results stored so far. */
    public void onPlan(EvaluationPlan plan) {
        evaluations.upsert(plan);
        rescore(plan);
    }

    /** Recomputes the evaluation's score set; publishes and stores it when its content changed. */
    public void rescore(EvaluationPlan plan) {
        Span span = tracer.spanBuilder("score " + plan.evaluationId())
                .setAttribute("xscore.evaluation.id", plan.evaluationId()).startSpan();
        TraceContexts.within(span, () -> {
            rescoreTraced(plan, span); // the score set is published in this span's context
            return null;
        });
    }

    private void rescoreTraced(EvaluationPlan plan, Span span) {
        synchronized (locks[Math.floorMod(plan.evaluationId().hashCode(), locks.length)]) {
            List<String> jobIds = plan.jobs().stream().map(EvaluationPlan.PlannedJob::jobId).toList();
            ScoreSet set = scorer.score(plan, results.findByJobIds(jobIds), Instant.now().truncatedTo(ChronoUnit.MILLIS));
            metrics.scoresComputed(plan.protocol());
            if (!EvaluationScorer.hasScoredContent(set)) {
                return;
            }
            String fingerprint = EvaluationScorer.fingerprint(set);
            if (fingerprint.equals(scores.fingerprint(plan.evaluationId()).orElse(null))) {
                return;
            }
            span.setAttribute("xscore.complete", set.complete());
            publisher.publish(set);
            scores.save(set, fingerprint);
            metrics.scoreSetPublished();
            LOG.infof("score set of evaluation %s published (complete=%s)", set.evaluationId(), set.complete());
        }
    }
}
