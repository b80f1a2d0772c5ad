package io.xscore.trainer.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluations cancelled at the gateway, as this trainer has heard of them (from
 * {@code xscore.evaluation-cancellations}): the running job polls it before every batch, and a job of a cancelled
 * evaluation that arrives later ends FAILED at once. Bounded (the most recent {@value #CAPACITY} evaluations).
 */
@ApplicationScoped
public class CancellationRegistry {

    static final int CAPACITY = 10_000;

    private final Map<String, String> cancelled = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /** @param reason free text from the gateway (may be null) */
    public synchronized void cancel(String evaluationId, String reason) {
        cancelled.put(evaluationId, reason == null ? "" : reason);
    }

    /** The cancellation's reason ("" when none was given), or empty while the evaluation is not cancelled. */
    public synchronized Optional<String> reasonFor(String evaluationId) {
        return Optional.ofNullable(cancelled.get(evaluationId));
    }
}
