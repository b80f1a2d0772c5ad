package io.xscore.support.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightSendsTest {

    @Test
    void aRecordStillInFlightIsNotSentAgainButOneThatFinishedIs() {
        InFlightSends sends = new InFlightSends();
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> broker = new CompletableFuture<>();
        CompletableFuture<Void> first = sends.sendOnce("job-1", () -> {
            sent.incrementAndGet();
            return broker;
        });
        // the caller timed out and retries while the producer still holds the record
        CompletableFuture<Void> retry = sends.sendOnce("job-1", () -> {
            sent.incrementAndGet();
            return new CompletableFuture<>();
        });
        assertSame(first, retry);
        assertEquals(1, sent.get());
        sends.sendOnce("job-2", () -> {
            sent.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        assertEquals(2, sent.get(), "another record is sent");

        broker.completeExceptionally(new IllegalStateException("delivery timed out"));
        assertEquals(0, sends.size());
        sends.sendOnce("job-1", () -> {
            sent.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        assertEquals(3, sent.get(), "a send that failed is made again");
    }
}
