package io.xscore.dataset.augmentation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Use stamps of READY epochs, the order least-recently-used eviction follows: milliseconds since the epoch, bumped so
 * that no two stamps are equal, and never behind a stamp recovered from disk (an epoch directory's modification
 * time), so that epochs used after a restart count as more recent than every epoch used before it.
 */
final class UseClock {

    private final AtomicLong last = new AtomicLong();

    /** A stamp later than every stamp given or observed so far. */
    long tick() {
        return last.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis()));
    }

    /** Takes in a stamp found on disk: later ticks come after it. */
    void observe(long stamp) {
        last.accumulateAndGet(stamp, Math::max);
    }
}
