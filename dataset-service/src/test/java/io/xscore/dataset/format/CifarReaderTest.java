package io.xscore.dataset.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.catalog.CifarSource;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.catalog.SplitReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir
    Path tmp;

    /** CIFAR-10 as cifar-10-binary.tar.gz unpacks: cifar-10-batches-bin/data_batch_1..5.bin, test_batch.bin, batches.meta.txt. */
    @Test
    void cifar10BatchesInTheirFolder() throws Exception {
        Path dir = tmp.resolve("cifar10/cifar-10-batches-bin");
        for (int b = 1; b <= 5; b++) {
            ImageFixtures.cifarBatch(dir.resolve("data_batch_" + b + ".bin"), 1, b, 9, 0);
        }
        ImageFixtures.cifarBatch(dir.resolve("test_batch.bin"), 1, 3, 7);
        List<String> names = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                "truck");
        ImageFixtures.text(dir.resolve("batches.meta.txt"), names);
        CifarSource source = new CifarSource(DatasetCatalog.find("cifar10").orElseThrow(), tmp.resolve("cifar10"),
                CifarSource.Variant.CIFAR10, "");
        assertTrue(source.missing().isEmpty());
        assertEquals(32, source.cacheResolution());
        try (SplitReader train = source.open(Split.TRAIN); SplitReader test = source.open(Split.TEST)) {
            assertEquals(15, train.count());
            assertEquals(2, test.count());
            assertEquals(names, train.classNames());
            ImageShard all = train.slice(0, 15);
            List<Short> labels = new ArrayList<>();
            for (short l : all.labels()) {
                labels.add(l);
            }
            assertEquals(List.of((short) 1, (short) 9, (short) 0, (short) 2, (short) 9, (short) 0, (short) 3,
                    (short) 9, (short) 0, (short) 4, (short) 9, (short) 0, (short) 5, (short) 9, (short) 0), labels);
            // Planes became HWC: the first pixel of record 1 of batch 1 is (R, G, B) = (2, 102, 202).
            int second = 32 * 32 * 3;
            assertArrayEquals(new byte[] {2, 102, (byte) 202}, new byte[] {all.pixels()[second],
                    all.pixels()[second + 1], all.pixels()[second + 2]});
            assertEquals(7, test.slice(0, 2).labels()[1]);
        }
    }

    @Test
    void cifar100UsesTheFineLabel() throws Exception {
        Path dir = tmp.resolve("cifar-100-binary");
        ImageFixtures.cifarBatch(dir.resolve("train.bin"), 2, 0, 42, 99);
        ImageFixtures.cifarBatch(dir.resolve("test.bin"), 2, 57);
        CifarSource source = new CifarSource(DatasetCatalog.find("cifar100").orElseThrow(), tmp,
                CifarSource.Variant.CIFAR100, "");
        try (SplitReader train = source.open(Split.TRAIN)) {
            assertArrayEquals(new short[] {0, 42, 99}, train.slice(0, 3).labels());
            assertEquals(List.of(), train.classNames());
        }
    }

    @Test
    void wrongFilesAreRejectedNamingThem() throws Exception {
        Path batch = ImageFixtures.cifarBatch(tmp.resolve("b.bin"), 1, 1, 2);
        Files.write(batch, java.util.Arrays.copyOf(Files.readAllBytes(batch), 3073 + 100));
        FormatException truncated = assertThrows(FormatException.class, () -> CifarReader.read(List.of(batch), 1, 0, 10));
        assertTrue(truncated.getMessage().startsWith(batch.toString()), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("3073"), truncated.getMessage());

        // A CIFAR-100 file read as CIFAR-10 has the wrong record size; labels beyond the classes are refused.
        Path hundred = ImageFixtures.cifarBatch(tmp.resolve("train.bin"), 2, 57);
        assertThrows(FormatException.class, () -> CifarReader.read(List.of(hundred), 1, 0, 10));
        Path big = ImageFixtures.cifarBatch(tmp.resolve("big.bin"), 1, 12);
        FormatException label = assertThrows(FormatException.class, () -> CifarReader.read(List.of(big), 1, 0, 10));
        assertTrue(label.getMessage().contains("label 12"), label.getMessage());
        Path names = ImageFixtures.text(tmp.resolve("batches.meta.txt"), "a", "b");
        assertThrows(FormatException.class, () -> CifarReader.classNames(names, 10));

        CifarSource absent = new CifarSource(DatasetCatalog.find("cifar10").orElseThrow(), tmp.resolve("nowhere"),
                CifarSource.Variant.CIFAR10, "");
        assertTrue(absent.missing().orElseThrow().contains("data_batch_1.bin"));
    }
}
