package io.xscore.scoring.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * The service's counters (Prometheus names): {@code xscore_results_ingested_total{status}} (results stored),
 * {@code xscore_results_duplicates_total} (redelivered results ignored), {@code xscore_results_refused_total{reason}}
 * (a different second success: {@code conflict}; a failure after a success or an older failure: {@code stale}), {@code xscore_scores_computed_total{protocol}}
 * (score sets computed, published or not) and {@code xscore_score_sets_published_total}.
 */
@ApplicationScoped
public class ScoringMetrics {

    private final MeterRegistry registry;

    public ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (TrainingResult.Status s : TrainingResult.Status.values()) {
            ingestedCounter(s);
        }
        registry.counter("xscore.results.duplicates");
        registry.counter("xscore.results.refused", "reason", "conflict");
        registry.counter("xscore.results.refused", "reason", "stale");
        registry.counter("xscore.score.sets.published");
    }

    public void resultIngested(TrainingResult.Status status) {
        ingestedCounter(status).increment();
    }

    public void duplicateResult() {
        registry.counter("xscore.results.duplicates").increment();
    }

    public void refusedResult(ResultPrecedence.Decision decision) {
        registry.counter("xscore.results.refused", "reason", decision.name().toLowerCase(Locale.ROOT)).increment();
    }

    public void scoresComputed(String protocol) {
        registry.counter("xscore.scores.computed", "protocol", protocol).increment();
    }

    public void scoreSetPublished() {
        registry.counter("xscore.score.sets.published").increment();
    }

    private io.micrometer.core.instrument.Counter ingestedCounter(TrainingResult.Status status) {
        return registry.counter("xscore.results.ingested", "status", status.name().toLowerCase(Locale.ROOT));
    }
}
