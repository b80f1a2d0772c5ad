package io.xscore.trainer.service;

import io.xscore.common.messaging.EvaluationCancellation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluations cancelled at the gateway, as this trainer has heard of them (from
 * {@code xscore.evaluation-cancellations}): the running job polls it before every batch, and a job of a cancelled
 * evaluation that arrives later ends FAILED at once. A cancellation may list the jobs to stop: a job the cancelled
 * evaluation queued but another evaluation still awaits is not in the list and keeps training. Bounded (the most
 * recent {@value #CAPACITY} evaluations).
 */
@ApplicationScoped
public class CancellationRegistry {

    static final int CAPACITY = 10_000;

    private final Map<String, EvaluationCancellation> cancelled = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EvaluationCancellation> eldest) {
            return size() > CAPACITY;
        }
    };

    public synchronized void cancel(EvaluationCancellation cancellation) {
        cancelled.put(cancellation.evaluationId(), cancellation);
    }

    /**
     * The cancellation's reason ("" when none was given) if it stops job {@code jobId} of evaluation
     * {@code evaluationId}; empty otherwise.
     */
    public synchronized Optional<String> reasonFor(String evaluationId, String jobId) {
        EvaluationCancellation c = cancelled.get(evaluationId);
        if (c == null || !c.stops(jobId)) {
            return Optional.empty();
        }
        return Optional.of(c.reason() == null ? "" : c.reason());
    }
}
