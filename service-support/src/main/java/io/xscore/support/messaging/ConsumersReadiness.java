package io.xscore.support.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the service's Kafka consumers: DOWN while any channel is held on a record because a dependency is
 * unavailable ({@link ConsumerHealth}), UP again as soon as the record went through. Readiness, not liveness:
 * restarting the pod would not bring the dependency back.
 */
@Readiness
@ApplicationScoped
public class ConsumersReadiness implements HealthCheck {

    private final ConsumerHealth consumers;

    public ConsumersReadiness(ConsumerHealth consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        var waiting = consumers.waiting();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("xscore-consumers").status(waiting.isEmpty());
        waiting.forEach((channel, w) -> response.withData(channel, "waiting for a dependency since " + w.since()
                + " (" + w.attempts() + " attempts, " + w.failure() + ")"));
        return response.build();
    }
}
