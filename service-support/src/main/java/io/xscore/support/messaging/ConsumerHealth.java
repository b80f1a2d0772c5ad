package io.xscore.support.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the service's Kafka consumers as {@link RecordProcessor} sees them: DOWN while any channel is held on
 * a record because a dependency (the database, the broker, another service) is unavailable, UP again as soon as the
 * record went through. Readiness, not liveness: restarting the pod would not bring the dependency back.
 */
@Readiness
@ApplicationScoped
public class ConsumerHealth implements HealthCheck {

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

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("xscore-consumers").status(waiting.isEmpty());
        waiting().forEach((channel, w) -> response.withData(channel,
                "waiting for a dependency since " + w.since() + " (" + w.attempts() + " attempts, " + w.failure() + ")"));
        return response.build();
    }
}
