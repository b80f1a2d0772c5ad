package io.xscore.dataset.augmentation;

import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.dataset.augmentation.AugmentationStatus.EpochStatus;
import io.xscore.dataset.augmentation.AugmentationStatus.State;
import io.xscore.dataset.cache.CacheSpaceGuard;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

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
 * <p>Plain class; wired by {@code DatasetBeans}. Errors reach clients as {@link DatasetException} problems.
 */
public final class AugmentationStore implements AutoCloseable {

    /** Keys as they appear in URLs: checked before any file-system access. */
    public static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");
    public static final int MIN_RESOLUTION = 8;
    public static final int MAX_RESOLUTION = 1024;
    public static final int MAX_EPOCHS_PER_REQUEST = 64;
    /** Epochs are numbered 0 .. EPOCH_LIMIT-1 (the directory names have five digits). */
    public static final int EPOCH_LIMIT = 10_000;

    private static final Logger LOG = Logger.getLogger(AugmentationStore.class);
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

    /** One epoch of one key; fields guarded by the store's lock except {@link #done} and {@link #written}. */
    private static final class Epoch {
        final int number;
        final int total;
        final AtomicInteger done = new AtomicInteger();
        final AtomicLong written = new AtomicLong();
        State state;
        long bytes;
        String error;
        long lastUsed;
        Manifest manifest;

