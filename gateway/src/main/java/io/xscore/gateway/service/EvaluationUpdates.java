package io.xscore.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
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
    }

    public void progress(TrainingProgress progress) {
        jobs.applyProgress(progress);
    }

    public ResultPrecedence.Decision result(TrainingResult result) {
        ResultPrecedence.Decision decision = jobs.applyResult(result);
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

    /** Stores the score set unless a newer one is stored; true when stored. */
    public boolean scores(ScoreSet set) {
        return evaluations.setScores(set.evaluationId(), Document.parse(MessageCodec.encode(set)), set.computedAt());
    }
}
