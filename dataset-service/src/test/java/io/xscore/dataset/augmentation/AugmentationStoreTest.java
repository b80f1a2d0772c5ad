package io.xscore.dataset.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.augmentation.AugmentationStatus.EpochStatus;
import io.xscore.dataset.augmentation.AugmentationStatus.State;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store and its worker without Quarkus, on synthetic-shapes' 5,000 training images (32 px, source shards of
 * 1,000) augmented at 16 px into output shards of 700 images, so output shards straddle source shards.
 */
class AugmentationStoreTest {

    static final String DATASET = "synthetic-shapes";
    static final int RESOLUTION = 16;
    static final int OUT_SHARD = 700;

    @TempDir
    Path tmp;

    DatasetSources sources;
    SplitCache cache;
    final List<AugmentationStore> stores = new ArrayList<>();

    /** Counts what the store reports. */
    static class Recorder implements AugmentationStore.Listener {
        final AtomicInteger ready = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger hits = new AtomicInteger();
        final AtomicInteger evicted = new AtomicInteger();
        final AtomicInteger images = new AtomicInteger();

        @Override
        public void augmented(String dataset, int n) {
            images.addAndGet(n);
        }

        @Override
        public void epochReady(String dataset, int epoch, int n, double seconds) {
            ready.incrementAndGet();
        }

        @Override
        public void epochFailed(String dataset, int epoch, String reason) {
            failed.incrementAndGet();
        }

        @Override
        public void augmentationHit(String dataset) {
            hits.incrementAndGet();
        }

        @Override
        public void evicted(String dataset, int epoch, long bytes) {
            evicted.incrementAndGet();
        }
    }

    @BeforeEach
    void setUp() {
        sources = new DatasetSources(tmp.resolve("none"));
        cache = new SplitCache(sources, tmp.resolve("cache"), new Preprocessor(1_000), new SplitCache.Listener() { });
    }

    @AfterEach
    void closeStores() {
        stores.forEach(AugmentationStore::close);
    }

    AugmentationStore store(Path dir, long maxBytes, int threads, Preprocessor.SpaceGuard guard, Recorder recorder)
            throws IOException {
        AugmentationStore store = new AugmentationStore(new AugmentationStore.Settings(dir, maxBytes, threads,
                OUT_SHARD, 1L << 30, guard), cache, sources, recorder);
        stores.add(store);
        return store;
    }

    static AugmentationRequest paper(int resolution, long seed, Integer... epochs) {
        return new AugmentationRequest("train", "paper", resolution, seed, List.of(epochs));
    }

    static AugmentationStatus.EpochStatus epoch(AugmentationStatus status, int epoch) {
        return status.epochs().stream().filter(e -> e.epoch() == epoch).findFirst().orElseThrow();
    }

