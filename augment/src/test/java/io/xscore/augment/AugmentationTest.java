package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE_255 = {1f / 255, 1f / 255, 1f / 255};

    @Test
    void randomResizedCropKeepsSquareCropsWithinTheScaleRangeOrFallsBackToTheWholeImage() {
        Random rng = new Random(3);
        int whole = 0;
        for (int i = 0; i < 5000; i++) {
            Crop c = RandomResizedCrop.BENCHMARK.sample(32, 32, rng);
            assertEquals(c.height(), c.width(), "ratio 1 means square crops");
            assertTrue(c.top() >= 0 && c.left() >= 0 && c.top() + c.height() <= 32 && c.left() + c.width() <= 32);
            double share = c.height() * c.width() / 1024.0;
            assertTrue(share >= 0.85 && share <= 1.0, "share " + share);
            if (c.height() == 32) {
                whole++;
            }
        }
        assertTrue(whole > 0, "side 32 occurs (share in [~0.97, 1]) ");
    }

    @Test
    void fallbackIsTheWholeImageWhenNoAttemptFits() {
        // scale strictly above 1 never fits: torchvision falls back to the centre crop within the ratio range
        RandomResizedCrop tooBig = new RandomResizedCrop(1.2, 1.3, 1.0, 1.0);
        assertEquals(new Crop(0, 0, 32, 32), tooBig.sample(32, 32, new Random(1)));
        assertEquals(new Crop(0, 10, 20, 20), tooBig.sample(20, 40, new Random(1)));
    }

    @Test
    void identityResampleNormalisesAndReplicatesGrey() {
        byte[] src = {0, (byte) 255, (byte) 128, 64};
        float[] dst = new float[12];
        Resampler.resample(src, 0, 2, 2, 1, Crop.whole(2, 2), 2, false, ZERO, ONE_255, dst, 0);
        for (int c = 0; c < 3; c++) {
            assertEquals(0f, dst[c * 4], 1e-4);
            assertEquals(255f, dst[c * 4 + 1], 1e-3);
            assertEquals(128f, dst[c * 4 + 2], 1e-3);
            assertEquals(64f, dst[c * 4 + 3], 1e-3);
        }
        float[] flipped = new float[12];
        Resampler.resample(src, 0, 2, 2, 1, Crop.whole(2, 2), 2, true, ZERO, ONE_255, flipped, 0);
        assertEquals(255f, flipped[0], 1e-3);
        assertEquals(0f, flipped[1], 1e-3);
    }

    @Test
    void bilinearUpsamplingUsesHalfPixelCentres() {
        // 1×2 grey image [0, 100] upsampled to width 4: x_src = (x+0.5)/2 − 0.5 → −0.25, 0.25, 0.75, 1.25 (clamped)
        byte[] src = {0, 100, 0, 100};
        float[] dst = new float[3 * 16];
        Resampler.resample(src, 0, 2, 2, 1, Crop.whole(2, 2), 4, false, ZERO, ONE_255, dst, 0);
        assertEquals(0f, dst[0], 1e-3);
        assertEquals(25f, dst[1], 1e-3);
        assertEquals(75f, dst[2], 1e-3);
        assertEquals(100f, dst[3], 1e-3);
    }

    @Test
    void normalisationUsesMeanAndStd() {
        byte[] src = {(byte) 255, 0, (byte) 51};
        float[] dst = new float[3];
        Resampler.resample(src, 0, 1, 1, 3, Crop.whole(1, 1), 1, false, new float[] {0.5f, 0.5f, 0.2f},
                new float[] {0.5f, 0.25f, 0.1f}, dst, 0);
        assertEquals(1f, dst[0], 1e-5);
        assertEquals(-2f, dst[1], 1e-5);
        assertEquals(0f, dst[2], 1e-5);
    }

    @Test
    void pipelinesAreChosenByProtocolAndDataset() {
        assertTrue(Augmentation.forJob("light", "cifar10") == Augmentation.LIGHT);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Augmentation.forJob("heavy", "cifar10"));
        assertEquals("unknown augmentation pipeline 'heavy'", e.getMessage());
        assertTrue(Augmentation.forJob("paper", "cifar10") instanceof PaperPipeline);
    }
}
