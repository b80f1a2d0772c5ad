package io.xscore.support.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sends a record at most once while an earlier send of the same record is still in the producer's hands. A send that
 * timed out on the caller's side is not dead: the producer keeps retrying it until its delivery time-out and delivers
 * it when the broker is back. Retrying the caller's work (a relay pass, a planning redone after a broker outage) would
 * otherwise add one more copy of the record per attempt; with this, a retry waits for the send already under way.
 */
public final class InFlightSends {

    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    /** The send under way for {@code key}, or a new one from {@code send} when there is none (or it has finished). */
    public CompletableFuture<Void> sendOnce(String key, Supplier<CompletionStage<Void>> send) {
        CompletableFuture<Void> sending = inFlight.compute(key, (k, earlier) ->
                earlier != null && !earlier.isDone() ? earlier : send.get().toCompletableFuture());
        sending.whenComplete((ok, failure) -> inFlight.remove(key, sending));
        return sending;
    }

    /** Sends under way now (for tests and metrics). */
    public int size() {
        return inFlight.size();
    }
}
