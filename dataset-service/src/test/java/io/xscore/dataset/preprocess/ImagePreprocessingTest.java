package io.xscore.dataset.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.cache.CacheSpaceGuard;
import io.xscore.dataset.catalog.ImageFileSource;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.format.FormatException;
import io.xscore.dataset.format.ImageDecoder;
import io.xscore.dataset.format.ImageFixtures;
import io.xscore.dataset.format.ImageFolderLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files through decoding, resizing, parallel shard writing, statistics, restart and failures. */
class ImagePreprocessingTest {

    @TempDir
    Path tmp;

    final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private ImageFileSource source(Path root, int size) {
        DatasetInfo info = new DatasetInfo("folders", "folders", "custom", false, 2, 0, 0, size, List.of(0.5, 0.5, 0.5),
                List.of(0.5, 0.5, 0.5));
        return new ImageFileSource(info, root, ImageFolderLayout.generic(), ImageDecoder.Geometry.crop(size, size),
                ImageDecoder.Geometry.crop(size, size), pool, true, "");
    }

    /** 21 red training images (JPEG and PNG, various sizes) and 21 blue ones; 2 test images. */
    private Path folders() throws IOException {
        Path root = tmp.resolve("data");
        for (int i = 0; i < 21; i++) {
            ImageFixtures.image(root.resolve("train/blue/" + i + ".png"), 30 + i, 20 + 2 * i, 0x0000ff);
            ImageFixtures.image(root.resolve("train/red/" + i + ".jpg"), 64, 48, 0xff0000);
        }
        ImageFixtures.image(root.resolve("test/blue/t.jpg"), 500, 375, 0x0000ff);
        ImageFixtures.image(root.resolve("test/red/t.png"), 8, 8, 0xff0000);
        return root;
    }

    @Test
    void decodesResizesAndRecordsStatistics() throws Exception {
        ImageFileSource source = source(folders(), 16);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        Preprocessor.Result result = new Preprocessor(10).prepare(source, Split.TRAIN, tmp.resolve("cache"),
                new Preprocessor.Progress() {
                    @Override
                    public void total(int images) {
                        total.set(images);
                    }

                    @Override
                    public void done(int images) {
                        done.addAndGet(images);
                    }
                });
        Manifest m = result.manifest();
        assertEquals(42, m.count());
        assertEquals(42, total.get());
        assertEquals(42, done.get());
        assertEquals(List.of(10, 10, 10, 10, 2), m.shards().stream().map(ShardEntry::count).toList());
        assertEquals(16, m.height());
        assertEquals(3, m.channels());
        assertEquals(List.of("blue", "red"), m.classNames());
        assertEquals("none", m.augmentation());
        assertTrue(m.pipeline().contains("short16-crop16"), m.pipeline());
        // Half pure blue, half (JPEG) red with a thin white line: red and blue means near 0.5, green small.
        assertEquals(0.5, m.computedMean().get(0), 0.08);
        assertEquals(0.5, m.computedMean().get(2), 0.08);
        assertTrue(m.computedMean().get(1) < 0.15, m.computedMean().toString());
        assertTrue(m.computedStd().get(0) > 0.4, m.computedStd().toString());
        ImageShard first;
        try (InputStream in = Files.newInputStream(tmp.resolve("cache/shard-00000.xsh"))) {
            first = ImageShard.read(in);
        }
        assertEquals(0, first.labels()[0]);
        int centre = (8 * 16 + 3) * 3;
        assertTrue((first.pixels()[centre + 2] & 0xff) > 200 && (first.pixels()[centre] & 0xff) < 40,
                "blue PNG stays blue");
    }

