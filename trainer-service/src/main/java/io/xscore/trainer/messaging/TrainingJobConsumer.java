package io.xscore.trainer.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.trainer.service.FinishedJobs;
import io.xscore.trainer.service.TrainerMetrics;
import io.xscore.trainer.service.TrainingJobService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code xscore.training-jobs} (group {@code trainers}), one job at a time on a dedicated thread, with an
 * exactly-once effect per job:
 *
 * <ul>
 *   <li>Undecodable records are nacked with the codec's reason: SmallRye writes them to
 *       {@code xscore.training-jobs.dlq.trainer-service} with header {@code dead-letter-reason}. A valid job is never
 *       dead-lettered because the broker was away: its result is published again until the broker acknowledges it,
 *       so a job is never both dead-lettered and completed.</li>
 *   <li>A finished job never trains again ({@link FinishedJobs}): a redelivered job this trainer finished is answered
 *       with the same result from its ledger; one the scoring service has a success for is acknowledged as is.</li>
 *   <li>Order at the end of a job: the result is acknowledged by the broker, then recorded in the ledger, then the
 *       checkpoint is deleted, then the job record is acknowledged. A crash at any point leaves either the
 *       checkpoint (training resumes after its last epoch) or the ledger entry (the result is published again).</li>
 *   <li>Returning a CompletionStage makes SmallRye process records strictly in sequence; with
 *       {@code max.poll.records=1} and pause-if-no-requests the consumer keeps polling (paused) and stays in its
 *       group while a job runs for hours; the throttled commit strategy turns a job older than
 *       {@code xscore.trainer.max-job-duration-ms} into an unhealthy channel.</li>
 *   <li>On shutdown a job that is not finished is left unacknowledged: it is delivered again and resumes from its
 *       checkpoint.</li>
 * </ul>
 */
@ApplicationScoped
public class TrainingJobConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingJobConsumer.class);
    /** Non-transient failures to publish a result (a bug) before the job record is given up to the dead-letter topic. */
    private static final int MAX_PUBLISH_FAILURES = 5;

    private final TrainingJobService service;
    private final TrainingPublisher publisher;
    private final FinishedJobs finished;
    private final TrainerMetrics metrics;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("xscore-trainer-job"));
    private volatile boolean stopping;

    public TrainingJobConsumer(TrainingJobService service, TrainingPublisher publisher, FinishedJobs finished,
            TrainerMetrics metrics) {
        this.service = service;
        this.publisher = publisher;
        this.finished = finished;
        this.metrics = metrics;
    }

    @Incoming("training-jobs")
    public CompletionStage<Void> consume(Message<String> message) {
        TrainingJob job;
        try {
            job = MessageCodec.decode(message.getPayload(), TrainingJob.class);
        } catch (InvalidMessageException e) {
            LOG.warnf("dead-lettering an invalid training job: %s", e.getMessage());
            return message.nack(e);
        }
        return CompletableFuture.runAsync(() -> handle(job), worker)
                .thenCompose(done -> message.ack())
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof Stopping) {
                        LOG.infof("job %s left unacknowledged at shutdown; it will be delivered again", job.jobId());
                        return new CompletableFuture<>();
                    }
                    LOG.errorf(cause, "job %s: its result cannot be published; dead-lettering the job", job.jobId());
                    return message.nack(cause);
                });
    }

    private void handle(TrainingJob job) {
        try {
            FinishedJobs.Verdict verdict = finished.check(job);
            if (verdict instanceof FinishedJobs.Verdict.Republish again) {
                LOG.infof("job %s finished here before (its record came back); publishing its result again, not "
                        + "training", job.jobId());
                metrics.notRetrained("ledger");
                publishUntilAcknowledged(again.result());
                return;
            }
            if (verdict instanceof FinishedJobs.Verdict.AlreadyStored stored) {
                LOG.infof("job %s already succeeded (%s); not training it again", job.jobId(), stored.result().trainer());
                metrics.notRetrained("scoring");
                return;
            }
            TrainingResult result = service.run(job, publisher::progress);
            publishUntilAcknowledged(result);
            finished.ledger().record(result);
            service.finished(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        }
    }

    /** Publishes the result and waits for the broker, for as long as the broker is away; never gives it up. */
    private void publishUntilAcknowledged(TrainingResult result) throws InterruptedException {
        long backoff = 1_000;
        int failures = 0;
        while (true) {
            if (stopping) {
                throw new Stopping();
            }
            try {
                publisher.result(result).toCompletableFuture().get(3, TimeUnit.MINUTES);
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                     | RuntimeException e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                        ? e.getCause() : e;
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

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** The application is stopping: leave the job record unacknowledged. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("shutting down", null, false, false);
        }
    }
}
