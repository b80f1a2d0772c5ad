package io.xscore.dataset.augmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Use stamps: unique, increasing, never behind a stamp recovered from disk. */
class UseClockTest {

    @Test
    void stampsStrictlyIncreaseEvenWithinOneMillisecond() {
        UseClock clock = new UseClock();
        long previous = clock.tick();
        assertTrue(previous >= System.currentTimeMillis() - 1_000, "wall-clock milliseconds");
        for (int i = 0; i < 10_000; i++) {
            long next = clock.tick();
            assertTrue(next > previous, next + " after " + previous);
            previous = next;
        }
    }

    @Test
    void aStampFromDiskInTheFutureIsPassedNotRepeated() {
        UseClock clock = new UseClock();
        long future = System.currentTimeMillis() + 3_600_000;
        clock.observe(future);
        clock.observe(future - 5); // an older one changes nothing
        assertEquals(future + 1, clock.tick());
        assertEquals(future + 2, clock.tick());
    }
}