        Epoch(int number, int total) {
            this.number = number;
            this.total = total;
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

    private static final class KeyState {
        final AugmentationKey key;
        final Path dir;
        final TreeMap<Integer, Epoch> epochs = new TreeMap<>();

        KeyState(AugmentationKey key, Path dir) {
            this.key = key;
            this.dir = dir;
        }
    }

    private final Path dir;
    private final AugmentationLayout layout;
    private final long maxBytes;
    private final Preprocessor.SpaceGuard guard;
    private final EpochBuilder builder;
    private final SplitCache cache;
    private final DatasetSources sources;
    private final Listener listener;
    /** {@code dataset + "/" + key} → its epochs. */
    private final Map<String, KeyState> keys = new HashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final ExecutorService worker;

    /**
     * Loads what {@code settings.dir()} holds (READY epochs, keys), deletes leftover partial directories, and starts
     * the worker. A directory that cannot be created or read is logged, not thrown: the rest of the service keeps
     * working and requests fail naming the file they could not write.
     */
    public AugmentationStore(Settings settings, SplitCache cache, DatasetSources sources, Listener listener) {
        this.dir = settings.dir().toAbsolutePath().normalize();
        this.layout = new AugmentationLayout(dir);
        this.maxBytes = settings.maxBytes();
        this.guard = settings.guard();
        this.builder = new EpochBuilder(cache, settings.threads(), settings.shardImages(), settings.shardBytes(),
                settings.guard());
        this.cache = cache;
        this.sources = sources;
        this.listener = listener;
        try {
            Files.createDirectories(dir);
            layout.load(this::adopt);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("augmentation cache %s unusable at start-up: %s", dir, e.getMessage());
        }
        this.worker = Executors.newSingleThreadExecutor(DaemonThreads.named("xscore-augment-worker"));
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
        if (body == null) {
            throw invalid("a JSON body {\"split\": \"train\", \"augmentation\": \"paper\", \"resolution\": 32, "
                    + "\"seed\": 0, \"epochs\": [0, 1]} is required");
        }
        if (!TRAIN.equals(body.split())) {
            throw invalid("\"split\" must be \"train\" (only the training split is augmented), got "
                    + quote(body.split()));
        }
        Augmentation augmentation;
        try {
            augmentation = Augmentation.forJob(body.augmentation(), dataset);
        } catch (UnsupportedOperationException e) {
            throw invalid("\"augmentation\" must be \"paper\" or \"light\", got " + quote(body.augmentation()));
        }
        if (!EpochAugmentation.cacheable(augmentation)) {
            throw new DatasetException(422, "augmentation-not-cacheable", "Augmentation not cacheable",
                    "augmentation '" + body.augmentation() + "' of dataset " + dataset + " is '"
                            + augmentation.description() + "': it has no 8-bit image ops (RandAugment, ColorJitter), "
                            + "so it is cheap and exact only when computed on the fly by the trainer; it is never "
                            + "cached", null);
        }
        Integer resolution = body.resolution();
        if (resolution == null || resolution < MIN_RESOLUTION || resolution > MAX_RESOLUTION) {
            throw invalid("\"resolution\" must be in [" + MIN_RESOLUTION + ", " + MAX_RESOLUTION + "], got "
                    + resolution);
        }
        if (body.seed() == null || body.seed() < 0) {
            throw invalid("\"seed\" must be a number >= 0, got " + body.seed());
        }
        List<Integer> epochs = body.epochs();
        if (epochs == null || epochs.isEmpty() || epochs.size() > MAX_EPOCHS_PER_REQUEST) {
            throw invalid("\"epochs\" must list 1 to " + MAX_EPOCHS_PER_REQUEST + " epochs, got "
                    + (epochs == null ? "none" : epochs.size()));
        }
        for (Integer epoch : epochs) {
            if (epoch == null || epoch < 0 || epoch >= EPOCH_LIMIT) {
                throw invalid("\"epochs\" must be in [0, " + EPOCH_LIMIT + "), got " + epoch);
            }
        }
        Manifest source = cache.manifest(dataset, Split.TRAIN);
        AugmentationKey key = AugmentationKey.of(dataset, TRAIN, body.augmentation(), augmentation.description(),
                resolution, body.seed(), source);
        synchronized (this) {
            KeyState state = keys.get(dataset + "/" + key.key());
            if (state == null) {
                state = new KeyState(key, layout.keyDir(dataset, key.key()));
                writeKey(state);
                keys.put(dataset + "/" + key.key(), state);
            }
            for (int number : new TreeSet<>(epochs)) {
                Epoch known = state.epochs.get(number);
                if (known != null && known.state != State.FAILED) {
                    continue;
                }
                Epoch epoch = new Epoch(number, key.images());
                epoch.state = State.QUEUED;
                state.epochs.put(number, epoch);
                KeyState owner = state;
                worker.execute(() -> compute(owner, epoch));
            }
            return view(state);
        }
    }

    /** The status of a key: 400 for a malformed key, 404 when unknown. */
    public AugmentationStatus status(String dataset, String key) {
        synchronized (this) {
            return view(keyState(dataset, key));
        }
    }

    /** The manifest of a READY epoch (counts as a use); 409 when not ready, 404 when never requested. */
    public Manifest manifest(String dataset, String key, int epoch) {
        Epoch ready;
        Path epochDir;
        synchronized (this) {
            KeyState state = keyState(dataset, key);
            ready = readyEpoch(state, epoch);
            ready.lastUsed = tick();
            epochDir = AugmentationLayout.epochDir(state.dir, epoch);
        }
        AugmentationLayout.touch(epochDir, ready.lastUsed);
        listener.augmentationHit(dataset);
        return ready.manifest;
    }

    /**
     * A shard of a READY epoch: the name must match {@link SplitCache#SHARD_NAME} (400) and be listed in the epoch's
     * manifest (404).
     */
    public SplitCache.ShardFile shard(String dataset, String key, int epoch, String name) {
        sources.get(dataset);
        checkKey(key);
        if (name == null || !SplitCache.SHARD_NAME.matcher(name).matches()) {
            throw DatasetException.badShardName(name);
        }
        synchronized (this) {
            KeyState state = keyState(dataset, key);
            Epoch ready = readyEpoch(state, epoch);
            Path epochDir = AugmentationLayout.epochDir(state.dir, epoch);
            Path file = epochDir.resolve(name).normalize();
            if (!epochDir.equals(file.getParent())) {
                throw DatasetException.badShardName(name);
            }
            ShardEntry entry = ready.manifest.shards().stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new DatasetException(404, "unknown-shard", "Unknown shard", "epoch " + epoch
                            + " of augmented set " + dataset + "/" + key + " has no shard '" + name + "'", null));
            return new SplitCache.ShardFile(file, entry);
        }
    }

    /** Bytes of READY epochs plus what the running epoch has written so far. */
    public synchronized long bytesInUse() {
        long bytes = 0;
        for (KeyState state : keys.values()) {
            for (Epoch epoch : state.epochs.values()) {
                if (epoch.state == State.READY) {
                    bytes += epoch.bytes;
                } else if (epoch.state == State.RUNNING) {
                    bytes += epoch.written.get();
                }
            }
        }
        return bytes;
    }

