package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.augment.PaperPipeline;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    private static final Normalisation NORM = Normalisation.of(List.of(0.5, 0.4, 0.3), List.of(0.2, 0.25, 0.3));

    private static ImageSet images() {
        Random rng = new Random(1);
        byte[] pixels = new byte[64 * 20 * 20 * 3];
        rng.nextBytes(pixels);
        short[] labels = new short[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = (short) (i % 7);
        }
        return ImageSet.of(List.of(new ImageShard(20, 20, 3, 7, labels, pixels)));
    }

    @Test
    void batchesDoNotDependOnTheNumberOfThreads() {
        ImageSet set = images();
        int[] idx = {5, 9, 1, 63, 0, 17, 33, 2};
        Augmentation cifar100 = PaperPipeline.forDataset("cifar100");
        BatchAssembler.Request r = new BatchAssembler.Request(set, idx, 40, cifar100, 99, 16, NORM);
        BatchAssembler.Batch inline;
        BatchAssembler.Batch pooled;
        try (BatchAssembler a = new BatchAssembler(0); BatchAssembler b = new BatchAssembler(3)) {
            inline = BatchAssembler.await(a.submit(r));
            pooled = BatchAssembler.await(b.submit(r));
        }
        assertEquals(8, inline.n());
        assertArrayEquals(inline.pixels(), pooled.pixels());
        assertArrayEquals(new int[] {5, 2, 1, 0, 0, 3, 5, 2}, inline.labels());
        assertArrayEquals(inline.boxes(), pooled.boxes());
        assertEquals(8 * 3 * 16 * 16, inline.pixels().length);
        assertNotNull(inline.boxes());
        // another epoch seed draws other augmentations
        BatchAssembler.Batch otherEpoch = new BatchAssembler(0).build(new BatchAssembler.Request(set, idx, 40,
                cifar100, 100, 16, NORM));
        assertFalse(Arrays.equals(inline.pixels(), otherEpoch.pixels()));
    }

    @Test
    void anImageLooksTheSameWhereverTheShufflePutsIt() {
        ImageSet set = images();
        Augmentation cifar10 = PaperPipeline.forDataset("cifar10");
        try (BatchAssembler a = new BatchAssembler(0)) {
            BatchAssembler.Batch first = a.build(new BatchAssembler.Request(set, new int[] {7, 8}, 0, cifar10, 5, 16,
                    NORM));
            BatchAssembler.Batch later = a.build(new BatchAssembler.Request(set, new int[] {30, 8}, 50, cifar10, 5,
                    16, NORM));
            int image = 3 * 16 * 16;
            assertArrayEquals(Arrays.copyOfRange(first.pixels(), image, 2 * image),
                    Arrays.copyOfRange(later.pixels(), image, 2 * image), "image 8 at positions 1 and 51");
        }
    }

    /**
     * The augmentation cache's contract: an epoch pre-computed image by image with {@link EpochAugmentation} (as the
     * dataset service does, indexed by position in the full split) gives the trainer bit-identical batches, also for
     * a subset and with RandomErasing, whose boxes stay with the trainer.
     */
    @Test
    void aPrecomputedEpochGivesTheSameBatchesAsAugmentingOnTheFly() {
        ImageSet set = images();
        ImageSet subset = set.subset(20, 3);
        Augmentation cifar100 = PaperPipeline.forDataset("cifar100");
        long epochSeed = EpochAugmentation.epochSeed(42, 7);
        int size = 16;
        ImageSet cached = precomputed(set, cifar100, epochSeed, size);
        int[] idx = {19, 0, 4, 11, 2};
        try (BatchAssembler a = new BatchAssembler(2)) {
            BatchAssembler.Batch online = a.build(new BatchAssembler.Request(subset, idx, 10, cifar100, epochSeed,
                    size, NORM));
            BatchAssembler.Batch fromCache = a.build(new BatchAssembler.Request(subset, idx, 10, cifar100, epochSeed,
                    size, NORM, cached));
            assertArrayEquals(online.pixels(), fromCache.pixels());
            assertArrayEquals(online.labels(), fromCache.labels());
            assertArrayEquals(online.boxes(), fromCache.boxes());
            // and the cache is really what is read: another epoch's cache under this epoch's seed gives other pixels
            ImageSet otherEpoch = precomputed(set, cifar100, EpochAugmentation.epochSeed(42, 8), size);
            BatchAssembler.Batch wrongEpoch = a.build(new BatchAssembler.Request(subset, idx, 10, cifar100,
                    epochSeed, size, NORM, otherEpoch));
            assertFalse(Arrays.equals(wrongEpoch.pixels(), fromCache.pixels()));
        }
    }

    /** The epoch as the dataset service pre-computes it: every image of the split, in split order, HWC. */
    private static ImageSet precomputed(ImageSet set, Augmentation augmentation, long epochSeed, int size) {
        byte[] augmented = new byte[set.size() * size * size * 3];
        short[] labels = new short[set.size()];
        for (int i = 0; i < set.size(); i++) {
            EpochAugmentation.augment(set.pixels(i), set.pixelOffset(i), set.height(), set.width(), set.channels(),
                    augmentation, size, EpochAugmentation.imageRandom(epochSeed, i))
                    .toHwc(augmented, i * size * size * 3);
            labels[i] = (short) set.label(i);
        }
        return ImageSet.of(List.of(new ImageShard(size, size, 3, 7, labels, augmented)));
    }

    @Test
    void evaluationBatchesAreCentreCropsWithoutRandomness() {
        ImageSet set = images();
        try (BatchAssembler a = new BatchAssembler(2)) {
            float[] x = a.build(new BatchAssembler.Request(set, new int[] {3}, 0, Augmentation.NONE, 1, 20, NORM))
                    .pixels();
            float[] y = a.build(new BatchAssembler.Request(set, new int[] {3}, 7, Augmentation.NONE, 2, 20, NORM))
                    .pixels();
            assertArrayEquals(x, y);
            int v = set.pixels(3)[set.pixelOffset(3)] & 0xFF; // first pixel, red channel, identity resampling
            assertEquals((v / 255f - 0.5f) / 0.2f, x[0], 1e-5);
        }
    }
}