    @Test
    void aCrashMidwayKeepsFinishedShards() throws Exception {
        Path root = folders();
        Path cache = tmp.resolve("cache");
        // The 25th training image is corrupt: shards 0 and 1 are written, then preparation fails naming the file.
        Path bad = root.resolve("train/red/11.jpg");
        byte[] good = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(good, 40));
        IOException failure = assertThrows(IOException.class,
                () -> new Preprocessor(10).prepare(source(root, 16), Split.TRAIN, cache));
        assertTrue(failure instanceof FormatException, failure.toString());
        assertTrue(failure.getMessage().startsWith(bad.toString()), failure.getMessage());
        assertFalse(Files.exists(cache.resolve(Preprocessor.MANIFEST)), "no manifest for a failed split");
        assertTrue(Files.exists(cache.resolve("shard-00001.xsh")));
        assertFalse(Files.exists(cache.resolve("shard-00002.xsh")), "the failed shard is not visible");
        assertNoTemporaryFiles(cache);

        // Fixed file: the restart reuses the two finished shards (from the journal) and writes the other three.
        Files.write(bad, good);
        Preprocessor.Result again = new Preprocessor(10).prepare(source(root, 16), Split.TRAIN, cache);
        assertEquals(2, again.shardsReused());
        assertEquals(3, again.shardsWritten());
        assertEquals(22, again.imagesWritten());
        assertEquals(again.manifest(), Preprocessor.loadVerified(cache).orElseThrow());
    }

    @Test
    void aFullDiskIsAClearErrorAndLeavesNothingHalfWritten() throws Exception {
        Path cache = tmp.resolve("cache");
        // A cache limit of 2 KB: the first 10-image shard (16x16x3 = 768 bytes each) does not fit.
        Preprocessor small = new Preprocessor(10, Preprocessor.DEFAULT_SHARD_BYTES,
                new CacheSpaceGuard(cache, 2_000, 0));
        IOException full = assertThrows(IOException.class, () -> small.prepare(source(folders(), 16), Split.TRAIN,
                cache));
        assertTrue(full.getMessage().contains(cache.resolve("shard-00000.xsh").toString()), full.getMessage());
        assertTrue(full.getMessage().contains("cache size limit"), full.getMessage());
        assertFalse(Files.exists(cache.resolve("shard-00000.xsh")));
        assertFalse(Files.exists(cache.resolve(Preprocessor.MANIFEST)));
        assertNoTemporaryFiles(cache);

        // A write that fails midway (the disk fills while writing): the error names the file, the temp file is gone.
        IOException midway = assertThrows(IOException.class, () -> Preprocessor.writeAtomically(cache, "x.xsh",
                out -> {
                    out.write(new byte[100]);
                    throw new IOException("No space left on device");
                }));
        assertTrue(midway.getMessage().contains(cache.resolve("x.xsh").toString()), midway.getMessage());
        assertFalse(Files.exists(cache.resolve("x.xsh")));
        assertNoTemporaryFiles(cache);
    }

    @Test
    void decoderErrorsNameTheFile() throws Exception {
        Path text = Files.writeString(tmp.resolve("fake.jpg"), "this is not a JPEG");
        FormatException e = assertThrows(FormatException.class,
                () -> ImageDecoder.decode(text, ImageDecoder.Geometry.crop(8, 8)));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
        Path jpeg = ImageFixtures.image(tmp.resolve("big.jpg"), 600, 450, 0x00ff00);
        assertEquals(224 * 224 * 3, ImageDecoder.decode(jpeg, ImageDecoder.Geometry.squash(224)).length);
        assertEquals(256 * 256 * 3, ImageDecoder.decode(jpeg, ImageDecoder.Geometry.crop(256, 256)).length);
        byte[] png = ImageDecoder.decode(ImageFixtures.image(tmp.resolve("tiny.png"), 5, 7, 0x00ff00),
                ImageDecoder.Geometry.crop(32, 32));
        assertEquals(0, png[3 * (32 * 31)] & 0xff, "upscaled green has no red");
        assertTrue((png[3 * (32 * 31) + 1] & 0xff) > 240);
    }

    private static void assertNoTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files");
        }
    }
}