    /** Stops the worker; an epoch being computed is abandoned (its partial directory goes at the next start). */
    @Override
    public void close() {
        worker.shutdownNow();
        builder.close();
    }

    // ---------------------------------------------------------------- computing

    /** The worker's job: admits the epoch under the size bound, builds it in a partial directory, publishes it. */
    private void compute(KeyState state, Epoch epoch) {
        AugmentationKey key = state.key;
        long estimate;
        List<Path> evicted = new ArrayList<>();
        synchronized (this) {
            if (epoch.state != State.QUEUED || state.epochs.get(epoch.number) != epoch) {
                return;
            }
            estimate = builder.estimateBytes(key.images(), key.resolution());
            String full = admit(estimate, evicted);
            if (full != null) {
                fail(state, epoch, full);
                return;
            }
            epoch.state = State.RUNNING;
        }
        AugmentationLayout.deleteAll(evicted);
        Path target = AugmentationLayout.epochDir(state.dir, epoch.number);
        Path partial = AugmentationLayout.partialDir(target);
        long start = System.nanoTime();
        try {
            guard.reserve(target, estimate);
            Files.createDirectories(partial);
            Manifest manifest = builder.build(key, epoch.number, partial, new EpochBuilder.Progress() {
                @Override
                public void imageAugmented() {
                    epoch.done.incrementAndGet();
                }

                @Override
                public void shardWritten(ShardEntry shard, int images) {
                    epoch.written.addAndGet(shard.bytes());
                    listener.augmented(key.dataset(), images);
                }
            });
            AugmentationLayout.publish(partial, target);
            long bytes = CacheSpaceGuard.bytesUnder(target);
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (this) {
                epoch.manifest = manifest;
                epoch.bytes = bytes;
                epoch.lastUsed = tick();
                epoch.state = State.READY;
            }
            double imagesPerSecond = seconds > 0 ? key.images() / seconds : 0;
            LOG.infof("augmented %s/%s epoch %d (%s, %d px, seed %d): %d images, %d bytes in %.2f s, %.0f images/s",
                    key.dataset(), key.key(), epoch.number, key.augmentation(), key.resolution(), key.seed(),
                    key.images(), bytes, seconds, imagesPerSecond);
            listener.epochReady(key.dataset(), epoch.number, key.images(), seconds);
        } catch (Exception | OutOfMemoryError e) {
            AugmentationLayout.deleteAll(List.of(partial));
            String reason = e instanceof IOException || e instanceof DatasetException ? e.getMessage()
                    : e.toString();
            synchronized (this) {
                fail(state, epoch, reason);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            listener.augmentationCacheBytes(bytesInUse());
        }
    }

    /**
     * Makes room for {@code estimate} bytes (caller holds the lock): null when it fits (evicting least recently used
     * READY epochs as needed; their renamed directories are added to {@code evicted} for deletion), else the reason.
     */
    private String admit(long estimate, List<Path> evicted) {
        if (maxBytes <= 0) {
            return null;
        }
        long inUse = bytesInUse();
        if (inUse + estimate <= maxBytes) {
            return null;
        }
        String full = "augmentation cache full: needs " + estimate + " bytes, " + inUse + " of " + maxBytes
                + " in use (xscore.dataset.augmentation.max-bytes); the trainer augments this epoch on the fly";
        if (estimate > maxBytes) {
            return full;
        }
        List<Map.Entry<KeyState, Epoch>> ready = new ArrayList<>();
        for (KeyState state : keys.values()) {
            for (Epoch epoch : state.epochs.values()) {
                if (epoch.state == State.READY) {
                    ready.add(Map.entry(state, epoch));
                }
            }
        }
        ready.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
        for (Map.Entry<KeyState, Epoch> candidate : ready) {
            if (inUse + estimate <= maxBytes) {
                break;
            }
            KeyState state = candidate.getKey();
            Epoch epoch = candidate.getValue();
            Path from = AugmentationLayout.epochDir(state.dir, epoch.number);
            Path hidden;
            try {
                hidden = AugmentationLayout.hide(from);
            } catch (IOException e) {
                LOG.warnf("could not evict %s: %s", from, e.getMessage());
                continue;
            }
            state.epochs.remove(epoch.number);
            evicted.add(hidden);
            inUse -= epoch.bytes;
            LOG.infof("evicted %s/%s epoch %d (%d bytes, least recently used) to make room for %d bytes",
                    state.key.dataset(), state.key.key(), epoch.number, epoch.bytes, estimate);
            listener.evicted(state.key.dataset(), epoch.number, epoch.bytes);
        }
        return inUse + estimate <= maxBytes ? null : full;
    }

    private void fail(KeyState state, Epoch epoch, String reason) {
        epoch.state = State.FAILED;
        epoch.error = reason;
        LOG.warnf("augmenting %s/%s epoch %d failed: %s", state.key.dataset(), state.key.key(), epoch.number, reason);
        listener.epochFailed(state.key.dataset(), epoch.number, reason);
    }

    // ---------------------------------------------------------------- lookups

    private KeyState keyState(String dataset, String key) {
        sources.get(dataset);
        checkKey(key);
        KeyState state = keys.get(dataset + "/" + key);
        if (state == null) {
            throw new DatasetException(404, "unknown-augmented-set", "Unknown augmented epochs",
                    "dataset " + dataset + " has no augmented epochs with key '" + key + "' (POST /api/v1/datasets/"
                            + dataset + "/augmented to request some)", null);
        }
        return state;
    }

    private static Epoch readyEpoch(KeyState state, int number) {
        Epoch epoch = state.epochs.get(number);
        String set = state.key.dataset() + "/" + state.key.key();
        if (epoch == null) {
            throw new DatasetException(404, "unknown-epoch", "Unknown epoch", "epoch " + number
                    + " of augmented set " + set + " was never requested (or was evicted); POST it to "
                    + "/api/v1/datasets/" + state.key.dataset() + "/augmented", null);
        }
        return switch (epoch.state) {
            case READY -> epoch;
            case QUEUED, RUNNING -> throw notReady(set, number, epoch.state + " (" + epoch.done.get() + "/"
                    + epoch.total + " images done)");
            case FAILED -> throw notReady(set, number, "FAILED: " + epoch.error);
        };
    }

    private static DatasetException notReady(String set, int epoch, String state) {
        return new DatasetException(409, "epoch-not-ready", "Epoch not ready",
                "epoch " + epoch + " of augmented set " + set + " is " + state, null);
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw invalid("augmented-set keys are 16 lower-case hex digits; got " + quote(key));
        }
    }

