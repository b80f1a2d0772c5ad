package io.xscore.trainer.messaging;

import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.trainer.service.TrainingJobService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code xscore.training-jobs} (group {@code trainers}), one job at a time on a dedicated thread.
 *
 * <ul>
 *   <li>Undecodable records are nacked with the codec's reason: SmallRye writes them to
 *       {@code xscore.training-jobs.dlq.trainer-service} with header {@code dead-letter-reason}.</li>
 *   <li>A job is acknowledged only after its {@code TrainingResult} (SUCCEEDED or FAILED) has been acknowledged by
 *       the broker, so a crash mid-job re-delivers it.</li>
 *   <li>Returning a CompletionStage makes SmallRye process records strictly in sequence; with
 *       {@code max.poll.records=1} and pause-if-no-requests the consumer keeps polling (paused) and stays in its
 *       group while a job runs for hours; the throttled commit strategy turns a job older than
 *       {@code xscore.trainer.max-job-duration-ms} into an unhealthy channel.</li>
 * </ul>
 */
@ApplicationScoped
public class TrainingJobConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingJobConsumer.class);

    @Inject
    TrainingJobService service;

    @Inject
    TrainingPublisher publisher;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "xscore-trainer-job");
        t.setDaemon(true);
        return t;
    });

    @Incoming("training-jobs")
    public CompletionStage<Void> consume(Message<String> message) {
        TrainingJob job;
        try {
            job = MessageCodec.decode(message.getPayload(), TrainingJob.class);
        } catch (InvalidMessageException e) {
            LOG.warnf("dead-lettering an invalid training job: %s", e.getMessage());
            return message.nack(e);
        }
        return CompletableFuture.supplyAsync(() -> service.run(job, publisher::progress), worker)
                .thenCompose(publisher::result)
                .thenCompose(done -> message.ack())
                .thenRun(() -> service.finished(job))
                .exceptionallyCompose(failure -> {
                    LOG.errorf(failure, "could not publish the result of job %s", job.jobId());
                    return message.nack(failure);
                });
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
