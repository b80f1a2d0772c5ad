package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of all corruptions that hold whatever the reference's exact pixels (the seeded ones' statistics are in
 * {@link CorruptionSeededTest}).
 */
class CorruptionPropertiesTest {

    /** A smooth gradient with a sharp block and mild seeded noise, so every corruption has something to change. */
    static RgbImage image(int height, int width, long seed) {
        return image(height, width, seed, 15);
    }

    /** {@link #image} with noise of ± {@code noise}. */
    static RgbImage image(int height, int width, long seed, int noise) {
        Random rng = new Random(seed);
        RgbImage img = RgbImage.blank(height, width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean block = y > height / 4 && y < height / 2 && x > width / 3 && x < 2 * width / 3;
                int[] v = {x * 200 / width + 20, y * 200 / height + 20, 128};
                for (int c = 0; c < 3; c++) {
                    int value = block ? (c == 0 ? 240 : 20) : v[c] + rng.nextInt(2 * noise + 1) - noise;
                    img.set(c, y, x, Math.max(0, Math.min(255, value)));
                }
            }
        }
        return img;
    }

    static double meanAbsChange(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.data().length; i++) {
            sum += Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF));
        }
        return (double) sum / a.data().length;
    }

    /** Seeds over which a seeded corruption's change is averaged (a deterministic one is applied once). */
    static final long[] SEEDS = {0, 1, 2, 3};

    static double meanChange(Corruption corruption, RgbImage clean) {
        if (corruption.deterministic()) {
            return meanAbsChange(clean, corruption.apply(clean, 0));
        }
        double sum = 0;
        for (long seed : SEEDS) {
            sum += meanAbsChange(clean, corruption.apply(clean, seed));
        }
        return sum / SEEDS.length;
    }

    @Test
    void changeGrowsWithSeverityAtBothScales() {
        for (CorruptionScale scale : CorruptionScale.values()) {
            RgbImage noisy = scale == CorruptionScale.CIFAR ? image(32, 32, 1) : image(96, 112, 2);
            // glass blur's CIFAR severities 2→3 and 4→5 change only σ (.25→.4) and draw the same shuffle for a seed:
            // on the noisy image the wider blur averages the shuffled noise back towards the clean values, and the
            // mean change falls (11.77 to 11.35 from 4 to 5, 8 seeds); on the image without pixel noise it grows.
            // Its ImageNet severities are not monotone in this measure on either image: see
            // glassBlurImagenetSeveritiesTradeOff
            RgbImage smooth = scale == CorruptionScale.CIFAR ? image(32, 32, 1, 0) : image(96, 112, 2, 0);
            for (String name : Corruptions.NAMES) {
                if (name.equals("glass_blur") && scale == CorruptionScale.IMAGENET
                        || name.equals("elastic_transform") || name.equals("snow") || name.equals("frost-procedural")
                        || name.equals("motion_blur") && scale == CorruptionScale.CIFAR) {
                    // see glassBlurImagenetSeveritiesTradeOff, elasticSeveritiesTradeOff, snowSeveritiesTradeOff,
                    // motionBlurCifarSeverities3And4Tie and CorruptionWeatherTest's frost test
                    continue;
                }
                RgbImage clean = name.equals("glass_blur") ? smooth : noisy;
                double previous = 0;
                for (int s = 1; s <= 5; s++) {
                    double change = meanChange(Corruptions.of(name, s, scale), clean);
                    assertTrue(change >= previous, name + "@" + scale + ": severity " + s + " changes the image by "
                            + change + " < " + previous + " at severity " + (s - 1));
                    previous = change;
                }
                assertTrue(previous > 0, name + "@" + scale + " at severity 5 changes nothing");
            }
        }
    }

    /**
     * The published ImageNet glass-blur parameters (σ, δ, iterations) = (.7, 1, 2) (.9, 2, 1) (1, 2, 3) (1.1, 3, 2)
     * (1.5, 4, 2) trade a larger δ against fewer passes, so the mean absolute change is not monotone: over 8 seeds on
     * the 96×112 test image without pixel noise it was 2.97 2.90 5.60 5.17 5.98 (with noise 8.27 8.36 10.14 10.01
     * 10.72). What holds: the odd severities grow, and none falls below 90 % of severity 1.
     */
    @Test
    void glassBlurImagenetSeveritiesTradeOff() {
        RgbImage clean = image(96, 112, 2, 0);
        double[] change = new double[6];
        for (int s = 1; s <= 5; s++) {
            change[s] = meanChange(Corruptions.of("glass_blur", s, CorruptionScale.IMAGENET), clean);
        }
        assertTrue(change[1] < change[3] && change[3] < change[5], java.util.Arrays.toString(change));
        for (int s = 2; s <= 5; s++) {
            assertTrue(change[s] > 0.9 * change[1], "severity " + s + ": " + java.util.Arrays.toString(change));
        }
    }

    /**
     * The published elastic parameters (α, σ, affine jitter) are not monotone in mean absolute change. At the CIFAR
     * scale the affine jitter falls (2.56 to 0.96 px) while the elastic part grows from nothing (α = 0 at severity 1),
     * and the affine shift dominates: over 8 seeds the change was 13.07 12.07 11.21 10.57 9.27 on the noisy 32×32
     * test image (8.36 7.34 6.63 6.02 4.72 without pixel noise). At the ImageNet scale severities 1 and 2 use a huge,
     * very smooth field (α = 488, σ = 170.8 and 19.5, jitter 24.4 and 48.8 px), 3 to 5 a small rough one with the same
     * σ and jitter and α growing: 32.32 54.35 10.65 10.76 11.19 on the noisy 96×112 image. What holds: at the ImageNet
     * scale 1 &lt; 2 and 3 &lt; 4 &lt; 5; every severity changes the image.
     */
    @Test
    void elasticSeveritiesTradeOff() {
        for (CorruptionScale scale : CorruptionScale.values()) {
            RgbImage clean = scale == CorruptionScale.CIFAR ? image(32, 32, 1) : image(96, 112, 2);
            double[] change = new double[6];
            for (int s = 1; s <= 5; s++) {
                change[s] = meanChange(Corruptions.of("elastic_transform", s, scale), clean);
                assertTrue(change[s] > 1, scale + " severity " + s + ": " + java.util.Arrays.toString(change));
            }
            if (scale == CorruptionScale.IMAGENET) {
                assertTrue(change[1] < change[2] && change[3] < change[4] && change[4] < change[5],
                        java.util.Arrays.toString(change));
            }
        }
    }

    /**
     * Motion blur's CIFAR severities 3 and 4, (radius, σ) = (6, 2) and (8, 2), differ only in taps 13 to 16, whose
     * Gaussian weights are below e^−21 of the first: with the same seed (the same angle) the two images differ by at
     * most 1 per value, where the weights' sums (1 within rounding) truncate a flat region to v or v − 1, and the mean
     * change can go either way (16 seeds on the 32×32 test image: 4.93 6.90 8.48 8.48 9.92 with pixel noise, 2.39 3.95
     * 5.84 5.54 7.03 without). What holds: 1 &lt; 2 &lt; 3, 2 &lt; 4 &lt; 5, and 3 and 4 within 1 per value.
     */
    @Test
    void motionBlurCifarSeverities3And4Tie() {
        for (RgbImage clean : new RgbImage[] {image(32, 32, 1), image(32, 32, 1, 0)}) {
            double[] change = new double[6];
            for (int s = 1; s <= 5; s++) {
                change[s] = meanChange(Corruptions.of("motion_blur", s, CorruptionScale.CIFAR), clean);
            }
            String all = java.util.Arrays.toString(change);
            assertTrue(change[1] < change[2] && change[2] < change[3] && change[2] < change[4]
                    && change[4] < change[5] && change[3] < change[5], all);
            for (long seed : SEEDS) {
                assertTrue(CorruptionGoldenTest.maxAbsDiff(
                        Corruptions.of("motion_blur", 3, CorruptionScale.CIFAR).apply(clean, seed),
                        Corruptions.of("motion_blur", 4, CorruptionScale.CIFAR).apply(clean, seed)) <= 1);
            }
        }
    }

    /**
     * Snow's published 7-tuples trade flake count against flake size (a higher mean and threshold with a larger zoom
     * and longer blur), so the mean absolute change is not monotone from severity 2 to 3: over 16 seeds on the noisy
     * test images it was 10.54 24.04 25.70 37.56 53.58 (CIFAR, 32×32) and 43.06 70.66 70.07 83.80 99.14 (ImageNet,
     * 96×112). What holds at both scales: 1 &lt; 2, 3 &lt; 4 &lt; 5, and 2 and 3 within 10 % of each other.
     */
    @Test
    void snowSeveritiesTradeOff() {
        for (CorruptionScale scale : CorruptionScale.values()) {
            RgbImage clean = scale == CorruptionScale.CIFAR ? image(32, 32, 1) : image(96, 112, 2);
            double[] change = new double[6];
            for (int s = 1; s <= 5; s++) {
                change[s] = meanChange(Corruptions.of("snow", s, scale), clean);
            }
            String all = scale + " " + java.util.Arrays.toString(change);
            assertTrue(change[1] < change[2] && change[3] < change[4] && change[4] < change[5], all);
            assertEquals(change[2], change[3], 0.1 * change[2], all);
        }
    }

    @Test
    void inputUntouchedOutputNewAndSameSize() {
        RgbImage clean = image(40, 36, 3);
        byte[] before = clean.data().clone();
        for (CorruptionScale scale : CorruptionScale.values()) {
            for (String name : Corruptions.NAMES) {
                for (int s = 1; s <= 5; s++) {
                    RgbImage out = Corruptions.of(name, s, scale).apply(clean, 7);
                    assertNotSame(clean, out);
                    assertNotSame(clean.data(), out.data());
                    assertEquals(clean.height(), out.height());
                    assertEquals(clean.width(), out.width());
                    assertArrayEquals(before, clean.data(), name + " modified its input");
                }
            }
        }
    }

    @Test
    void deterministicIgnoresSeed() {
        RgbImage clean = image(32, 32, 4);
        for (String name : DETERMINISTIC) {
            Corruption c = Corruptions.of(name, 3, CorruptionScale.CIFAR);
            assertTrue(c.deterministic());
            assertArrayEquals(c.apply(clean, 1).data(), c.apply(clean, 99).data(), name);
        }
    }

    /** The corruptions that add a layer (snow, frost, fog) and so change a flat image by design. */
    static final java.util.List<String> WEATHER = java.util.List.of("snow", "frost-procedural", "fog");

    static final java.util.List<String> DETERMINISTIC = java.util.List.of("defocus_blur", "zoom_blur", "brightness", "contrast",
            "pixelate", "jpeg_compression");

    @Test
    void deterministicFlagMatchesTheList() {
        for (String name : Corruptions.NAMES) {
            assertEquals(DETERMINISTIC.contains(name), Corruptions.of(name, 1, CorruptionScale.CIFAR).deterministic(),
                    name);
        }
    }

    @Test
    void extremesStayInRange() {
        // all-white and all-black inputs: brightness saturates at 255, contrast keeps a flat image flat, and nothing
        // wraps around (bytes are read as 0..255 by construction; a wrap would show as a flipped extreme); the noises
        // are meant to change flat images (CorruptionSeededTest), and so are the weather layers (CorruptionWeatherTest);
        // the blurs must keep them flat
        for (int v : new int[] {0, 255}) {
            RgbImage flat = RgbImage.blank(20, 24);
            java.util.Arrays.fill(flat.data(), (byte) v);
            for (String name : Corruptions.NAMES) {
                if (name.endsWith("_noise") || WEATHER.contains(name)) {
                    continue; // see CorruptionWeatherTest for what snow, frost and fog make of flat images
                }
                for (int s = 1; s <= 5; s++) {
                    RgbImage out = Corruptions.of(name, s, CorruptionScale.CIFAR).apply(flat, 0);
                    for (byte b : out.data()) {
                        int o = b & 0xFF;
                        assertTrue(name.equals("brightness") && v == 0 ? o > 0 : Math.abs(o - v) <= 1,
                                name + "/" + s + " of a flat " + v + " image gave " + o);
                    }
                }
            }
        }
    }

    @Test
    void brightnessOfBlackIsTheShiftInGrey() {
        RgbImage black = RgbImage.blank(4, 4);
        RgbImage out = Corruptions.brightness(5, CorruptionScale.IMAGENET).apply(black, 0);
        for (byte b : out.data()) {
            assertEquals((int) (0.5 * 255), b & 0xFF); // V = 0.5, S = 0: grey 127 (truncated)
        }
    }

    @Test
    void contrastUsesPerChannelMeans() {
        // red 0/200 halves, green constant 100: green keeps 100 (its own mean), red moves towards 100
        RgbImage img = RgbImage.blank(2, 2);
        img.set(0, 0, 0, 0);
        img.set(0, 0, 1, 200);
        img.set(0, 1, 0, 0);
        img.set(0, 1, 1, 200);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                img.set(1, y, x, 100);
            }
        }
        RgbImage out = Corruptions.contrast(2, CorruptionScale.CIFAR).apply(img, 0); // c = 0.5
        // values checked with numpy: np.uint8(np.clip((x − m)·0.5 + m, 0, 1)·255), m per channel
        assertEquals(100, out.get(1, 0, 0)); // green is its own mean
        assertEquals(50, out.get(0, 0, 0)); // (0 − 100)·0.5 + 100
        assertEquals(150, out.get(0, 0, 1)); // (200 − 100)·0.5 + 100
        assertEquals(0, out.get(2, 0, 0)); // blue stays 0
    }

    @Test
    void scaleRule() {
        assertEquals(CorruptionScale.CIFAR, CorruptionScale.forSize(32, 32));
        assertEquals(CorruptionScale.CIFAR, CorruptionScale.forSize(64, 500));
        assertEquals(CorruptionScale.IMAGENET, CorruptionScale.forSize(65, 65));
        assertEquals(CorruptionScale.IMAGENET, CorruptionScale.forSize(224, 224));
        assertEquals("defocus_blur/3@imagenet (platform-generated)",
                Corruptions.forImage("defocus_blur", 3, 224, 300).description());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Corruptions.of("brightness", 0, CorruptionScale.CIFAR));
        assertThrows(IllegalArgumentException.class, () -> Corruptions.of("brightness", 6, CorruptionScale.CIFAR));
        assertThrows(IllegalArgumentException.class, () -> Corruptions.of("frost", 1, CorruptionScale.CIFAR));
        assertThrows(IllegalArgumentException.class, () -> CorruptionScale.forSize(0, 10));
    }

    @Test
    void zoomFactorsAreNumpysArange() {
        // len(np.arange(1, stop, step)) and its last value, numpy 2.4.6
        int[] counts = {12, 16, 11, 13, 11, 7, 12, 16, 21, 26};
        double[] last = {1.11, 1.1500000000000001, 1.2000000000000002, 1.2400000000000002, 1.3000000000000003, 1.06,
            1.11, 1.1500000000000001, 1.2000000000000002, 1.2500000000000002};
        for (int i = 0; i < 10; i++) {
            double[] range = (i < 5 ? Corruptions.ZOOM_IMAGENET : Corruptions.ZOOM_CIFAR)[i % 5];
            double[] z = Corruptions.zoomFactors(range[0], range[1]);
            assertEquals(counts[i], z.length, "severity " + (i % 5 + 1));
            assertEquals(last[i], z[z.length - 1], 0.0);
            assertEquals(1.0, z[0], 0.0);
        }
    }

    @Test
    void diskKernelSumsToAboutOneAndReflect101() {
        double[][] k = Corruptions.disk(1, 0.2);
        assertEquals(17, k.length);
        double sum = 0;
        for (double[] row : k) {
            for (double v : row) {
                sum += v;
            }
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(21, Corruptions.disk(10, 0.5).length);
        // dcb|abcd|cba
        assertEquals(1, Corruptions.reflect101(-1, 4));
        assertEquals(3, Corruptions.reflect101(-3, 4));
        assertEquals(2, Corruptions.reflect101(4, 4));
        assertEquals(0, Corruptions.reflect101(6, 4));
        assertEquals(1, Corruptions.reflect101(7, 4));
        assertEquals(0, Corruptions.reflect101(5, 1));
    }
}
