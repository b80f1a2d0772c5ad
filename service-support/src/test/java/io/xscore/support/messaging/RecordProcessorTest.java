package io.xscore.support.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoTimeoutException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xscore.common.json.InvalidMessageException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

/** The record processor's decisions: handled, dead-lettered at once, retried while a dependency is down, or bounded. */
class RecordProcessorTest {

    /** The MongoDB driver's failure when no server answers, with the address in its message as the driver writes it. */
    static MongoTimeoutException mongoDown() {
        return new MongoTimeoutException("Timed out after 30000 ms while waiting for a server; client view of cluster "
                + "state is {type=UNKNOWN, servers=[{address=10.0.0.7:27017, type=UNKNOWN, state=CONNECTING}]");
    }

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ConsumerHealth health = new ConsumerHealth();
    final RecordProcessor processor = new RecordProcessor(config(5), health, meters);
    final List<String> outcome = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> nackCause = new AtomicReference<>();

    Message<String> record(String payload) {
        return Message.of(payload, Metadata.empty(), () -> {
            outcome.add("ack");
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            outcome.add("nack");
            nackCause.set(failure);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void handledRecordIsAcknowledged() {
        AtomicReference<String> seen = new AtomicReference<>();
        processor.process("c", record("hello"), p -> p, seen::set);
        assertEquals("hello", seen.get());
        assertEquals(List.of("ack"), outcome);
        assertEquals(1.0, meters.counter("xscore.messaging.records", "channel", "c", "outcome", "processed").count());
    }

    @Test
    void invalidAndPoisonRecordsAreDeadLetteredAtOnceWithTheReason() {
        AtomicInteger calls = new AtomicInteger();
        processor.process("c", record("{"), p -> {
            calls.incrementAndGet();
            throw new InvalidMessageException("malformed JSON");
        }, r -> { });
        assertEquals(List.of("nack"), outcome);
        assertEquals("malformed JSON", nackCause.get().getMessage());
        processor.process("c", record("x"), p -> p, r -> {
            calls.incrementAndGet();
            throw new PoisonRecordException("models[0]: unknown model");
        });
        assertEquals(List.of("nack", "nack"), outcome);
        assertEquals("models[0]: unknown model", nackCause.get().getMessage());
        assertEquals(2, calls.get(), "no retry for a record that can never succeed");
    }

    @Test
    void transientFailuresAreRetriedUntilTheDependencyIsBackAndNeverDeadLettered() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Boolean> readyDuringOutage = new AtomicReference<>();
        Thread worker = new Thread(() -> processor.process("results", record("r"), p -> p, r -> {
            int n = attempts.incrementAndGet();
            if (n == 3) {
                readyDuringOutage.set(health.waiting().isEmpty());
            }
            if (n <= 12) { // more attempts than max-failed-attempts: an outage is not a bug
                throw n % 2 == 0 ? mongoDown()
                        : new RuntimeException("write failed", new IOException("connection reset"));
            }
        }));
        worker.start();
        worker.join(20_000);
        assertFalse(worker.isAlive());
        assertEquals(13, attempts.get());
        assertEquals(List.of("ack"), outcome);
        assertEquals(Boolean.FALSE, readyDuringOutage.get(), "readiness reports the held channel");
        assertTrue(health.waiting().isEmpty(), "ready again once the record went through");
        assertEquals(12.0, meters.counter("xscore.messaging.retries", "channel", "results", "kind", "transient")
                .count());
    }

    @Test
    void healthNamesTheFailureButNoAddressOfTheDependency() {
        AtomicReference<String> whileWaiting = new AtomicReference<>();
        AtomicInteger attempts = new AtomicInteger();
        processor.process("c", record("r"), p -> p, r -> {
            if (attempts.incrementAndGet() == 1) {
                throw mongoDown();
            }
            whileWaiting.set(health.waiting().toString());
        });
        assertTrue(whileWaiting.get().contains("MongoTimeoutException"), whileWaiting.get());
        assertFalse(whileWaiting.get().contains("10.0.0.7"), whileWaiting.get());
    }

    @Test
    void otherFailuresAreRetriedABoundedNumberOfTimesThenDeadLettered() {
        AtomicInteger attempts = new AtomicInteger();
        processor.process("c", record("r"), p -> p, r -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("a bug");
        });
        assertEquals(5, attempts.get());
        assertEquals(List.of("nack"), outcome);
        assertInstanceOf(PoisonRecordException.class, nackCause.get());
        assertTrue(nackCause.get().getMessage().startsWith("failed 5 times: IllegalStateException: a bug"),
                nackCause.get().getMessage());
    }

    @Test
    void aRecordHeldAtShutdownIsLeftUnacknowledged() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<CompletableFuture<Void>> result = new AtomicReference<>();
        Thread worker = new Thread(() -> result.set(processor.process("c", record("r"), p -> p, r -> {
            if (attempts.incrementAndGet() == 2) {
                processor.onStop(null);
            }
            throw mongoDown();
        }).toCompletableFuture()));
        worker.start();
        worker.join(10_000);
        assertFalse(worker.isAlive());
        assertTrue(outcome.isEmpty(), "neither acknowledged nor dead-lettered: " + outcome);
        assertFalse(result.get().isDone());
        assertNull(nackCause.get());
    }

    static MessagingConfig config(int maxFailedAttempts) {
        return new MessagingConfig() {
            @Override
            public Duration initialBackoff() {
                return Duration.ofMillis(10);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofMillis(40);
            }

            @Override
            public int maxFailedAttempts() {
                return maxFailedAttempts;
            }
        };
    }
}