    private static AugmentationStatus view(KeyState state) {
        AugmentationKey k = state.key;
        return new AugmentationStatus(k.key(), k.dataset(), k.split(), k.augmentation(), k.pipeline(), k.resolution(),
                k.seed(), k.sourceSha256(), state.epochs.values().stream().map(Epoch::view).toList());
    }

    // ---------------------------------------------------------------- disk

    private void writeKey(KeyState state) {
        try {
            AugmentationLayout.writeKey(state.dir, state.key);
        } catch (IOException e) {
            throw new DatasetException(500, "augmentation-failed", "Augmentation cache unavailable",
                    "cannot record augmented set " + state.key.dataset() + "/" + state.key.key() + ": "
                            + e.getMessage(), e);
        }
    }

    /** Start-up: takes in a key found on disk with its READY epochs, each as recently used as it was. */
    private void adopt(AugmentationLayout.StoredKey stored) {
        KeyState state = new KeyState(stored.key(), stored.dir());
        for (AugmentationLayout.StoredEpoch found : stored.epochs()) {
            Epoch epoch = new Epoch(found.number(), found.manifest().count());
            epoch.state = State.READY;
            epoch.manifest = found.manifest();
            epoch.bytes = found.bytes();
            epoch.lastUsed = found.lastUsed();
            clock.accumulateAndGet(epoch.lastUsed, Math::max);
            state.epochs.put(found.number(), epoch);
        }
        keys.put(stored.key().dataset() + "/" + stored.key().key(), state);
    }

    /** A strictly increasing use stamp (milliseconds since the epoch, bumped to stay unique). */
    private long tick() {
        return clock.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis()));
    }

    private static DatasetException invalid(String detail) {
        return new DatasetException(400, "invalid-request", "Invalid request", detail, null);
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }

    /** Only for tests: waits until the worker has finished everything queued so far. */
    void awaitIdle() throws InterruptedException, ExecutionException {
        worker.submit(() -> { }).get();
    }
}
