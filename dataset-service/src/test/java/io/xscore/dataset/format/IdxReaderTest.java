package io.xscore.dataset.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    @Test
    void readsTheRealFashionMnist() throws IOException {
        assumeTrue(Files.isDirectory(FASHION), "Debian package dataset-fashion-mnist not installed");
        LabelledImages train = IdxReader.read(FASHION.resolve("train-images-idx3-ubyte.gz"),
                FASHION.resolve("train-labels-idx1-ubyte.gz"), 10);
        LabelledImages test = IdxReader.read(FASHION.resolve("t10k-images-idx3-ubyte.gz"),
                FASHION.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        assertEquals(60_000, train.count());
        assertEquals(10_000, test.count());
        for (LabelledImages split : new LabelledImages[] {train, test}) {
            assertEquals(28, split.height());
            assertEquals(28, split.width());
            assertEquals(1, split.channels());
        }
        int[] expectedTrain = new int[10];
        Arrays.fill(expectedTrain, 6_000);
        int[] expectedTest = new int[10];
        Arrays.fill(expectedTest, 1_000);
        assertArrayEquals(expectedTrain, histogram(train.labels()));
        assertArrayEquals(expectedTest, histogram(test.labels()));
        // Mean pixel of the training set: the catalog's normalisation mean 0.2860.
        long sum = 0;
        for (byte b : train.pixels()) {
            sum += b & 0xff;
        }
        assertEquals(0.2860, sum / (255.0 * train.pixels().length), 5e-4);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void parsesSmallFilesGzippedOrNot(boolean gzip) throws IOException {
        Path images = IdxFixtures.write(tmp.resolve("images"), IdxFixtures.images(IdxReader.IMAGES_MAGIC, 3, 2, 4), gzip);
        Path labels = IdxFixtures.write(tmp.resolve("labels"), IdxFixtures.labels(IdxReader.LABELS_MAGIC, 2, 0, 9), gzip);
        LabelledImages read = IdxReader.read(images, labels, 10);
        assertEquals(3, read.count());
        assertEquals(2, read.height());
        assertEquals(4, read.width());
        assertArrayEquals(new short[] {2, 0, 9}, read.labels());
        assertEquals(3 * 8, read.pixels().length);
        assertEquals(7 + 5, read.pixels()[8 + 5]);
        assertArrayEquals(Arrays.copyOfRange(read.pixels(), 8, 16), read.slice(1, 2).pixels());
    }

    @Test
    void wrongMagicNamesTheFile() throws IOException {
        Path images = IdxFixtures.write(tmp.resolve("swapped-images"),
                IdxFixtures.images(IdxReader.LABELS_MAGIC, 1, 2, 2), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(images));
        assertEquals(images, e.file());
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void truncatedFileNamesTheFile(boolean gzip) throws IOException {
        byte[] full = IdxFixtures.images(IdxReader.IMAGES_MAGIC, 4, 3, 3);
        Path images = IdxFixtures.write(tmp.resolve("short-images"), Arrays.copyOf(full, full.length - 5), gzip);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(images));
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path header = IdxFixtures.write(tmp.resolve("header-only"), Arrays.copyOf(full, 6), gzip);
        e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(header));
        assertTrue(e.getMessage().contains(header.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamNamesTheFile() throws IOException {
        Path whole = IdxFixtures.write(tmp.resolve("whole.gz"), IdxFixtures.images(IdxReader.IMAGES_MAGIC, 50, 8, 8), true);
        byte[] gz = Files.readAllBytes(whole);
        Path cut = Files.write(tmp.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path images = IdxFixtures.write(tmp.resolve("images"), IdxFixtures.images(IdxReader.IMAGES_MAGIC, 3, 2, 2), false);
        Path labels = IdxFixtures.write(tmp.resolve("labels"), IdxFixtures.labels(IdxReader.LABELS_MAGIC, 1, 2), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels, 10));
        assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains(images.toString())
                && e.getMessage().contains("2 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesTheFile() throws IOException {
        Path labels = IdxFixtures.write(tmp.resolve("labels"), IdxFixtures.labels(IdxReader.LABELS_MAGIC, 1, 10), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(labels, 10));
        assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains("label 10 of item 1"),
                e.getMessage());
    }

    private static int[] histogram(short[] labels) {
        int[] counts = new int[10];
        for (short label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
