package io.xscore.dataset.augmentation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.common.shard.ImageShard;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The augmentation cache: training epochs augmented in advance, so that GPU trainers stream them instead of spending
 * CPU time on RandAugment/ColorJitter.
 *
 * <p><b>What an epoch holds.</b> Image {@code k} of the full training split, augmented for epoch {@code e} exactly as
 * the trainer would: {@code EpochAugmentation.augment(pixels, offset, h, w, c, Augmentation.forJob(name, dataset),
 * resolution, EpochAugmentation.imageRandom(EpochAugmentation.epochSeed(seed, e), k))}, stored HWC
 * ({@code RgbImage.toHwc}) in ImageShard v1 shards of 3 channels, {@code resolution}×{@code resolution}, in source
 * order with the source's labels. The trainer normalises these 8-bit images with the same arithmetic as its online
 * path, so its batches are bit-identical whichever path is used. Only pipelines with 8-bit image ops are cached
 * ({@link EpochAugmentation#cacheable}); others are refused (422).
 *
 * <p><b>Keys and layout.</b> A set of epochs is named by an {@link AugmentationKey} (dataset, split, augmentation,
 * pipeline description, resolution, seed and the source split's content hash). On disk:
 * <pre>
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/key.json                       the key's description (written at the first request)
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/epoch-00007/manifest.json          a READY epoch
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/epoch-00007/shard-00000.xsh ...
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/.epoch-00007.&lt;uuid&gt;.partial/      an epoch being built (or evicted)
 * </pre>
 * An epoch is built in its hidden {@code .partial} directory (every file written with
 * {@link Preprocessor#writeAtomically}, i.e. synced), the directory is synced and renamed atomically to
 * {@code epoch-NNNNN}: a crash never leaves a half-written epoch visible. Leftover {@code .partial} directories are
 * deleted when the store starts, which also loads every READY epoch (manifest present, shard sizes as listed) and
 * every {@code key.json}. QUEUED and RUNNING epochs live in memory only: after a restart they are requested again.
 *
 * <p><b>Work.</b> One background worker computes one epoch at a time, in request order. It reads the source split
 * through {@link SplitCache} (which prepares it if needed), one source shard at a time (checking each shard's SHA-256
 * against the manifest the key was made from), augments its images in parallel on {@code threads} threads and
 * writes output shards sized by the service's shard-images / shard-bytes settings: memory holds one source shard and
 * one output shard. Progress is visible in {@link #status}. A request is idempotent: epochs READY, QUEUED or RUNNING
 * are not redone, FAILED ones are retried.
 *
 * <p><b>Size bound.</b> Before an epoch is computed its size is estimated. If READY epochs plus the estimate would
 * exceed {@code maxBytes} (0 = no bound), READY epochs are evicted least recently used first (use = creation or a
 * manifest read; the epoch directory's modification time keeps it across restarts); the epoch being computed is
 * never evicted. An epoch larger than the bound on its own is FAILED at once with "augmentation cache full: ..."
 * (nothing is evicted for it) and the trainer augments that epoch on the fly. The {@code guard} (free-disk check)
 * is asked before the epoch and before each shard; a disk that fills mid-epoch fails the epoch naming the file, its
 * partial directory is removed and the service carries on.
 *
 * <p>Plain class; wired by {@code DatasetBeans}. Errors reach clients as {@link DatasetException} problems.
 */
public final class AugmentationStore implements AutoCloseable {

    /** Keys as they appear in URLs: checked before any file-system access. */
    public static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");
    public static final String KEY_FILE = "key.json";
    public static final int MIN_RESOLUTION = 8;
    public static final int MAX_RESOLUTION = 1024;
    public static final int MAX_EPOCHS_PER_REQUEST = 64;
    /** Epochs are numbered 0 .. EPOCH_LIMIT-1 (the directory names have five digits). */
    public static final int EPOCH_LIMIT = 10_000;
    /** Prefix of the manifest's {@code pipeline}: bumped when the bytes of an augmented epoch change. */
    public static final String PIPELINE_PREFIX = "xscore-augment-v" + AugmentationKey.VERSION + ";";

    private static final Logger LOG = Logger.getLogger(AugmentationStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(\\d{5})");
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
    private final long maxBytes;
    private final int threads;
    private final Preprocessor sizing;
    private final Preprocessor.SpaceGuard guard;
    private final SplitCache cache;
    private final DatasetSources sources;
    private final Listener listener;
    /** {@code dataset + "/" + key} → its epochs. */
    private final Map<String, KeyState> keys = new HashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final ExecutorService worker;
    private final ExecutorService pool;
    private volatile double lastImagesPerSecond;

    /**
     * Loads what {@code settings.dir()} holds (READY epochs, keys), deletes leftover partial directories, and starts
     * the worker. A directory that cannot be created or read is logged, not thrown: the rest of the service keeps
     * working and requests fail naming the file they could not write.
     */
    public AugmentationStore(Settings settings, SplitCache cache, DatasetSources sources, Listener listener) {
        this.dir = settings.dir().toAbsolutePath().normalize();
        this.maxBytes = settings.maxBytes();
        this.threads = settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
        this.sizing = new Preprocessor(settings.shardImages(), settings.shardBytes(), settings.guard());
        this.guard = settings.guard();
        this.cache = cache;
        this.sources = sources;
        this.listener = listener;
        try {
            Files.createDirectories(dir);
            load();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("augmentation cache %s unusable at start-up: %s", dir, e.getMessage());
        }
        this.worker = Executors.newSingleThreadExecutor(named("xscore-augment-worker", new AtomicInteger()));
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, named("xscore-augment",
                new AtomicInteger())) : null;
        listener.augmentationCacheBytes(bytesInUse());
    }

    public Path dir() {
        return dir;
    }

    /** Images per second of the last epoch computed (0 before the first). */
    public double lastImagesPerSecond() {
        return lastImagesPerSecond;
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
                state = new KeyState(key, dir.resolve(dataset).resolve(key.key()));
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
            epochDir = state.dir.resolve(epochName(epoch));
        }
        try {
            Files.setLastModifiedTime(epochDir, FileTime.fromMillis(ready.lastUsed));
        } catch (IOException e) {
            LOG.debugf("could not touch %s: %s", epochDir, e.getMessage());
        }
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
            Path epochDir = state.dir.resolve(epochName(epoch));
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
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- computing

    private void compute(KeyState state, Epoch epoch) {
        AugmentationKey key = state.key;
        String name = epochName(epoch.number);
        long estimate;
        List<Path> evicted = new ArrayList<>();
        synchronized (this) {
            if (epoch.state != State.QUEUED || state.epochs.get(epoch.number) != epoch) {
                return;
            }
            estimate = estimateBytes(key.images(), key.resolution());
            String full = admit(estimate, evicted);
            if (full != null) {
                fail(state, epoch, full);
                return;
            }
            epoch.state = State.RUNNING;
        }
        deleteAll(evicted);
        Path partial = state.dir.resolve("." + name + "." + UUID.randomUUID() + ".partial");
        long start = System.nanoTime();
        try {
            guard.reserve(state.dir.resolve(name), estimate);
            Files.createDirectories(partial);
            Manifest manifest = build(key, epoch, partial);
            syncDirectory(partial);
            Path target = state.dir.resolve(name);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(state.dir);
            long bytes = CacheSpaceGuard.bytesUnder(target);
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (this) {
                epoch.manifest = manifest;
                epoch.bytes = bytes;
                epoch.lastUsed = tick();
                epoch.state = State.READY;
            }
            lastImagesPerSecond = seconds > 0 ? key.images() / seconds : 0;
            LOG.infof("augmented %s/%s epoch %d (%s, %d px, seed %d): %d images, %d bytes in %.2f s, %.0f images/s",
                    key.dataset(), key.key(), epoch.number, key.augmentation(), key.resolution(), key.seed(),
                    key.images(), bytes, seconds, lastImagesPerSecond);
            listener.epochReady(key.dataset(), epoch.number, key.images(), seconds);
        } catch (Exception | OutOfMemoryError e) {
            deleteAll(List.of(partial));
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

    /** Writes the epoch's shards and manifest into {@code out}; returns the manifest. */
    private Manifest build(AugmentationKey key, Epoch epoch, Path out) throws IOException, InterruptedException {
        Manifest source = cache.manifest(key.dataset(), Split.TRAIN);
        String identity = AugmentationKey.sourceIdentity(source);
        if (!identity.equals(key.sourceSha256())) {
            throw new IOException("the source split " + key.dataset() + "/train changed since key " + key.key()
                    + " was made (content " + key.sourceSha256().substring(0, 12) + " is now "
                    + identity.substring(0, 12) + "); request the epochs again to get the new key");
        }
        Augmentation augmentation = Augmentation.forJob(key.augmentation(), key.dataset());
        if (!augmentation.description().equals(key.pipeline())) {
            throw new IOException("pipeline '" + key.augmentation() + "' is now '" + augmentation.description()
                    + "', key " + key.key() + " was made for '" + key.pipeline() + "'; request the epochs again");
        }
        int size = key.resolution();
        int imageBytes = 3 * size * size;
        int total = source.count();
        int perShard = sizing.imagesPerShard(imageBytes);
        long epochSeed = EpochAugmentation.epochSeed(key.seed(), epoch.number);
        List<ShardEntry> entries = new ArrayList<>();
        int written = 0;
        int index = 0;
        int capacity = Math.min(perShard, total);
        byte[] pixels = new byte[capacity * imageBytes];
        short[] labels = new short[capacity];
        int filled = 0;
        for (ShardEntry sourceEntry : source.shards()) {
            SplitCache.ShardFile file = cache.shard(key.dataset(), Split.TRAIN, sourceEntry.name());
            ImageShard in = readVerified(file.path(), sourceEntry);
            for (int i = 0; i < in.count(); ) {
                int n = Math.min(in.count() - i, capacity - filled);
                augment(in, i, n, index + i, augmentation, size, epochSeed, pixels, filled, epoch.done);
                System.arraycopy(in.labels(), i, labels, filled, n);
                filled += n;
                i += n;
                if (filled == capacity) {
                    ImageShard shard = new ImageShard(size, size, 3, source.classes(), labels, pixels);
                    ShardEntry entry = Preprocessor.writeShard(out,
                            String.format(Locale.ROOT, "shard-%05d.xsh", entries.size()), shard, guard);
                    entries.add(entry);
                    epoch.written.addAndGet(entry.bytes());
                    listener.augmented(key.dataset(), filled);
                    written += filled;
                    capacity = Math.min(perShard, total - written);
                    pixels = new byte[capacity * imageBytes];
                    labels = new short[capacity];
                    filled = 0;
                }
            }
            index += in.count();
        }
        if (index != total || written != total) {
            throw new IOException("source split " + key.dataset() + "/train has " + index + " images in its shards, "
                    + "its manifest says " + total);
        }
        Manifest manifest = new Manifest(key.dataset(), TRAIN, total, size, size, 3, source.classes(), source.mean(),
                source.std(), entries, source.classNames(), null, null, PIPELINE_PREFIX + source.pipeline(),
                key.augmentation() + "/epoch-" + epoch.number + "/seed-" + key.seed() + ": " + key.pipeline());
        byte[] json = MAPPER.writeValueAsBytes(manifest);
        guard.reserve(out.resolve(Preprocessor.MANIFEST), json.length);
        Preprocessor.writeAtomically(out, Preprocessor.MANIFEST, o -> o.write(json));
        return manifest;
    }

    /**
     * Augments images {@code [from, from+n)} of {@code in} (source indices {@code first..}) into {@code out} at image
     * {@code at}, on the pool when there is one.
     */
    private void augment(ImageShard in, int from, int n, int first, Augmentation augmentation, int size,
            long epochSeed, byte[] out, int at, AtomicInteger done) throws InterruptedException, IOException {
        int inBytes = in.imageBytes();
        int outBytes = 3 * size * size;
        AtomicInteger next = new AtomicInteger();
        int chunk = 16;
        Callable<Void> task = () -> {
            for (int c = next.getAndAdd(chunk); c < n; c = next.getAndAdd(chunk)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("augmentation cancelled");
                }
                for (int j = c; j < Math.min(n, c + chunk); j++) {
                    EpochAugmentation.augment(in.pixels(), (from + j) * inBytes, in.height(), in.width(),
                            in.channels(), augmentation, size, EpochAugmentation.imageRandom(epochSeed, first + j))
                            .toHwc(out, (at + j) * outBytes);
                    done.incrementAndGet();
                }
            }
            return null;
        };
        if (pool == null || n <= chunk) {
            try {
                task.call();
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            return;
        }
        List<Future<Void>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(task));
        }
        try {
            for (Future<Void> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IOException(e.getCause());
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    /** Reads a source shard, checking its SHA-256 against the manifest the key was made from. */
    private static ImageShard readVerified(Path file, ShardEntry entry) throws IOException {
        MessageDigest digest = sha256();
        ImageShard shard;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            shard = ImageShard.read(in);
            in.transferTo(OutputStream.nullOutputStream());
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if (!sha.equals(entry.sha256())) {
            throw new IOException("source shard " + file + " does not match its manifest (SHA-256 " + sha
                    + ", expected " + entry.sha256() + ")");
        }
        if (shard.count() != entry.count()) {
            throw new IOException("source shard " + file + " holds " + shard.count() + " images, its manifest says "
                    + entry.count());
        }
        return shard;
    }

    /** Upper estimate of an epoch's bytes: its shards exactly, plus room for the manifest. */
    long estimateBytes(int images, int resolution) {
        int imageBytes = 3 * resolution * resolution;
        int perShard = sizing.imagesPerShard(imageBytes);
        long shards = Math.max(1, (images + (long) perShard - 1) / perShard);
        return (long) images * (2 + imageBytes) + 24 * shards + 4096 + 256 * shards;
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
            Path from = state.dir.resolve(epochName(epoch.number));
            Path hidden = state.dir.resolve("." + epochName(epoch.number) + "." + UUID.randomUUID() + ".partial");
            try {
                Files.move(from, hidden, StandardCopyOption.ATOMIC_MOVE);
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
            Files.createDirectories(state.dir);
            Path file = state.dir.resolve(KEY_FILE);
            if (!Files.isRegularFile(file)) {
                byte[] json = MAPPER.writeValueAsBytes(state.key);
                Preprocessor.writeAtomically(state.dir, KEY_FILE, out -> out.write(json));
            }
        } catch (IOException e) {
            throw new DatasetException(500, "augmentation-failed", "Augmentation cache unavailable",
                    "cannot record augmented set " + state.key.dataset() + "/" + state.key.key() + ": "
                            + e.getMessage(), e);
        }
    }

    /** Start-up: keys and READY epochs from disk; partial directories and temporary files removed. */
    private void load() throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> datasets = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path datasetDir : datasets) {
                try (DirectoryStream<Path> keyDirs = Files.newDirectoryStream(datasetDir, Files::isDirectory)) {
                    for (Path keyDir : keyDirs) {
                        if (KEY.matcher(keyDir.getFileName().toString()).matches()) {
                            loadKey(datasetDir.getFileName().toString(), keyDir, stale);
                        }
                    }
                }
            }
        }
        deleteAll(stale);
    }

    private void loadKey(String dataset, Path keyDir, List<Path> stale) throws IOException {
        AugmentationKey key;
        try {
            key = MAPPER.readValue(keyDir.resolve(KEY_FILE).toFile(), AugmentationKey.class);
        } catch (IOException e) {
            LOG.warnf("ignoring %s: unreadable %s (%s)", keyDir, KEY_FILE, e.getMessage());
            return;
        }
        if (!key.consistent() || !key.key().equals(keyDir.getFileName().toString())
                || !key.dataset().equals(dataset)) {
            LOG.warnf("ignoring %s: its %s does not describe it", keyDir, KEY_FILE);
            return;
        }
        KeyState state = new KeyState(key, keyDir);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(keyDir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(".") && (name.endsWith(".partial") || name.endsWith(".tmp"))) {
                    stale.add(child);
                    continue;
                }
                var m = EPOCH_DIR.matcher(name);
                if (!m.matches() || !Files.isDirectory(child)) {
                    continue;
                }
                int number = Integer.parseInt(m.group(1));
                Optional<Manifest> manifest = Preprocessor.readManifest(child);
                if (manifest.isEmpty() || !complete(child, manifest.get())) {
                    LOG.warnf("removing %s: manifest missing or shards not as listed", child);
                    stale.add(child);
                    continue;
                }
                Epoch epoch = new Epoch(number, manifest.get().count());
                epoch.state = State.READY;
                epoch.manifest = manifest.get();
                epoch.bytes = CacheSpaceGuard.bytesUnder(child);
                epoch.lastUsed = Files.getLastModifiedTime(child).toMillis();
                clock.accumulateAndGet(epoch.lastUsed, Math::max);
                state.epochs.put(number, epoch);
            }
        }
        keys.put(dataset + "/" + key.key(), state);
    }

    private static boolean complete(Path epochDir, Manifest manifest) {
        for (ShardEntry shard : manifest.shards()) {
            try {
                if (Files.size(epochDir.resolve(shard.name())) != shard.bytes()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static void deleteAll(List<Path> roots) {
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("could not delete %s: %s", root, e.getMessage());
            }
        }
    }

    /** fsync of a directory (its entries, e.g. after a rename); best effort where the platform refuses. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debugf("cannot sync directory %s: %s", directory, e.getMessage());
        }
    }

    /** A strictly increasing use stamp (milliseconds since the epoch, bumped to stay unique). */
    private long tick() {
        return clock.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis()));
    }

    static String epochName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%05d", epoch);
    }

    private static DatasetException invalid(String detail) {
        return new DatasetException(400, "invalid-request", "Invalid request", detail, null);
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM without SHA-256", e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix, AtomicInteger n) {
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Only for tests: waits until the worker has finished everything queued so far. */
    void awaitIdle() throws InterruptedException, ExecutionException {
        worker.submit(() -> { }).get();
    }
}
