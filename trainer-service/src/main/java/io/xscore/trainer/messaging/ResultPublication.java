package io.xscore.trainer.messaging;

import io.xscore.common.messaging.TrainingResult;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.trainer.service.TrainerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Publishes a job's result until the broker acknowledges it. A job record is acknowledged only after its result is,
 * so a broker that is away only delays the job: the result is never given up for a transient failure. A failure that
 * is not transient (a bug: the result cannot be encoded or sent) is retried a few times and then thrown, so the job
 * record goes to the dead-letter topic instead of blocking the trainer forever.
 */
@ApplicationScoped
public class ResultPublication {

    private static final Logger LOG = Logger.getLogger(ResultPublication.class);
    /** Non-transient failures to publish a result (a bug) before the job record is given up to the dead-letter topic. */
    static final int MAX_PUBLISH_FAILURES = 5;

    private final TrainingPublisher publisher;
    private final TrainerMetrics metrics;

    public ResultPublication(TrainingPublisher publisher, TrainerMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * Publishes the result and waits for the broker, for as long as the broker is away; never gives it up.
     *
     * @param stopping whether the application is stopping: then the job is handed back ({@link Stopping}) rather than
     *                 waited for
     */
    void untilAcknowledged(TrainingResult result, BooleanSupplier stopping) throws InterruptedException {
        long backoff = 1_000;
        int failures = 0;
        while (true) {
            if (stopping.getAsBoolean()) {
                throw new Stopping();
            }
            try {
                publisher.result(result).toCompletableFuture().get(3, TimeUnit.MINUTES);
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (!TransientFailures.isTransient(e) && ++failures >= MAX_PUBLISH_FAILURES) {
                    throw new IllegalStateException("the result of job " + result.jobId() + " could not be published "
                            + failures + " times", cause);
                }
                metrics.resultPublishRetried();
                LOG.warnf("job %s: the broker did not acknowledge its result (%s); retrying in %d ms", result.jobId(),
                        TransientFailures.describe(cause), backoff);
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 30_000);
        }
    }
}
