package io.xscore.support.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.support.logging.LogContext;
import io.xscore.support.tracing.TraceContexts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The one way an xScore service handles a Kafka record: decode and schema-check it, hand it to the service, and
 * acknowledge it only when that worked. What happens on failure depends on whether the record could ever succeed:
 *
 * <ul>
 *   <li>Invalid (malformed JSON, schema violation: {@link InvalidMessageException}) or refused by the service as
 *       something it can never handle ({@link PoisonRecordException}): nacked at once, so the channel's
 *       {@code dead-letter-queue} failure strategy writes it to the dead-letter topic with the reason in the
 *       {@code dead-letter-reason} header; the channel goes on.</li>
 *   <li>Transient ({@link TransientFailures}: the database, the broker or another service unavailable): the record
 *       is retried with exponential backoff for as long as the outage lasts. Meanwhile the channel is held (no new
 *       record is requested, so the connector pauses its partitions while it keeps polling and stays in its group)
 *       and {@link ConsumerHealth} reports the service not ready. Nothing is dead-lettered because a dependency was
 *       down.</li>
 *   <li>Any other failure (a bug, or a state the code cannot handle): retried {@code xscore.messaging.max-failed-attempts}
 *       times, then dead-lettered with the failure as the reason, so one bad record cannot block a channel forever
 *       and can be replayed once the cause is fixed.</li>
 * </ul>
 *
 * Call it from an {@code @Incoming} method annotated {@code @Blocking(ordered = true)}: it blocks the worker thread
 * while it retries. The channel must use the {@code dead-letter-queue} failure strategy, and a throttled commit
 * strategy with {@code throttled.unprocessed-record-max-age.ms=0} (the connector's own 60 s limit would otherwise fail
 * the channel during a longer outage; {@link ConsumerHealth} reports a held channel instead). On shutdown a record that
 * is being retried is left unacknowledged, so it is delivered again after the restart.
 */
@ApplicationScoped
public class RecordProcessor {

    private static final Logger LOG = Logger.getLogger(RecordProcessor.class);

    /** Handles one decoded record; any exception it throws is classified as described above. */
    @FunctionalInterface
    public interface Handler<T> {
        void handle(T record) throws Exception;
    }

    private final MessagingConfig config;
    private final ConsumerHealth health;
    private final MeterRegistry registry;
    private volatile boolean stopping;

    public RecordProcessor(MessagingConfig config, ConsumerHealth health, MeterRegistry registry) {
        this.config = config;
        this.health = health;
        this.registry = registry;
        Gauge.builder("xscore.messaging.waiting.channels", health, ConsumerHealth::waitingChannels)
                .description("Kafka channels held on a record because a dependency is unavailable")
                .register(registry);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Decodes the payload as a {@code type} message (JSON Schema checked) and handles it. */
    public <T> CompletionStage<Void> process(String channel, Message<String> message, Class<T> type,
            Handler<T> handler) {
        return process(channel, message, type, record -> LogContext.of(null, null), handler);
    }

    /**
     * As {@link #process(String, Message, Class, Handler)}, with the evaluation and job ids the record concerns in
     * the logging MDC ({@link LogContext}) while it is handled, retried or dead-lettered.
     */
    public <T> CompletionStage<Void> process(String channel, Message<String> message, Class<T> type,
            Function<? super T, LogContext> logContext, Handler<T> handler) {
        return process(channel, message, payload -> MessageCodec.decode(payload, type), logContext, handler);
    }

    /**
     * Decodes the payload with {@code decoder} (which throws {@link InvalidMessageException} or
     * {@link PoisonRecordException} for a record that can never be handled) and handles it.
     */
    public <T> CompletionStage<Void> process(String channel, Message<String> message, Function<String, T> decoder,
            Handler<T> handler) {
        return process(channel, message, decoder, record -> LogContext.of(null, null), handler);
    }

    /**
     * As {@link #process(String, Message, Function, Handler)}, with the ids {@code logContext} gives for the decoded
     * record in the logging MDC while it is handled, retried or dead-lettered (the MDC is the worker thread's: it is
     * set and cleared here, around each attempt).
     */
    public <T> CompletionStage<Void> process(String channel, Message<String> message, Function<String, T> decoder,
            Function<? super T, LogContext> logContext, Handler<T> handler) {
        int failures = 0;
        int transientFailures = 0;
        long backoff = config.initialBackoff().toMillis();
        while (true) {
            LogContext ids = null;
            try {
                T record = decoder.apply(message.getPayload());
                ids = logContext.apply(record);
                try (Scope traced = TraceContexts.enter(message)) {
                    handler.handle(record); // in the record's trace: what it publishes continues that trace
                }
                if (transientFailures > 0) {
                    LOG.infof("%s: record handled after %d attempts; the dependency is back", channel,
                            transientFailures + failures + 1);
                }
                health.recovered(channel);
                counter("xscore.messaging.records", channel, "outcome", "processed").increment();
                return message.ack();
            } catch (InvalidMessageException | PoisonRecordException e) {
                return deadLetter(channel, message, e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return leaveUnacknowledged(channel);
            } catch (Exception e) {
                if (TransientFailures.isTransient(e)) {
                    transientFailures++;
                    health.waiting(channel, e, transientFailures);
                    counter("xscore.messaging.retries", channel, "kind", "transient").increment();
                    if (transientFailures == 1 || transientFailures % 20 == 0) {
                        LOG.warnf("%s: a dependency is unavailable (%s); holding the record and retrying "
                                + "(attempt %d)", channel, TransientFailures.describe(e), transientFailures);
                    }
                } else {
                    failures++;
                    counter("xscore.messaging.retries", channel, "kind", "failure").increment();
                    if (failures >= config.maxFailedAttempts()) {
                        LOG.errorf(e, "%s: record failed %d times", channel, failures);
                        return deadLetter(channel, message, "failed " + failures + " times: "
                                + TransientFailures.describe(e) + ": " + e.getMessage(), e);
                    }
                    LOG.warnf("%s: handling failed (attempt %d of %d): %s", channel, failures,
                            config.maxFailedAttempts(), TransientFailures.describe(e));
                }
            } finally {
                if (ids != null) {
                    ids.close(); // after the failure was logged, before the backoff: the thread may serve others
                }
            }
            if (stopping || !sleep(jitter(backoff))) {
                return leaveUnacknowledged(channel);
            }
            backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
        }
    }

    private CompletionStage<Void> deadLetter(String channel, Message<String> message, String reason, Throwable e) {
        LOG.warnf("%s: dead-lettering a record: %s", channel, reason);
        health.recovered(channel);
        counter("xscore.messaging.records", channel, "outcome", "dead_lettered").increment();
        return message.nack(e instanceof InvalidMessageException || e instanceof PoisonRecordException ? e
                : new PoisonRecordException(reason, e));
    }

    /** Neither ack nor nack: the offset is not committed, and the record is delivered again after a restart. */
    private CompletionStage<Void> leaveUnacknowledged(String channel) {
        LOG.infof("%s: shutting down with a record not yet handled; it will be delivered again", channel);
        return new CompletableFuture<>();
    }

    private static long jitter(long millis) {
        return millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Counter counter(String name, String channel, String tag, String value) {
        return registry.counter(name, "channel", channel, tag, value);
    }
}
