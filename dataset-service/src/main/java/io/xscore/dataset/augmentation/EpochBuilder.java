package io.xscore.dataset.augmentation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes one augmented epoch of a key: its shards and manifest, written into a directory the caller chose.
 *
 * <p><b>What an epoch holds.</b> Image {@code k} of the full training split, augmented for epoch {@code e} exactly as
 * the trainer would: {@code EpochAugmentation.augment(pixels, offset, h, w, c, Augmentation.forJob(name, dataset),
 * resolution, EpochAugmentation.imageRandom(EpochAugmentation.epochSeed(seed, e), k))}, stored HWC
 * ({@code RgbImage.toHwc}) in ImageShard v1 shards of 3 channels, {@code resolution}×{@code resolution}, in source
 * order with the source's labels. The trainer normalises these 8-bit images with the same arithmetic as its online
 * path, so its batches are bit-identical whichever path is used.
 *
 * <p><b>How.</b> The source split is read through {@link SplitCache} (which prepares it if needed), one source shard
 * at a time, checking each shard's SHA-256 against the manifest the key was made from: a source re-prepared with
 * other bytes, or a pipeline whose description changed, fails the build instead of producing an epoch under a key
 * that no longer describes it. Images are augmented in parallel on {@code threads} threads (each image has its own
 * generator, so the bytes do not depend on the thread count) and written into output shards sized by the service's
 * shard-images / shard-bytes settings: memory holds one source shard and one output shard. Every file is written
 * with {@link Preprocessor#writeAtomically} (synced), the space guard being asked before each shard and before the
 * manifest, so a disk that fills mid-epoch fails the build naming the file.
 *
 * <p>Knows nothing of epoch states, eviction or where the directory is renamed to: that is
 * {@link AugmentationStore}'s. Plain class; {@link #close} stops its threads.
 */
final class EpochBuilder implements AutoCloseable {

    /** Prefix of the manifest's {@code pipeline}: bumped when the bytes of an augmented epoch change. */
    static final String PIPELINE_PREFIX = "xscore-augment-v" + AugmentationKey.VERSION + ";";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String TRAIN = Split.TRAIN.id();
    /** Images a thread takes at a time: large enough to amortise the hand-out, small enough to balance threads. */
    private static final int CHUNK = 16;

    /** What a build reports as it goes (the store turns it into epoch status and metrics). */
    interface Progress {
        /** One more image augmented; called from the augmenting threads. */
        void imageAugmented();

        /** {@code shard}, holding {@code images} images, was written. */
        void shardWritten(ShardEntry shard, int images);
    }

    private final SplitCache source;
    private final int threads;
    private final Preprocessor sizing;
    private final Preprocessor.SpaceGuard guard;
    private final ExecutorService pool;

    /**
     * @param source      where the training splits are read from (prepared on demand)
     * @param threads     threads augmenting an epoch's images; 0 = one per core
     * @param shardImages most images per output shard
     * @param shardBytes  most pixel bytes per output shard
     * @param guard       asked before each file is written (free disk space)
     */
    EpochBuilder(SplitCache source, int threads, int shardImages, long shardBytes, Preprocessor.SpaceGuard guard) {
        this.source = source;
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.sizing = new Preprocessor(shardImages, shardBytes, guard);
        this.guard = guard;
        this.pool = this.threads > 1 ? Executors.newFixedThreadPool(this.threads, DaemonThreads.named("xscore-augment"))
                : null;
    }

    /** Upper estimate of an epoch's bytes: its shards exactly, plus room for the manifest. */
    long estimateBytes(int images, int resolution) {
        int imageBytes = 3 * resolution * resolution;
        int perShard = sizing.imagesPerShard(imageBytes);
        long shards = Math.max(1, (images + (long) perShard - 1) / perShard);
        return (long) images * (2 + imageBytes) + 24 * shards + 4096 + 256 * shards;
    }

    /**
     * Writes epoch {@code epoch} of {@code key} (its shards, then its manifest) into the existing directory
     * {@code out}; returns the manifest. Throws when the source split or the pipeline no longer match the key, a
     * source shard does not match its manifest, or a file cannot be written; {@code out} is then left as it is, for
     * the caller to remove.
     */
    Manifest build(AugmentationKey key, int epoch, Path out, Progress progress)
            throws IOException, InterruptedException {
        Manifest sourceManifest = source.manifest(key.dataset(), Split.TRAIN);
        String identity = AugmentationKey.sourceIdentity(sourceManifest);
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
        int total = sourceManifest.count();
        int perShard = sizing.imagesPerShard(imageBytes);
        long epochSeed = EpochAugmentation.epochSeed(key.seed(), epoch);
        List<ShardEntry> entries = new ArrayList<>();
        int written = 0;
        int index = 0;
        int capacity = Math.min(perShard, total);
        byte[] pixels = new byte[capacity * imageBytes];
        short[] labels = new short[capacity];
        int filled = 0;
        for (ShardEntry sourceEntry : sourceManifest.shards()) {
            SplitCache.ShardFile file = source.shard(key.dataset(), Split.TRAIN, sourceEntry.name());
            ImageShard in = Preprocessor.readIfIntact(file.path(), sourceEntry).orElseThrow(() -> new IOException(
                    "source shard " + file.path() + " does not match its manifest (size, SHA-256 or image count)"));
            // Output shards straddle source shards: fill the current one, write it when full, carry on.
            for (int i = 0; i < in.count(); ) {
                int n = Math.min(in.count() - i, capacity - filled);
                augment(in, i, n, index + i, augmentation, size, epochSeed, pixels, filled, progress);
                System.arraycopy(in.labels(), i, labels, filled, n);
                filled += n;
                i += n;
                if (filled == capacity) {
                    ImageShard shard = new ImageShard(size, size, 3, sourceManifest.classes(), labels, pixels);
                    ShardEntry entry = Preprocessor.writeShard(out, shardName(entries.size()), shard, guard);
                    entries.add(entry);
                    progress.shardWritten(entry, filled);
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
        Manifest manifest = new Manifest(key.dataset(), TRAIN, total, size, size, 3, sourceManifest.classes(),
                sourceManifest.mean(), sourceManifest.std(), entries, sourceManifest.classNames(), null, null,
                PIPELINE_PREFIX + sourceManifest.pipeline(),
                key.augmentation() + "/epoch-" + epoch + "/seed-" + key.seed() + ": " + key.pipeline());
        byte[] json = MAPPER.writeValueAsBytes(manifest);
        guard.reserve(out.resolve(Preprocessor.MANIFEST), json.length);
        Preprocessor.writeAtomically(out, Preprocessor.MANIFEST, o -> o.write(json));
        return manifest;
    }

    /** Stops the augmenting threads; a build in progress fails (interrupted). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** The name of output shard {@code index} of an epoch. */
    static String shardName(int index) {
        return String.format(Locale.ROOT, "shard-%05d.xsh", index);
    }

    /**
     * Augments images {@code [from, from+n)} of {@code in} (source indices {@code first..}) into {@code out} at image
     * {@code at}, on the pool when there is one.
     */
    private void augment(ImageShard in, int from, int n, int first, Augmentation augmentation, int size,
            long epochSeed, byte[] out, int at, Progress progress) throws InterruptedException, IOException {
        int inBytes = in.imageBytes();
        int outBytes = 3 * size * size;
        AtomicInteger next = new AtomicInteger();
        Callable<Void> task = () -> {
            for (int c = next.getAndAdd(CHUNK); c < n; c = next.getAndAdd(CHUNK)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("augmentation cancelled");
                }
                for (int j = c; j < Math.min(n, c + CHUNK); j++) {
                    EpochAugmentation.augment(in.pixels(), (from + j) * inBytes, in.height(), in.width(),
                            in.channels(), augmentation, size, EpochAugmentation.imageRandom(epochSeed, first + j))
                            .toHwc(out, (at + j) * outBytes);
                    progress.imageAugmented();
                }
            }
            return null;
        };
        if (pool == null || n <= CHUNK) {
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
}