    /** Every image of a prepared or augmented set, concatenated in manifest order. */
    static ImageShard readAll(Path dir, Manifest manifest) throws Exception {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Short> labels = new ArrayList<>();
        ImageShard first = null;
        for (ShardEntry entry : manifest.shards()) {
            byte[] bytes = Files.readAllBytes(dir.resolve(entry.name()));
            assertEquals(entry.bytes(), bytes.length, entry.name());
            assertEquals(entry.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    entry.name());
            ImageShard shard;
            try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
                shard = ImageShard.read(in);
            }
            assertEquals(entry.count(), shard.count());
            first = first == null ? shard : first;
            pixels.write(shard.pixels());
            for (short label : shard.labels()) {
                labels.add(label);
            }
        }
        short[] all = new short[labels.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = labels.get(i);
        }
        return new ImageShard(first.height(), first.width(), first.channels(), first.classes(), all,
                pixels.toByteArray());
    }

    @Test
    void anEpochHoldsExactlyTheTrainersAugmentedBytes() throws Exception {
        Recorder recorder = new Recorder();
        AugmentationStore store = store(tmp.resolve("aug"), 0, 2, Preprocessor.SpaceGuard.NONE, recorder);
        AugmentationStatus requested = store.request(DATASET, paper(RESOLUTION, 7, 1, 0));
        assertEquals(List.of(0, 1), requested.epochs().stream().map(EpochStatus::epoch).toList());
        assertTrue(AugmentationStore.KEY.matcher(requested.key()).matches());
        assertEquals(Augmentation.forJob("paper", DATASET).description(), requested.pipeline());
        store.awaitIdle();

        AugmentationStatus status = store.status(DATASET, requested.key());
        for (EpochStatus e : status.epochs()) {
            assertEquals(State.READY, e.state(), e.toString());
            assertEquals(5_000, e.imagesDone());
            assertEquals(5_000, e.imagesTotal());
            assertTrue(e.bytes() > 5_000L * 3 * RESOLUTION * RESOLUTION, e.toString());
            assertNull(e.error());
        }
        assertEquals(2, recorder.ready.get());
        assertEquals(10_000, recorder.images.get());

        Manifest sourceManifest = cache.manifest(DATASET, Split.TRAIN);
        ImageShard source = readAll(cache.splitDir(DATASET, Split.TRAIN), sourceManifest);
        Augmentation paper = Augmentation.forJob("paper", DATASET);
        Path keyDir = store.dir().resolve(DATASET).resolve(requested.key());
        ImageShard[] epochs = new ImageShard[2];
        for (int e = 0; e < 2; e++) {
            Manifest manifest = store.manifest(DATASET, requested.key(), e);
            assertEquals(5_000, manifest.count());
            assertEquals(List.of(700, 700, 700, 700, 700, 700, 700, 100),
                    manifest.shards().stream().map(ShardEntry::count).toList());
            assertEquals(RESOLUTION, manifest.height());
            assertEquals(RESOLUTION, manifest.width());
            assertEquals(3, manifest.channels());
            assertEquals(sourceManifest.classes(), manifest.classes());
            assertEquals(sourceManifest.mean(), manifest.mean());
            assertEquals(sourceManifest.std(), manifest.std());
            assertEquals("xscore-augment-v1;" + sourceManifest.pipeline(), manifest.pipeline());
            assertEquals("paper/epoch-" + e + "/seed-7: " + paper.description(), manifest.augmentation());
            epochs[e] = readAll(keyDir.resolve(AugmentationLayout.epochName(e)), manifest);
            assertArrayEquals(source.labels(), epochs[e].labels(), "labels are the source labels");
            int imageBytes = 3 * RESOLUTION * RESOLUTION;
            long epochSeed = EpochAugmentation.epochSeed(7, e);
            for (int k : new int[] {0, 1, 699, 700, 999, 1_000, 1_399, 2_345, 4_999}) {
                byte[] expected = new byte[imageBytes];
                EpochAugmentation.augment(source.pixels(), k * source.imageBytes(), source.height(), source.width(),
                        source.channels(), paper, RESOLUTION, EpochAugmentation.imageRandom(epochSeed, k))
                        .toHwc(expected, 0);
                byte[] actual = java.util.Arrays.copyOfRange(epochs[e].pixels(), k * imageBytes,
                        (k + 1) * imageBytes);
                assertArrayEquals(expected, actual, "epoch " + e + ", image " + k);
            }
        }
        assertFalse(java.util.Arrays.equals(epochs[0].pixels(), epochs[1].pixels()), "epochs differ");
        assertEquals(2, recorder.hits.get());

        // One thread gives the same bytes as two (each image has its own generator).
        AugmentationStore single = store(tmp.resolve("aug-1"), 0, 1, Preprocessor.SpaceGuard.NONE, new Recorder());
        assertEquals(requested.key(), single.request(DATASET, paper(RESOLUTION, 7, 0)).key());
        single.awaitIdle();
        assertEquals(store.manifest(DATASET, requested.key(), 0).shards(),
                single.manifest(DATASET, requested.key(), 0).shards());
    }

    @Test
    void aPublishedEpochStaysReadyWhenReportingItFails() throws Exception {
        Recorder recorder = new Recorder() {
            @Override
            public void epochReady(String dataset, int epoch, int n, double seconds) {
                super.epochReady(dataset, epoch, n, seconds);
                throw new IllegalStateException("metrics backend down");
            }
        };
        AugmentationStore store = store(tmp.resolve("aug"), 0, 1, Preprocessor.SpaceGuard.NONE, recorder);
        store.request(DATASET, paper(RESOLUTION, 11, 0));
        store.awaitIdle();
        AugmentationStatus status = store.request(DATASET, paper(RESOLUTION, 11, 0));
        assertEquals(State.READY, epoch(status, 0).state(), "published, so READY: " + epoch(status, 0));
        assertEquals(1, recorder.ready.get());
        assertEquals(0, recorder.failed.get(), "not reported FAILED");
    }

    @Test
    void keysDependOnSeedResolutionAndPipelineOnly() throws Exception {
        AugmentationStore store = store(tmp.resolve("aug"), 0, 1, Preprocessor.SpaceGuard.NONE, new Recorder());
        String key = store.request(DATASET, paper(8, 1, 0)).key();
        assertEquals(key, store.request(DATASET, paper(8, 1, 3)).key());
        assertNotEquals(key, store.request(DATASET, paper(8, 2, 0)).key());
        assertNotEquals(key, store.request(DATASET, paper(12, 1, 0)).key());
        assertNotEquals(key, store.request("synthetic-textures", paper(8, 1, 0)).key());
        store.awaitIdle();
        AugmentationStatus status = store.status(DATASET, key);
        assertEquals(List.of(0, 3), status.epochs().stream().map(EpochStatus::epoch).toList());
        assertEquals(AugmentationKey.sourceIdentity(cache.manifest(DATASET, Split.TRAIN)), status.sourceSha256());
        AugmentationKey written = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                store.dir().resolve(DATASET).resolve(key).resolve(AugmentationLayout.KEY_FILE).toFile(),
                AugmentationKey.class);
        assertTrue(written.consistent());
        assertEquals(key, written.key());

        DatasetException bad = assertThrows(DatasetException.class, () -> store.status(DATASET, "../../etc"));
        assertEquals(400, bad.status());
        assertEquals(404, assertThrows(DatasetException.class,
                () -> store.status(DATASET, "0123456789abcdef")).status());
        assertEquals(404, assertThrows(DatasetException.class,
                () -> store.status("synthetic-textures", key)).status());
        assertEquals(404, assertThrows(DatasetException.class, () -> store.manifest(DATASET, key, 1)).status());
    }

    @Test
    void theSameRequestTwiceComputesOnceAndSurvivesARestart() throws Exception {
        Path dir = tmp.resolve("aug");
        Recorder recorder = new Recorder();
        AugmentationStore store = store(dir, 0, 1, Preprocessor.SpaceGuard.NONE, recorder);
        String key = store.request(DATASET, paper(RESOLUTION, 3, 0, 1)).key();
        AugmentationStatus again = store.request(DATASET, paper(RESOLUTION, 3, 1, 0, 1));
        assertEquals(key, again.key());
        assertEquals(2, again.epochs().size());
        store.awaitIdle();
        store.request(DATASET, paper(RESOLUTION, 3, 0, 1));
        store.awaitIdle();
        assertEquals(2, recorder.ready.get());
        assertEquals(10_000, recorder.images.get());
        Manifest zero = store.manifest(DATASET, key, 0);
        store.close();

        Recorder restarted = new Recorder();
        AugmentationStore second = store(dir, 0, 1, Preprocessor.SpaceGuard.NONE, restarted);
        AugmentationStatus status = second.status(DATASET, key);
        assertEquals(List.of(State.READY, State.READY), status.epochs().stream().map(EpochStatus::state).toList());
        assertEquals(zero, second.manifest(DATASET, key, 0));
        second.request(DATASET, paper(RESOLUTION, 3, 0, 1));
        second.awaitIdle();
        assertEquals(0, restarted.ready.get());
        assertEquals(0, restarted.images.get());
    }

    @Test
    void aStalePartialEpochIsRemovedAtStartUp() throws Exception {
        Path dir = tmp.resolve("aug");
        AugmentationStore store = store(dir, 0, 1, Preprocessor.SpaceGuard.NONE, new Recorder());
        String key = store.request(DATASET, paper(RESOLUTION, 5, 0)).key();
        store.awaitIdle();
        store.close();

        Path keyDir = dir.resolve(DATASET).resolve(key);
        Path partial = Files.createDirectories(keyDir.resolve(".epoch-00001.0b5e9a1c-dead.partial"));
        Files.write(partial.resolve("shard-00000.xsh"), new byte[] {1, 2, 3});
        Path tempKey = Files.write(keyDir.resolve(".key.json.1234.tmp"), new byte[] {1});
        // An epoch directory without a manifest cannot come from this store (renames are atomic): removed too.
        Path noManifest = Files.createDirectories(keyDir.resolve("epoch-00002"));
        Files.write(noManifest.resolve("shard-00000.xsh"), new byte[] {1});

        AugmentationStore restarted = store(dir, 0, 1, Preprocessor.SpaceGuard.NONE, new Recorder());
        assertFalse(Files.exists(partial));
        assertFalse(Files.exists(tempKey));
        assertFalse(Files.exists(noManifest));
        assertTrue(Files.isDirectory(keyDir.resolve("epoch-00000")));
        assertEquals(List.of(0), restarted.status(DATASET, key).epochs().stream().map(EpochStatus::epoch).toList());
        assertEquals(404, assertThrows(DatasetException.class, () -> restarted.manifest(DATASET, key, 1)).status());
    }

    @Test
    void theLeastRecentlyUsedReadyEpochIsEvictedAndATooBigEpochFails() throws Exception {
        Recorder recorder = new Recorder();
        long estimate;
        try (EpochBuilder probe = new EpochBuilder(cache, 1, OUT_SHARD, 1L << 30, Preprocessor.SpaceGuard.NONE)) {
            estimate = probe.estimateBytes(5_000, RESOLUTION);
        }
        long max = estimate * 5 / 2;
        AugmentationStore store = store(tmp.resolve("aug"), max, 2, Preprocessor.SpaceGuard.NONE, recorder);
        String key = store.request(DATASET, paper(RESOLUTION, 9, 0)).key();
        store.awaitIdle();
        store.request(DATASET, paper(RESOLUTION, 9, 1));
        store.awaitIdle();
        long two = store.bytesInUse();
        assertTrue(two <= max && two > 2 * 5_000L * 3 * RESOLUTION * RESOLUTION, two + " of " + max);
        store.manifest(DATASET, key, 0); // epoch 0 is now more recently used than epoch 1
        store.request(DATASET, paper(RESOLUTION, 9, 2));
        store.awaitIdle();

        AugmentationStatus status = store.status(DATASET, key);
        assertEquals(List.of(0, 2), status.epochs().stream().map(EpochStatus::epoch).toList());
        assertTrue(status.epochs().stream().allMatch(e -> e.state() == State.READY), status.toString());
        assertEquals(1, recorder.evicted.get());
        Path keyDir = store.dir().resolve(DATASET).resolve(key);
        assertFalse(Files.exists(keyDir.resolve("epoch-00001")));
        try (Stream<Path> children = Files.list(keyDir)) {
            assertEquals(List.of("epoch-00000", "epoch-00002", "key.json"),
                    children.map(p -> p.getFileName().toString()).sorted().toList());
        }
        DatasetException gone = assertThrows(DatasetException.class, () -> store.manifest(DATASET, key, 1));
        assertEquals(404, gone.status());
        assertTrue(store.bytesInUse() <= max);

        // 32 px needs ~15 MB, more than the whole bound: FAILED at once, nothing evicted for it.
        String big = store.request(DATASET, paper(32, 9, 0)).key();
        store.awaitIdle();
        EpochStatus failed = epoch(store.status(DATASET, big), 0);
        assertEquals(State.FAILED, failed.state());
        assertTrue(failed.error().startsWith("augmentation cache full: needs "), failed.error());
        assertTrue(failed.error().contains(" of " + max + " in use"), failed.error());
        DatasetException notReady = assertThrows(DatasetException.class, () -> store.manifest(DATASET, big, 0));
        assertEquals(409, notReady.status());
        assertEquals("epoch-not-ready", notReady.slug());
        assertTrue(notReady.getMessage().contains("FAILED: augmentation cache full"), notReady.getMessage());
        assertEquals(1, recorder.evicted.get());
        assertEquals(2, store.status(DATASET, key).epochs().size());
    }

    @Test
    void progressIsVisibleAndAFullDiskFailsTheEpochCleanly() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBoolean diskFull = new AtomicBoolean();
        Preprocessor.SpaceGuard guard = (file, bytes) -> {
            String name = file.getFileName().toString();
            if (name.equals("shard-00002.xsh") && paused.getCount() > 0) {
                paused.countDown();
                try {
                    resume.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (name.equals("shard-00003.xsh") && diskFull.get()) {
                throw new IOException("not enough disk space to write " + file + ": needs " + bytes + " bytes");
            }
        };
        Recorder recorder = new Recorder();
        AugmentationStore store = store(tmp.resolve("aug"), 0, 2, guard, recorder);
        diskFull.set(true);
        String key = store.request(DATASET, paper(RESOLUTION, 11, 0)).key();
        assertTrue(paused.await(60, TimeUnit.SECONDS));
        EpochStatus running = epoch(store.status(DATASET, key), 0);
        assertEquals(State.RUNNING, running.state());
        assertEquals(2 * OUT_SHARD + OUT_SHARD, running.imagesDone(), running.toString());
        assertEquals(5_000, running.imagesTotal());
        assertTrue(running.bytes() > 0, running.toString());
        DatasetException busy = assertThrows(DatasetException.class, () -> store.manifest(DATASET, key, 0));
        assertEquals(409, busy.status());
        assertTrue(busy.getMessage().contains("RUNNING (2100/5000 images done)"), busy.getMessage());
        resume.countDown();
        store.awaitIdle();

        EpochStatus failed = epoch(store.status(DATASET, key), 0);
        assertEquals(State.FAILED, failed.state());
        assertTrue(failed.error().contains("shard-00003.xsh"), failed.error());
        assertEquals(1, recorder.failed.get());
        Path keyDir = store.dir().resolve(DATASET).resolve(key);
        try (Stream<Path> children = Files.list(keyDir)) {
            assertEquals(List.of("key.json"), children.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(0, store.bytesInUse());

        // The service carries on: with space again, the FAILED epoch is retried.
        diskFull.set(false);
        store.request(DATASET, paper(RESOLUTION, 11, 0));
        store.awaitIdle();
        assertEquals(State.READY, epoch(store.status(DATASET, key), 0).state());
        assertEquals(1, recorder.ready.get());
    }

    @Test
    void invalidRequestsAndNonCacheablePipelinesAreRefused() throws Exception {
        AugmentationStore store = store(tmp.resolve("aug"), 0, 1, Preprocessor.SpaceGuard.NONE, new Recorder());
        DatasetException light = assertThrows(DatasetException.class, () -> store.request(DATASET,
                new AugmentationRequest("train", "light", 32, 0L, List.of(0))));
        assertEquals(422, light.status());
        assertEquals("augmentation-not-cacheable", light.slug());
        assertFalse(EpochAugmentation.cacheable(Augmentation.forJob("paper", "ham10000")));
        assertEquals(422, assertThrows(DatasetException.class, () -> store.request("ham10000",
                paper(224, 0, 0))).status());
        assertEquals(404, assertThrows(DatasetException.class, () -> store.request("no-such-set",
                paper(32, 0, 0))).status());

        List<Integer> tooMany = IntStream.range(0, 65).boxed().toList();
        record Case(AugmentationRequest request, String field) {
        }
        for (Case c : List.of(
                new Case(null, "JSON body"),
                new Case(new AugmentationRequest("test", "paper", 32, 0L, List.of(0)), "\"split\""),
                new Case(new AugmentationRequest(null, "paper", 32, 0L, List.of(0)), "\"split\""),
                new Case(new AugmentationRequest("train", "heavy", 32, 0L, List.of(0)), "\"augmentation\""),
                new Case(new AugmentationRequest("train", "paper", 4, 0L, List.of(0)), "\"resolution\""),
                new Case(new AugmentationRequest("train", "paper", 1025, 0L, List.of(0)), "\"resolution\""),
                new Case(new AugmentationRequest("train", "paper", null, 0L, List.of(0)), "\"resolution\""),
                new Case(new AugmentationRequest("train", "paper", 32, -1L, List.of(0)), "\"seed\""),
                new Case(new AugmentationRequest("train", "paper", 32, 0L, List.of()), "\"epochs\""),
                new Case(new AugmentationRequest("train", "paper", 32, 0L, tooMany), "\"epochs\""),
                new Case(new AugmentationRequest("train", "paper", 32, 0L, List.of(0, 10_000)), "\"epochs\""),
                new Case(new AugmentationRequest("train", "paper", 32, 0L, Collections.singletonList(null)),
                        "\"epochs\""))) {
            DatasetException e = assertThrows(DatasetException.class, () -> store.request(DATASET, c.request()),
                    String.valueOf(c.request()));
            assertEquals(400, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains(c.field()), e.getMessage());
        }
        try (Stream<Path> files = Files.list(store.dir())) {
            assertEquals(0, files.count(), "nothing recorded for refused requests");
        }
    }
}
