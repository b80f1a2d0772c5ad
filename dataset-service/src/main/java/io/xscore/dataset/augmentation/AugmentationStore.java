package io.xscore.dataset.augmentation;

import io.xscore.augment.EpochAugmentation;
import io.xscore.dataset.augmentation.AugmentationStatus.State;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The augmentation cache: training epochs augmented in advance, so that GPU trainers stream them instead of spending
 * CPU time on RandAugment/ColorJitter. What an epoch holds, bit for bit, is described by {@link EpochBuilder}, which
 * computes it. Only pipelines with 8-bit image ops are cached ({@link EpochAugmentation#cacheable}); others are
 * refused (422).
 *
 * <p><b>Keys and layout.</b> A set of epochs is named by an {@link AugmentationKey} (dataset, split, augmentation,
 * pipeline description, resolution, seed and the source split's content hash) and stored in
 * {@code <dir>/<dataset>/<key>/} as {@link AugmentationLayout} describes: an epoch is built in a hidden partial
 * directory and renamed atomically, so a crash never leaves a half-written epoch visible. At start-up the store
 * loads every READY epoch and every {@code key.json}; leftover partial directories are deleted. QUEUED and RUNNING
 * epochs live in memory only: after a restart they are requested again.
 *
 * <p><b>Work.</b> One background worker computes one epoch at a time, in request order, with an
 * {@link EpochBuilder} (source split read through {@link SplitCache}, images augmented in parallel on
 * {@code threads} threads). Progress is visible in {@link #status}. A request is idempotent: epochs READY, QUEUED or
 * RUNNING are not redone, FAILED ones are retried.
 *
 * <p><b>Size bound.</b> Before an epoch is computed its size is estimated. If READY epochs plus the estimate would
 * exceed {@code maxBytes} (0 = no bound), READY epochs are evicted least recently used first (use = creation or a
 * manifest read; the epoch directory's modification time keeps it across restarts); the epoch being computed is
 * never evicted. An epoch larger than the bound on its own is FAILED at once with "augmentation cache full: ..."
 * (nothing is evicted for it) and the trainer augments that epoch on the fly. The {@code guard} (free-disk check)
 * is asked before the epoch and, by the builder, before each shard; a disk that fills mid-epoch fails the epoch
 * naming the file, its partial directory is removed and the service carries on.
 *
 * <p><b>Parts.</b> This class is the facade; each idea lives in its own class of this package:
 * {@link AugmentationRequestValidator} (what a request or key is refused for), {@link AugmentedEpoch} (an epoch's
 * states and allowed transitions), {@link AugmentedSet} / {@link AugmentedSets} (one key's epochs / all keys, whose
 * monitor is the store's lock), {@link LruByteBudget} (admission under {@code maxBytes}, LRU eviction),
 * {@link EpochWorker} (the background thread), {@link StartupRecovery} (what is on disk at start-up) and
 * {@link UseClock} (use stamps).
 *
 * <p>Plain class; wired by {@code DatasetBeans}. Errors reach clients as {@link DatasetException} problems.
 */
public final class AugmentationStore implements AutoCloseable {

    // The bounds are the validator's; named here too because REST resources use them.
    /** Keys as they appear in URLs: checked before any file-system access. */
    public static final Pattern KEY = AugmentationRequestValidator.KEY;
    public static final int MIN_RESOLUTION = AugmentationRequestValidator.MIN_RESOLUTION;
    public static final int MAX_RESOLUTION = AugmentationRequestValidator.MAX_RESOLUTION;
    public static final int MAX_EPOCHS_PER_REQUEST = AugmentationRequestValidator.MAX_EPOCHS_PER_REQUEST;
    /** Epochs are numbered 0 .. EPOCH_LIMIT-1 (the directory names have five digits). */
    public static final int EPOCH_LIMIT = AugmentationRequestValidator.EPOCH_LIMIT;

    private static final String TRAIN = Split.TRAIN.id();

    /** Observes what the store does (metrics). */
    public interface Listener {
        /** {@code images} more images augmented and written (called per output shard). */
        default void augmented(String dataset, int images) {
        }

        default void epochReady(String dataset, int epoch, int images, double seconds) {
        }

        default void epochFailed(String dataset, int epoch, String reason) {
        }

        /** A READY epoch's manifest was read. */
        default void augmentationHit(String dataset) {
        }

        default void evicted(String dataset, int epoch, long bytes) {
        }

        /** Bytes of READY epochs plus the shards written so far of the running one. */
        default void augmentationCacheBytes(long bytes) {
        }
    }

    /**
     * @param dir         root of the cache
     * @param maxBytes    bound on READY epochs' bytes; 0 = none
     * @param threads     threads augmenting an epoch's images; 0 = one per core
     * @param shardImages most images per output shard (the service's {@code shard-images})
     * @param shardBytes  most pixel bytes per output shard (the service's {@code shard-bytes})
     * @param guard       asked before each file is written (free disk space)
     */
    public record Settings(Path dir, long maxBytes, int threads, int shardImages, long shardBytes,
            Preprocessor.SpaceGuard guard) {
    }

    private final Path dir;
    private final AugmentationLayout layout;
    private final EpochBuilder builder;
    private final SplitCache cache;
    private final DatasetSources sources;
    private final Listener listener;
    /** The known sets; {@code synchronized (sets)} is the store's lock. */
    private final AugmentedSets sets = new AugmentedSets();
    private final UseClock clock = new UseClock();
    private final EpochWorker worker;

    /**
     * Loads what {@code settings.dir()} holds (READY epochs, keys), deletes leftover partial directories, and starts
     * the worker. A directory that cannot be created or read is logged, not thrown: the rest of the service keeps
     * working and requests fail naming the file they could not write.
     */
    public AugmentationStore(Settings settings, SplitCache cache, DatasetSources sources, Listener listener) {
        this.dir = settings.dir().toAbsolutePath().normalize();
        this.layout = new AugmentationLayout(dir);
        this.builder = new EpochBuilder(cache, settings.threads(), settings.shardImages(), settings.shardBytes(),
                settings.guard());
        this.cache = cache;
        this.sources = sources;
        this.listener = listener;
        new StartupRecovery(dir, layout, sets, clock).run();
        this.worker = new EpochWorker(sets, builder, new LruByteBudget(settings.maxBytes(), sets, listener),
                settings.guard(), clock, listener);
        listener.augmentationCacheBytes(bytesInUse());
    }

    public Path dir() {
        return dir;
    }

    /**
     * Validates the request, computes the key (preparing the source split first if it is not yet prepared) and queues
     * every requested epoch that is not READY, QUEUED or RUNNING. Returns the key's status.
     */
    public AugmentationStatus request(String dataset, AugmentationRequest body) {
        sources.get(dataset);
        AugmentationRequestValidator.ValidRequest valid = AugmentationRequestValidator.validate(dataset, body);
        Manifest source = cache.manifest(dataset, Split.TRAIN);
        AugmentationKey key = AugmentationKey.of(dataset, TRAIN, valid.name(), valid.augmentation().description(),
                valid.resolution(), valid.seed(), source);
        synchronized (sets) {
            AugmentedSet set = sets.get(dataset, key.key());
            if (set == null) {
                set = new AugmentedSet(key, layout.keyDir(dataset, key.key()));
                writeKey(set);
                sets.add(set);
            }
            for (int number : valid.epochs()) {
                AugmentedEpoch known = set.epoch(number);
                if (known != null && known.state() != State.FAILED) {
                    continue;
                }
                AugmentedEpoch epoch = AugmentedEpoch.queued(number, key.images());
                set.put(epoch);
                worker.submit(set, epoch);
            }
            return set.view();
        }
    }

    /** The status of a key: 400 for a malformed key, 404 when unknown. */
    public AugmentationStatus status(String dataset, String key) {
        synchronized (sets) {
            return knownSet(dataset, key).view();
        }
    }

    /** The manifest of a READY epoch (counts as a use); 409 when not ready, 404 when never requested. */
    public Manifest manifest(String dataset, String key, int epoch) {
        AugmentedEpoch ready;
        Path epochDir;
        synchronized (sets) {
            AugmentedSet set = knownSet(dataset, key);
            ready = set.readyEpoch(epoch);
            ready.used(clock.tick());
            epochDir = set.epochDir(epoch);
        }
        AugmentationLayout.touch(epochDir, ready.lastUsed());
        listener.augmentationHit(dataset);
        return ready.manifest();
    }

    /**
     * A shard of a READY epoch: the name must match {@link SplitCache#SHARD_NAME} (400) and be listed in the epoch's
     * manifest (404).
     */
    public SplitCache.ShardFile shard(String dataset, String key, int epoch, String name) {
        sources.get(dataset);
        AugmentationRequestValidator.checkKey(key);
        if (name == null || !SplitCache.SHARD_NAME.matcher(name).matches()) {
            throw DatasetException.badShardName(name);
        }
        synchronized (sets) {
            return knownSet(dataset, key).shardFile(epoch, name);
        }
    }

    /** Bytes of READY epochs plus what the running epoch has written so far. */
    public long bytesInUse() {
        return sets.bytesInUse();
    }

    /** Stops the worker; an epoch being computed is abandoned (its partial directory goes at the next start). */
    @Override
    public void close() {
        worker.close();
        builder.close();
    }

    /** The set of {@code key} in {@code dataset}: 404 for an unknown dataset or key, 400 for a malformed key. */
    private AugmentedSet knownSet(String dataset, String key) {
        sources.get(dataset);
        AugmentationRequestValidator.checkKey(key);
        AugmentedSet set = sets.get(dataset, key);
        if (set == null) {
            throw new DatasetException(404, "unknown-augmented-set", "Unknown augmented epochs",
                    "dataset " + dataset + " has no augmented epochs with key '" + key + "' (POST /api/v1/datasets/"
                            + dataset + "/augmented to request some)", null);
        }
        return set;
    }

    private static void writeKey(AugmentedSet set) {
        try {
            AugmentationLayout.writeKey(set.dir(), set.key());
        } catch (IOException e) {
            throw new DatasetException(500, "augmentation-failed", "Augmentation cache unavailable",
                    "cannot record augmented set " + set.name() + ": " + e.getMessage(), e);
        }
    }

    /** Only for tests: waits until the worker has finished everything queued so far. */
    void awaitIdle() throws InterruptedException, ExecutionException {
        worker.awaitIdle();
    }
}
