package io.xscore.support.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's Kafka channels that {@link RecordProcessor} holds on a record because a dependency (the database, the
 * broker, another service) is unavailable; reported by {@link ConsumersReadiness}.
 */
@ApplicationScoped
public class ConsumerHealth {

    /** Why a channel is held: since when, on which failure, after how many attempts. */
    public record Waiting(Instant since, String failure, int attempts) {
    }

    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    void waiting(String channel, Throwable failure, int attempts) {
        waiting.merge(channel, new Waiting(Instant.now(), TransientFailures.describe(failure), attempts),
                (old, now) -> new Waiting(old.since(), now.failure(), now.attempts()));
    }

    void recovered(String channel) {
        waiting.remove(channel);
    }

    /** The channels held now, by name. */
    public Map<String, Waiting> waiting() {
        return new TreeMap<>(waiting);
    }

    int waitingChannels() {
        return waiting.size();
    }
}
