package io.xscore.dataset.augmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.augment.Augmentation;
import io.xscore.dataset.cache.CacheSpaceGuard;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One epoch built into a plain directory, without the store: synthetic-shapes' 5,000 training images (32 px, source
 * shards of 1,000) augmented at 16 px into output shards of 700 images. That the bytes are the trainer's is
 * {@link AugmentationStoreTest}'s; here: files, progress, the size estimate, and the source checks.
 */
class EpochBuilderTest {

    static final String DATASET = AugmentationStoreTest.DATASET;
    static final int RESOLUTION = AugmentationStoreTest.RESOLUTION;
    static final int OUT_SHARD = AugmentationStoreTest.OUT_SHARD;

    @TempDir
    Path tmp;

    SplitCache cache;

    /** What a build reports. */
    static final class Recorder implements EpochBuilder.Progress {
        final AtomicInteger images = new AtomicInteger();
        final List<ShardEntry> shards = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> shardImages = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void imageAugmented() {
            images.incrementAndGet();
        }

        @Override
        public void shardWritten(ShardEntry shard, int n) {
            shards.add(shard);
            shardImages.add(n);
        }
    }

    @BeforeEach
    void setUp() {
        DatasetSources sources = new DatasetSources(tmp.resolve("none"));
        cache = new SplitCache(sources, tmp.resolve("cache"), new Preprocessor(1_000), new SplitCache.Listener() { });
    }

    AugmentationKey key(long seed) {
        return AugmentationKey.of(DATASET, "train", "paper", Augmentation.forJob("paper", DATASET).description(),
                RESOLUTION, seed, cache.manifest(DATASET, Split.TRAIN));
    }

    EpochBuilder builder(int threads) {
        return new EpochBuilder(cache, threads, OUT_SHARD, 1L << 30, Preprocessor.SpaceGuard.NONE);
    }

    Path emptyDir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void anEpochIsItsShardsAndManifestWithProgressReportedAsItGoes() throws Exception {
        AugmentationKey key = key(7);
        Path out = emptyDir("two-threads");
        Recorder progress = new Recorder();
        Manifest manifest;
        long estimate;
        try (EpochBuilder builder = builder(2)) {
            manifest = builder.build(key, 3, out, progress);
            estimate = builder.estimateBytes(key.images(), key.resolution());
        }

        assertEquals(5_000, progress.images.get());
        assertEquals(List.of(700, 700, 700, 700, 700, 700, 700, 100), progress.shardImages);
        assertEquals(manifest.shards(), progress.shards, "reported in order, as listed in the manifest");
        assertEquals("shard-00007.xsh", EpochBuilder.shardName(7));
        List<String> shardNames = IntStream.range(0, 8).mapToObj(EpochBuilder::shardName).toList();
        assertEquals(shardNames, manifest.shards().stream().map(ShardEntry::name).toList());
        assertEquals(manifest, Preprocessor.readManifest(out).orElseThrow());
        assertEquals(EpochBuilder.PIPELINE_PREFIX + cache.manifest(DATASET, Split.TRAIN).pipeline(),
                manifest.pipeline());
        assertEquals("paper/epoch-3/seed-7: " + key.pipeline(), manifest.augmentation());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(Stream.concat(Stream.of(Preprocessor.MANIFEST), shardNames.stream()).sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing else, no temporary file");
        }
        long bytes = CacheSpaceGuard.bytesUnder(out);
        assertTrue(bytes <= estimate, bytes + " bytes written, estimate " + estimate);
        assertEquals(bytes - Files.size(out.resolve(Preprocessor.MANIFEST)),
                manifest.shards().stream().mapToLong(ShardEntry::bytes).sum());

        // Each image has its own generator: one thread writes the same bytes as two.
        Path single = emptyDir("one-thread");
        try (EpochBuilder builder = builder(1)) {
            assertEquals(manifest.shards(), builder.build(key, 3, single, new Recorder()).shards());
        }
    }

    @Test
    void aSourceOrPipelineThatNoLongerMatchesTheKeyFailsTheBuild() throws Exception {
        AugmentationKey key = key(1);
        try (EpochBuilder builder = builder(2)) {
            AugmentationKey otherSource = new AugmentationKey(key.version(), key.key(), key.dataset(), key.split(),
                    key.augmentation(), key.pipeline(), key.resolution(), key.seed(), "0".repeat(64), key.images(),
                    key.classes());
            IOException changed = assertThrows(IOException.class,
                    () -> builder.build(otherSource, 0, emptyDir("a"), new Recorder()));
            assertTrue(changed.getMessage().contains("changed since key " + key.key()), changed.getMessage());

            AugmentationKey otherPipeline = new AugmentationKey(key.version(), key.key(), key.dataset(), key.split(),
                    key.augmentation(), "an older description", key.resolution(), key.seed(), key.sourceSha256(),
                    key.images(), key.classes());
            IOException pipeline = assertThrows(IOException.class,
                    () -> builder.build(otherPipeline, 0, emptyDir("b"), new Recorder()));
            assertTrue(pipeline.getMessage().contains("was made for 'an older description'"), pipeline.getMessage());

            // Same size, other bytes: only the SHA-256 check can tell.
            ShardEntry last = cache.manifest(DATASET, Split.TRAIN).shards().get(4);
            Path file = cache.splitDir(DATASET, Split.TRAIN).resolve(last.name());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 1] ^= 1;
            Files.write(file, bytes);
            Recorder progress = new Recorder();
            IOException tampered = assertThrows(IOException.class,
                    () -> builder.build(key, 0, emptyDir("c"), progress));
            assertTrue(tampered.getMessage().contains(last.name() + " does not match its manifest"),
                    tampered.getMessage());
            assertEquals(4_000, progress.images.get(), "the four intact source shards were augmented");
        }
    }
}
