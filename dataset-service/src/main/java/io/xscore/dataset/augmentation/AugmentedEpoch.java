package io.xscore.dataset.augmentation;

import io.xscore.dataset.augmentation.AugmentationStatus.EpochStatus;
import io.xscore.dataset.augmentation.AugmentationStatus.State;
import io.xscore.dataset.preprocess.Manifest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One epoch of one augmented set, and the states it goes through:
 * <pre>
 *   QUEUED  → RUNNING ({@link #start}) | FAILED ({@link #fail}: refused by the size bound)
 *   RUNNING → READY ({@link #ready})   | FAILED ({@link #fail}: build, disk or data error)
 *   READY   → nothing (eviction takes it out of its set)
 *   FAILED  → nothing
 * </pre>
 * QUEUED when requested; RUNNING once the worker admitted it under the size bound; READY once published; FAILED with
 * the reason. Nothing leaves FAILED: a new request replaces a FAILED epoch with a fresh QUEUED one. An epoch found on
 * disk at start-up begins READY ({@link #recovered}). Eviction takes a READY epoch out of its set; it is no state.
 *
 * <p>Not thread-safe: guarded by the store's lock (the {@link AugmentedSets} monitor), except the progress counters,
 * which the augmenting threads bump while RUNNING and status reads take as they are.
 */
final class AugmentedEpoch {

    private final int number;
    private final int total;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private State state;
    private long bytes;
    private String error;
    private long lastUsed;
    private Manifest manifest;

    private AugmentedEpoch(int number, int total, State state) {
        this.number = number;
        this.total = total;
        this.state = state;
    }

    /** A requested epoch of {@code total} images, waiting for the worker. */
    static AugmentedEpoch queued(int number, int total) {
        return new AugmentedEpoch(number, total, State.QUEUED);
    }

    /** A READY epoch found on disk at start-up, as recently used as it was. */
    static AugmentedEpoch recovered(int number, Manifest manifest, long bytes, long lastUsed) {
        AugmentedEpoch epoch = new AugmentedEpoch(number, manifest.count(), State.READY);
        epoch.manifest = manifest;
        epoch.bytes = bytes;
        epoch.lastUsed = lastUsed;
        return epoch;
    }

    /** The transitions an epoch may make. */
    static boolean allowed(State from, State to) {
        return switch (from) {
            case QUEUED -> to == State.RUNNING || to == State.FAILED;
            case RUNNING -> to == State.READY || to == State.FAILED;
            case READY -> false;
            case FAILED -> false;
        };
    }

    /** QUEUED → RUNNING: admitted, about to be built. */
    void start() {
        moveTo(State.RUNNING);
    }

    /** RUNNING → READY: published with {@code manifest}, {@code bytes} on disk, used at {@code stamp}. */
    void ready(Manifest manifest, long bytes, long stamp) {
        moveTo(State.READY);
        this.manifest = manifest;
        this.bytes = bytes;
        this.lastUsed = stamp;
    }

    /** → FAILED with {@code reason} (shown in the status and the 409 of its manifest). */
    void fail(String reason) {
        moveTo(State.FAILED);
        this.error = reason;
    }

    private void moveTo(State next) {
        if (!allowed(state, next)) {
            throw new IllegalStateException("epoch " + number + " cannot go from " + state + " to " + next);
        }
        state = next;
    }

    /** One more image augmented (augmenting threads). */
    void imageAugmented() {
        done.incrementAndGet();
    }

    /** A shard of {@code shardBytes} was written into the partial directory (worker thread). */
    void shardWritten(long shardBytes) {
        written.addAndGet(shardBytes);
    }

    /** A manifest read: the epoch becomes the most recently used. */
    void used(long stamp) {
        lastUsed = stamp;
    }

    int number() {
        return number;
    }

    int total() {
        return total;
    }

    State state() {
        return state;
    }

    int done() {
        return done.get();
    }

    /** Bytes on disk once READY. */
    long bytes() {
        return bytes;
    }

    String error() {
        return error;
    }

    long lastUsed() {
        return lastUsed;
    }

    Manifest manifest() {
        return manifest;
    }

    /** What it counts against the size bound: READY its bytes, RUNNING the shards written so far, else nothing. */
    long bytesInUse() {
        return switch (state) {
            case READY -> bytes;
            case RUNNING -> written.get();
            case QUEUED, FAILED -> 0;
        };
    }

    EpochStatus view() {
        return switch (state) {
            case READY -> new EpochStatus(number, state, total, total, bytes, null);
            case RUNNING -> new EpochStatus(number, state, done.get(), total, written.get(), null);
            case QUEUED -> new EpochStatus(number, state, 0, total, 0, null);
            case FAILED -> new EpochStatus(number, state, done.get(), total, 0, error);
        };
    }
}
