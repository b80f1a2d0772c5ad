package io.xscore.trainer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Health of the share consumer that takes jobs ({@code xscore-training-jobs}). Liveness: its thread is alive and goes
 * round its loop (at least every lock renewal, every second when idle); a restart helps when it does not. Readiness:
 * also subscribed to the share group, with share groups enabled and the group's configs accepted. How long a job has
 * been running plays no part: a job of days is healthy as long as its lock is renewed.
 */
@ApplicationScoped
public class TrainingJobsHealth {

    private final TrainingJobConsumer consumer;

    public TrainingJobsHealth(TrainingJobConsumer consumer) {
        this.consumer = consumer;
    }

    @Produces
    @Liveness
    HealthCheck liveness() {
        return () -> HealthCheckResponse.named("xscore-training-jobs").status(consumer.alive())
                .withData("since last poll or renewal", consumer.sinceLastLoop().toString()).build();
    }

    @Produces
    @Readiness
    HealthCheck readiness() {
        return () -> {
            var problem = consumer.notReady();
            var response = HealthCheckResponse.named("xscore-training-jobs").status(problem.isEmpty());
            problem.ifPresent(p -> response.withData("problem", p));
            consumer.runningJob().ifPresent(j -> response.withData("job", j));
            return response.build();
        };
    }
}
