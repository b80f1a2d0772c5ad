package io.xscore.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.scheduler.Scheduled;
import io.xscore.gateway.config.GatewayConfig;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.InFlightSends;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.support.tracing.TraceContexts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The gateway's transactional outbox. A REST submission or cancellation is stored in MongoDB first, marked pending
 * ({@code requestPending}, {@code cancellationPending}); its record is then published, and the mark removed once the
 * broker acknowledged it. What the broker did not acknowledge at once (it was down, or slow) is published here, every
 * {@code xscore.gateway.outbox-interval}, until it is. Publishing twice is harmless: the planner plans an evaluation
 * once, and trainers treat a cancellation as a set.
 *
 * <p>Why an outbox: publishing first and storing after, or deleting the evaluation when the publish timed out, both
 * fail under a broker outage: the producer keeps a record it did not deliver in time and delivers it later, so a
 * request answered 503 would run anyway. Storing first makes the 202 durable and the record's fate certain.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Beyond the publish time-out: records younger than that are still being published by their own request. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int BATCH = 200;

    private final EvaluationRepository evaluations;
    private final RecordPublisher publisher;
    private final GatewayConfig config;
    private final MeterRegistry registry;
    private final InFlightSends inFlight = new InFlightSends();

    public OutboxRelay(EvaluationRepository evaluations, RecordPublisher publisher, GatewayConfig config,
            MeterRegistry registry) {
        this.evaluations = evaluations;
        this.publisher = publisher;
        this.config = config;
        this.registry = registry;
    }

    /** Publishes a stored request; true once the broker acknowledged it (and the pending mark is removed). */
    public boolean publishRequest(EvaluationEntity evaluation, Duration timeout) {
        // In the submission's trace: at once that is the POST's own context; later, on the scheduler, the stored one.
        Context context = evaluation.traceparent == null || Span.current().getSpanContext().isValid()
                ? Context.current() : TraceContexts.fromTraceparent(evaluation.traceparent);
        CompletableFuture<Void> sent;
        try (Scope scope = context.makeCurrent()) {
            sent = send("request/" + evaluation.id, () -> publisher.publish(evaluation.toRequest()));
        }
        if (!await(sent, timeout, "request of evaluation " + evaluation.id)) {
            return false;
        }
        evaluations.markRequestPublished(evaluation.id);
        return true;
    }

    /** Publishes a stored cancellation; true once the broker acknowledged it. */
    public boolean publishCancellation(EvaluationEntity evaluation, Duration timeout) {
        if (!await(send("cancellation/" + evaluation.id, () -> publisher.publish(evaluation.toCancellation())),
                timeout, "cancellation of evaluation " + evaluation.id)) {
            return false;
        }
        evaluations.markCancellationPublished(evaluation.id);
        return true;
    }

    /** A record still in the producer's hands from an earlier attempt is awaited, not sent again. */
    private CompletableFuture<Void> send(String key, Supplier<CompletionStage<Void>> publish) {
        return inFlight.sendOnce(key, publish);
    }

    @Scheduled(every = "${xscore.gateway.outbox-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void relay() {
        try {
            Instant before = Instant.now().minus(config.publishTimeout()).minus(GRACE);
            for (EvaluationEntity e : evaluations.pendingRequests(before, BATCH)) {
                try (LogContext log = LogContext.evaluation(e.id)) { // a broker timeout logged names it too
                    if (!publishRequest(e, config.publishTimeout())) {
                        return; // the broker is still away: try again next time, oldest first
                    }
                    registry.counter("xscore.outbox.published", "record", "request").increment();
                    LOG.infof("outbox: published the request of evaluation %s", e.id);
                }
            }
            for (EvaluationEntity e : evaluations.pendingCancellations(before, BATCH)) {
                try (LogContext log = LogContext.evaluation(e.id)) {
                    if (!publishCancellation(e, config.publishTimeout())) {
                        return;
                    }
                    registry.counter("xscore.outbox.published", "record", "cancellation").increment();
                    LOG.infof("outbox: published the cancellation of evaluation %s", e.id);
                }
            }
        } catch (RuntimeException e) {
            if (!TransientFailures.isTransient(e)) {
                throw e;
            }
            LOG.debugf("outbox: database unavailable (%s); next pass", TransientFailures.describe(e));
        }
    }

    private boolean await(CompletionStage<Void> sent, Duration timeout, String what) {
        try {
            sent.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            registry.counter("xscore.outbox.publish.failures").increment();
            LOG.warnf("outbox: the broker did not acknowledge the %s in time (%s); it stays pending", what,
                    TransientFailures.describe(e));
            return false;
        }
    }
}
