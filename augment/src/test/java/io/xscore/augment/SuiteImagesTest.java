package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xscore.common.protocol.Seeds;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The suite's 8-bit images from one native image: test transform, low resolution, corruption and its seeds. */
class SuiteImagesTest {

    private static byte[] noise(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void theTestImageAtTheNativeSizeIsTheImageItself() {
        byte[] hwc = noise(8 * 8 * 3, 1);
        RgbImage image = SuiteImages.testImage(hwc, 0, 8, 8, 3, 8);
        byte[] back = new byte[hwc.length];
        image.toHwc(back, 0);
        assertArrayEquals(hwc, back);
    }

    @Test
    void theTestImageRoundsTheResamplersValuesAndReplicatesGrey() {
        byte[] grey = noise(7 + 12 * 10, 2); // an offset of 7, then a 12×10 grey image
        int size = 6;
        RgbImage image = SuiteImages.testImage(grey, 7, 12, 10, 1, size);
        float[] unit = new float[3 * size * size];
        float[] one = {1f, 1f, 1f};
        Resampler.resample(grey, 7, 12, 10, 1, Crop.centreSquare(12, 10), size, false, new float[3], one, unit, 0);
        for (int k = 0; k < unit.length; k++) {
            assertEquals(Math.round(unit[k] * 255f), image.data()[k] & 0xFF, 1, "value " + k);
        }
        int plane = size * size;
        assertArrayEquals(Arrays.copyOfRange(image.data(), 0, plane), Arrays.copyOfRange(image.data(), plane,
                2 * plane));
    }

    @Test
    void theLowResolutionImageIsLowResolutionsBytesAsRgb() {
        byte[] hwc = noise(40 * 30 * 3, 3);
        LowResolution lr = new LowResolution(8, 24);
        RgbImage image = SuiteImages.lowResolution(lr, hwc, 0, 40, 30, 3);
        byte[] back = new byte[24 * 24 * 3];
        image.toHwc(back, 0);
        assertArrayEquals(lr.apply(hwc, 0, 40, 30, 3), back);
        assertArrayEquals(lr.apply(hwc, 0, 40, 30, 3), SuiteImages.lowResolutionHwc(lr, hwc, 0, 40, 30, 3));

        byte[] grey = noise(40 * 30, 4);
        RgbImage g = SuiteImages.lowResolution(lr, grey, 0, 40, 30, 1);
        byte[] low = lr.apply(grey, 0, 40, 30, 1);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(low, Arrays.copyOfRange(g.data(), c * 576, (c + 1) * 576));
        }
    }

    @Test
    void corruptionSeedsFollowTheSuitesStreams() {
        long seed = SuiteImages.corruptionSeed(5, "gaussian_noise", 3);
        assertEquals(Seeds.derive(5, "corruption/gaussian_noise/3"), seed);
        assertEquals(Seeds.derive(seed, 17L), SuiteImages.imageSeed(seed, 17));

        Corruption noise = SuiteImages.corruption("gaussian_noise", 3, 32);
        assertEquals(CorruptionScale.CIFAR, noise.scale());
        assertEquals(CorruptionScale.IMAGENET, SuiteImages.corruption("fog", 1, 65).scale());
        RgbImage test = SuiteImages.testImage(noise(32 * 32 * 3, 5), 0, 32, 32, 3, 32);
        RgbImage a = SuiteImages.corrupted(noise, seed, test, 17);
        assertArrayEquals(noise.apply(test, Seeds.derive(seed, 17L)).data(), a.data());
        assertFalse(Arrays.equals(a.data(), SuiteImages.corrupted(noise, seed, test, 18).data()));
        assertThrows(IllegalArgumentException.class, () -> SuiteImages.corruption("no-such", 1, 32));
        assertThrows(IllegalArgumentException.class, () -> SuiteImages.corruption("fog", 6, 32));
    }
}
