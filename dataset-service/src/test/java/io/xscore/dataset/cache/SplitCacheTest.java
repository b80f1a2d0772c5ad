package io.xscore.dataset.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.format.IdxFixtures;
import io.xscore.dataset.format.IdxReader;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitCacheTest {

    @TempDir
    Path tmp;

    /** Counts preparations; the synthetic generator's open() is what each preparation calls once. */
    static final class Recorder implements SplitCache.Listener {
        final AtomicInteger prepared = new AtomicInteger();
        final AtomicInteger hits = new AtomicInteger();

        @Override
        public void prepared(String dataset, Split split, Preprocessor.Result result) {
            prepared.incrementAndGet();
        }

        @Override
        public void hit(String dataset, Split split) {
            hits.incrementAndGet();
        }
    }

    @Test
    void concurrentRequestsPrepareOnce() throws Exception {
        Recorder recorder = new Recorder();
        SplitCache cache = new SplitCache(new DatasetSources(tmp.resolve("none")), tmp.resolve("cache"),
                new Preprocessor(300), recorder);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Manifest>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> cache.manifest("synthetic-textures", Split.TEST)));
            }
            Manifest first = results.get(0).get();
            for (Future<Manifest> result : results) {
                assertSame(first, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, recorder.prepared.get());
        assertEquals(1_000, cache.manifest("synthetic-textures", Split.TEST).count());
        assertEquals(List.of(300, 300, 300, 100),
                cache.manifest("synthetic-textures", Split.TEST).shards().stream().map(s -> s.count()).toList());

        // A second cache on the same directory (a restart) reuses the verified manifest without preparing.
        Recorder restarted = new Recorder();
        SplitCache again = new SplitCache(new DatasetSources(tmp.resolve("none")), tmp.resolve("cache"),
                new Preprocessor(300), restarted);
        assertEquals(cache.manifest("synthetic-textures", Split.TEST), again.manifest("synthetic-textures", Split.TEST));
        assertEquals(0, restarted.prepared.get());
        assertEquals(1, restarted.hits.get());
    }

    @Test
    void statusFollowsTheLifecycle() {
        SplitCache cache = new SplitCache(new DatasetSources(tmp.resolve("absent")), tmp.resolve("cache"),
                new Preprocessor(10_000), new SplitCache.Listener() { });
        DatasetSources sources = new DatasetSources(tmp.resolve("absent"));

        SplitCache.Status fashion = cache.status(sources.get("fashion-mnist"));
        assertFalse(fashion.available());
        assertEquals("missing-data", fashion.status());
        assertTrue(fashion.detail().contains(tmp.resolve("absent").toString()), fashion.detail());
        DatasetException missing = assertThrows(DatasetException.class,
                () -> cache.manifest("fashion-mnist", Split.TRAIN));
        assertEquals(503, missing.status());
        assertTrue(missing.getMessage().contains(tmp.resolve("absent").toString()));

        SplitCache.Status cifar = cache.status(sources.get("cifar10"));
        assertEquals("missing-data", cifar.status());
        assertTrue(cifar.detail().contains("not registered"), cifar.detail());

        assertEquals("not-prepared", cache.status(sources.get("synthetic-shapes")).status());
        cache.manifest("synthetic-shapes", Split.TEST);
        assertEquals("not-prepared", cache.status(sources.get("synthetic-shapes")).status());
        cache.manifest("synthetic-shapes", Split.TRAIN);
        SplitCache.Status shapes = cache.status(sources.get("synthetic-shapes"));
        assertTrue(shapes.available());
        assertEquals("ready", shapes.status());
    }

    @Test
    void corruptIdxFailsNamingTheFileAndTheServiceRecovers() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fashion"));
        byte[] labels = IdxFixtures.labels(IdxReader.LABELS_MAGIC, 1, 2);
        IdxFixtures.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFixtures.images(IdxReader.LABELS_MAGIC, 2, 28, 28), true);
        IdxFixtures.write(dir.resolve("train-labels-idx1-ubyte"), labels, false);
        IdxFixtures.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFixtures.images(IdxReader.IMAGES_MAGIC, 2, 28, 28), false);
        IdxFixtures.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels, true);
        DatasetSources sources = new DatasetSources(dir);
        SplitCache cache = new SplitCache(sources, tmp.resolve("cache"), new Preprocessor(10_000), new SplitCache.Listener() { });

        assertEquals(2, cache.manifest("fashion-mnist", Split.TEST).count());
        DatasetException corrupt = assertThrows(DatasetException.class, () -> cache.manifest("fashion-mnist", Split.TRAIN));
        assertEquals(500, corrupt.status());
        assertTrue(corrupt.getMessage().contains(dir.resolve("train-images-idx3-ubyte.gz").toString()), corrupt.getMessage());
        SplitCache.Status failed = cache.status(sources.get("fashion-mnist"));
        assertEquals("failed", failed.status());
        assertFalse(failed.available());

        // Fixing the file is enough: the next request prepares the split.
        IdxFixtures.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFixtures.images(IdxReader.IMAGES_MAGIC, 2, 28, 28), true);
        assertEquals(2, cache.manifest("fashion-mnist", Split.TRAIN).count());
        assertEquals("ready", cache.status(sources.get("fashion-mnist")).status());
    }

    @Test
    void shardNamesAreValidatedAndConfinedToTheSplit() {
        SplitCache cache = new SplitCache(new DatasetSources(tmp.resolve("none")), tmp.resolve("cache"),
                new Preprocessor(400), new SplitCache.Listener() { });
        for (String bad : List.of("../manifest.json", "..", "shard-00000.XSH", "a/b.xsh", "..%2fx.xsh", ".xsh",
                "shard-00000.xsh\u0000", "manifest.json")) {
            DatasetException e = assertThrows(DatasetException.class, () -> cache.shard("synthetic-shapes", Split.TEST, bad));
            assertEquals(400, e.status(), bad);
        }
        DatasetException unknown = assertThrows(DatasetException.class,
                () -> cache.shard("synthetic-shapes", Split.TEST, "shard-00099.xsh"));
        assertEquals(404, unknown.status());
        SplitCache.ShardFile shard = cache.shard("synthetic-shapes", Split.TEST, "shard-00002.xsh");
        assertEquals(200, shard.entry().count());

        // A shard deleted behind the service's back is regenerated on the next request.
        assertTrue(shard.path().toFile().delete());
        SplitCache.ShardFile again = cache.shard("synthetic-shapes", Split.TEST, "shard-00002.xsh");
        assertEquals(shard.entry(), again.entry());
        assertTrue(Files.isRegularFile(again.path()));
    }
}
