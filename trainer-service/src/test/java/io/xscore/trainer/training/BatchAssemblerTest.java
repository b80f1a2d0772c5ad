package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.augment.Augmentation;
import io.xscore.trainer.augment.PaperPipeline;
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
        // another position in the epoch draws other augmentations
        BatchAssembler.Batch shifted = new BatchAssembler(0).build(new BatchAssembler.Request(set, idx, 41, cifar100,
                99, 16, NORM));
        assertFalse(Arrays.equals(inline.pixels(), shifted.pixels()));
        assertNotNull(inline.boxes());
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
