package io.xscore.dataset.augmentation;

import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.dataset.augmentation.AugmentationStatus.State;
import io.xscore.dataset.cache.CacheSpaceGuard;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The background worker: one thread computing one queued epoch at a time, in request order. For each it asks the
 * {@link LruByteBudget} for room (FAILED at once when refused), builds the epoch with the {@link EpochBuilder} in a
 * hidden partial directory, publishes it with {@link AugmentationLayout#publish} and moves it to READY; any error
 * removes the partial directory and moves the epoch to FAILED with the reason, and the worker carries on.
 */
final class EpochWorker implements AutoCloseable {

    /** The store's log category, as before the store was split. */
    private static final Logger LOG = Logger.getLogger(AugmentationStore.class);

    private final AugmentedSets sets;
    private final EpochBuilder builder;
    private final LruByteBudget budget;
    private final Preprocessor.SpaceGuard guard;
    private final UseClock clock;
    private final AugmentationStore.Listener listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("xscore-augment-worker"));

    /**
     * @param sets     the store's sets; their monitor is the lock the worker takes to change an epoch's state
     * @param builder  computes an epoch's files
     * @param budget   admits an epoch under the size bound
     * @param guard    asked for the whole epoch's estimated size before it is built (free disk space)
     * @param clock    stamps a READY epoch's use
     * @param listener told about progress, READY and FAILED epochs and the bytes in use
     */
    EpochWorker(AugmentedSets sets, EpochBuilder builder, LruByteBudget budget, Preprocessor.SpaceGuard guard,
            UseClock clock, AugmentationStore.Listener listener) {
        this.sets = sets;
        this.builder = builder;
        this.budget = budget;
        this.guard = guard;
        this.clock = clock;
        this.listener = listener;
    }

    /** Queues the computation of {@code epoch} (QUEUED, in {@code set}) behind everything queued before. */
    void submit(AugmentedSet set, AugmentedEpoch epoch) {
        thread.execute(() -> compute(set, epoch));
    }

    /** Stops the thread; an epoch being computed is abandoned (its partial directory goes at the next start). */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Only for tests: waits until everything queued so far has been computed. */
    void awaitIdle() throws InterruptedException, ExecutionException {
        thread.submit(() -> { }).get();
    }

    /** One job: admits the epoch under the size bound, builds it in a partial directory, publishes it. */
    private void compute(AugmentedSet set, AugmentedEpoch epoch) {
        AugmentationKey key = set.key();
        long estimate;
        LruByteBudget.Admission admission;
        synchronized (sets) {
            // Defensive: only a QUEUED epoch still in its set is computed.
            if (epoch.state() != State.QUEUED || set.epoch(epoch.number()) != epoch) {
                return;
            }
            estimate = builder.estimateBytes(key.images(), key.resolution());
            admission = budget.admit(estimate);
            if (admission.admitted()) {
                epoch.start();
            } else {
                fail(set, epoch, admission.refusal());
            }
        }
        // Epochs evicted for this one are gone from their sets either way: delete their renamed folders now, also when
        // the epoch was refused after all (they would otherwise wait for the next start-up).
        AugmentationLayout.deleteAll(admission.evicted());
        if (!admission.admitted()) {
            listener.augmentationCacheBytes(sets.bytesInUse());
            return;
        }
        Path target = set.epochDir(epoch.number());
        Path partial = AugmentationLayout.partialDir(target);
        long start = System.nanoTime();
        try {
            guard.reserve(target, estimate);
            Files.createDirectories(partial);
            Manifest manifest = builder.build(key, epoch.number(), partial, new EpochBuilder.Progress() {
                @Override
                public void imageAugmented() {
                    epoch.imageAugmented();
                }

                @Override
                public void shardWritten(ShardEntry shard, int images) {
                    epoch.shardWritten(shard.bytes());
                    listener.augmented(key.dataset(), images);
                }
            });
            AugmentationLayout.publish(partial, target);
            long bytes = CacheSpaceGuard.bytesUnder(target);
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (sets) {
                epoch.ready(manifest, bytes, clock.tick());
            }
            readyReported(key, epoch, bytes, seconds);
        } catch (Exception | OutOfMemoryError e) {
            AugmentationLayout.deleteAll(List.of(partial));
            String reason = e instanceof IOException || e instanceof DatasetException ? e.getMessage()
                    : e.toString();
            synchronized (sets) {
                fail(set, epoch, reason);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            listener.augmentationCacheBytes(sets.bytesInUse());
        }
    }

    /**
     * Logs and reports a published epoch. It is READY and on disk whatever happens here: a failing listener or log
     * handler is logged, never turns the epoch FAILED (its folder would stay and every retry would fail on it).
     */
    private void readyReported(AugmentationKey key, AugmentedEpoch epoch, long bytes, double seconds) {
        try {
            double imagesPerSecond = seconds > 0 ? key.images() / seconds : 0;
            LOG.infof("augmented %s/%s epoch %d (%s, %d px, seed %d): %d images, %d bytes in %.2f s, %.0f images/s",
                    key.dataset(), key.key(), epoch.number(), key.augmentation(), key.resolution(), key.seed(),
                    key.images(), bytes, seconds, imagesPerSecond);
            listener.epochReady(key.dataset(), epoch.number(), key.images(), seconds);
        } catch (RuntimeException e) {
            LOG.warnf("augmented %s/%s epoch %d is ready; reporting it failed: %s", key.dataset(), key.key(),
                    epoch.number(), e.toString());
        }
    }

    /** Caller holds the sets' lock. */
    private void fail(AugmentedSet set, AugmentedEpoch epoch, String reason) {
        epoch.fail(reason);
        LOG.warnf("augmenting %s/%s epoch %d failed: %s", set.key().dataset(), set.key().key(), epoch.number(),
                reason);
        listener.epochFailed(set.key().dataset(), epoch.number(), reason);
    }
}
