package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeded corruptions: replayable by seed, and statistically what the reference's formulas make. Their random
 * stream is not numpy's, so there are no golden bytes; each statistical check uses enough values that its tolerance
 * is several standard errors wide, and a wrong formula (a variance instead of a standard deviation, a missing /c, a
 * wrap instead of a clip) misses it by far.
 */
class CorruptionSeededTest {

    static final List<String> SEEDED = Corruptions.NAMES.stream()
            .filter(n -> !Corruptions.of(n, 1, CorruptionScale.CIFAR).deterministic()).toList();

    static RgbImage flat(int height, int width, int value) {
        RgbImage img = RgbImage.blank(height, width);
        Arrays.fill(img.data(), (byte) value);
        return img;
    }

    static double mean(byte[] d) {
        double s = 0;
        for (byte b : d) {
            s += b & 0xFF;
        }
        return s / d.length;
    }

    static double variance(byte[] d) {
        double m = mean(d);
        double s = 0;
        for (byte b : d) {
            double e = (b & 0xFF) - m;
            s += e * e;
        }
        return s / (d.length - 1);
    }

    @Test
    void theNoisesAreSeeded() {
        assertTrue(SEEDED.containsAll(List.of("gaussian_noise", "shot_noise", "impulse_noise")), SEEDED.toString());
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        for (CorruptionScale scale : CorruptionScale.values()) {
            RgbImage clean = scale == CorruptionScale.CIFAR ? CorruptionPropertiesTest.image(32, 32, 5)
                    : CorruptionPropertiesTest.image(80, 72, 6);
            for (String name : SEEDED) {
                for (int s = 1; s <= 5; s++) {
                    Corruption c = Corruptions.of(name, s, scale);
                    byte[] a = c.apply(clean, 42).data();
                    assertArrayEquals(a, c.apply(clean, 42).data(), c + " is not replayable");
                    assertArrayEquals(a, Corruptions.of(name, s, scale).apply(clean, 42).data(),
                            c + " depends on more than the seed");
                    assertFalse(Arrays.equals(a, c.apply(clean, 43).data()), c + " ignores its seed");
                }
            }
        }
    }

    @Test
    void streamIsPinned() {
        // SplitMix64 written out: a change to the generator would silently change every replayed corruption
        CorruptionRandom r = new CorruptionRandom(0);
        long first = r.nextLong();
        CorruptionRandom again = new CorruptionRandom(0);
        assertEquals(first, again.nextLong());
        // SplitMix64 of state 0x9e3779b97f4a7c15 after mixing the seed 0 (mix(0) = 0): the published first output
        // of SplitMix64 seeded with 0
        assertEquals(0xe220a8397b1dcdafL, first);
    }

    @Test
    void gaussianNoiseHasTheStandardDeviationC() {
        // flat mid-grey, c at most .26 so that clipping at 0 and 1 (≥ 1.9 σ away, and only for .26) hardly matters;
        // truncation to 8 bits adds a uniform error: variance + 1/12, mean − ½
        RgbImage grey = flat(64, 64, 128);
        double[][] cases = {{.04, 0}, {.10, 0}, {.08, 1}, {.18, 1}};
        for (double[] k : cases) {
            CorruptionScale scale = k[1] == 0 ? CorruptionScale.CIFAR : CorruptionScale.IMAGENET;
            double[] table = scale == CorruptionScale.CIFAR ? SeededCorruptions.GAUSSIAN_CIFAR
                    : SeededCorruptions.GAUSSIAN_IMAGENET;
            int severity = indexOf(table, k[0]) + 1;
            byte[] out = Corruptions.of("gaussian_noise", severity, scale).apply(grey, 11).data();
            double expectedSd = Math.sqrt(Math.pow(k[0] * 255, 2) + 1.0 / 12);
            double sd = Math.sqrt(variance(out));
            assertEquals(expectedSd, sd, 0.03 * expectedSd, "gaussian_noise c=" + k[0] + " sd");
            assertEquals(127.5, mean(out), 4 * expectedSd / Math.sqrt(out.length) + 0.05, "gaussian_noise mean");
        }
    }

    @Test
    void gaussianNoiseClipsRatherThanWraps() {
        RgbImage white = flat(32, 32, 255);
        byte[] out = Corruptions.of("gaussian_noise", 5, CorruptionScale.IMAGENET).apply(white, 3).data();
        int saturated = 0;
        for (byte b : out) {
            int v = b & 0xFF;
            assertTrue(v > 255 - 6 * .38 * 255, "a wrapped value " + v);
            saturated += v == 255 ? 1 : 0;
        }
        // half the noise is positive and clipped to 255
        assertEquals(0.5, (double) saturated / out.length, 0.05);
    }

    @Test
    void shotNoiseHasVariancePTimes255SquaredOverC() {
        // var((Poisson(p·c)/c)·255) = p·255²/c; flat images where clipping at 1 is negligible; c = 12 at p = 40/255
        // (λ ≈ 1.9) runs the small-λ algorithm, the others (λ ≥ 30) the transformed rejection; at p = 200/255, c = 60
        // (λ = 47, clipped above 60, 2 σ away) the clipping already shrinks the variance by 7 %
        int[][] cases = {{128, 100, 0}, {128, 500, 0}, {128, 60, 1}, {40, 12, 1}};
        for (int[] k : cases) {
            CorruptionScale scale = k[2] == 0 ? CorruptionScale.CIFAR : CorruptionScale.IMAGENET;
            double[] table = scale == CorruptionScale.CIFAR ? SeededCorruptions.SHOT_CIFAR
                    : SeededCorruptions.SHOT_IMAGENET;
            int severity = indexOf(table, k[1]) + 1;
            byte[] out = Corruptions.of("shot_noise", severity, scale).apply(flat(64, 64, k[0]), 17).data();
            double p = k[0] / 255.0;
            double expectedVar = p * 255 * 255 / k[1];
            // truncation adds at most ~1/12 + cross terms: small against these variances
            assertEquals(expectedVar, variance(out), 0.06 * expectedVar, "shot_noise p=" + k[0] + " c=" + k[1]);
            // the mean is p·255 less the truncation (between 0 and 1)
            double sem = Math.sqrt(expectedVar / out.length);
            double m = mean(out);
            assertTrue(m > k[0] - 1 - 4 * sem && m < k[0] + 4 * sem, "shot_noise mean " + m + " for " + k[0]);
        }
    }

    @Test
    void poissonSamplerMeanAndVariance() {
        CorruptionRandom r = new CorruptionRandom(5);
        for (double lambda : new double[] {0.3, 3, 9.99, 10, 47.5, 500}) {
            int n = 40_000;
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                long k = r.nextPoisson(lambda);
                assertTrue(k >= 0);
                s += k;
                s2 += (double) k * k;
            }
            double m = s / n;
            double v = s2 / n - m * m;
            assertEquals(lambda, m, 4 * Math.sqrt(lambda / n), "Poisson mean at " + lambda);
            assertEquals(lambda, v, 0.04 * lambda, "Poisson variance at " + lambda);
        }
        assertEquals(0, r.nextPoisson(0));
    }

    @Test
    void logFactorialMatchesTheSumOfLogsAcrossTheTableEdge() {
        double exact = 0;
        for (int k = 2; k <= 1100; k++) {
            exact += Math.log(k);
            if (k >= 1000) {
                assertEquals(exact, CorruptionRandom.logFactorial(k), 1e-9 * exact, "log " + k + "!");
            }
        }
    }

    @Test
    void impulseNoiseFlipsAFractionCHalfToSaltHalfToPepper() {
        RgbImage grey = flat(64, 64, 128);
        for (CorruptionScale scale : CorruptionScale.values()) {
            double[] table = scale == CorruptionScale.CIFAR ? SeededCorruptions.IMPULSE_CIFAR
                    : SeededCorruptions.IMPULSE_IMAGENET;
            for (int s = 1; s <= 5; s++) {
                double c = table[s - 1];
                byte[] out = Corruptions.of("impulse_noise", s, scale).apply(grey, 23 + s).data();
                int salt = 0;
                int pepper = 0;
                for (byte b : out) {
                    int v = b & 0xFF;
                    assertTrue(v == 0 || v == 128 || v == 255, "impulse noise made " + v);
                    salt += v == 255 ? 1 : 0;
                    pepper += v == 0 ? 1 : 0;
                }
                int n = out.length;
                double sd = Math.sqrt(n * c * (1 - c));
                assertEquals(n * c, salt + pepper, 4 * sd, "impulse_noise/" + s + "@" + scale + " flipped");
                assertEquals(0, salt - pepper, 4 * Math.sqrt(n * c), "salt against pepper");
            }
        }
    }

    @Test
    void noiseOfBlackAndWhite() {
        // shot noise keeps black black (Poisson(0) = 0); impulse only adds salt to black and pepper to white
        RgbImage black = flat(16, 16, 0);
        for (byte b : Corruptions.of("shot_noise", 5, CorruptionScale.IMAGENET).apply(black, 1).data()) {
            assertEquals(0, b);
        }
        for (byte b : Corruptions.of("impulse_noise", 5, CorruptionScale.IMAGENET).apply(black, 1).data()) {
            assertTrue(b == 0 || (b & 0xFF) == 255);
        }
    }

    private static int indexOf(double[] table, double value) {
        for (int i = 0; i < table.length; i++) {
            if (table[i] == value) {
                return i;
            }
        }
        throw new AssertionError(value + " not in " + Arrays.toString(table));
    }

    @Test
    void gaussianFilterIsScipysNearestTruncate4() {
        // x = (arange(35).reshape(5, 7) · 37 mod 101)/100; scipy 1.17.1 gaussian_filter(x, σ, mode='nearest',
        // truncate=4.0) at (0,0), (2,3), (4,6), (1,5)
        double[] x = new double[35];
        for (int i = 0; i < 35; i++) {
            x[i] = (i * 37 % 101) / 100.0;
        }
        double[][] expected = {
            {0.7, 0.19948277096362432, 0.4780983240047257, 0.47573634759550065, 0.5237038527010511},
            {1.5, 0.29341568359725656, 0.49982468584262607, 0.4955359698935777, 0.4967017861093944},
            {0.25, 0.00031512344594977727, 0.23067672613842613, 0.4600234666395922, 0.40033836306921317}};
        for (double[] e : expected) {
            double[] g = SeededCorruptions.gaussianFilter(x, 0, 5, 7, e[0]);
            double[] at = {g[0], g[2 * 7 + 3], g[4 * 7 + 6], g[7 + 5]};
            for (int i = 0; i < 4; i++) {
                assertEquals(e[i + 1], at[i], 1e-16, "σ " + e[0] + " point " + i);
            }
        }
        // σ = 0.05 (CIFAR glass severity 1): radius ⌊0.2 + ½⌋ = 0, the identity
        assertArrayEquals(x, SeededCorruptions.gaussianFilter(x, 0, 5, 7, 0.05));
    }

    @Test
    void glassBlurCopiesNearbyPixelsAsTheReferencesNumpySwap() {
        // CIFAR severity 1: σ = .05 (the identity filter), δ = 1, one pass; every pixel then is a pixel of the
        // (8-bit round-tripped) input from at most one step up or left (dx, dy ∈ {−1, 0}); with numpy's view semantics the
        // reference copies rather than swaps, so some input pixels are duplicated and others lost
        int h = 24;
        int w = 20;
        RgbImage img = RgbImage.blank(h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(0, y, x, 10 * y);
                img.set(1, y, x, 10 * x);
                img.set(2, y, x, 77);
            }
        }
        RgbImage out = Corruptions.of("glass_blur", 1, CorruptionScale.CIFAR).apply(img, 8);
        int moved = 0;
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = out.get(0, y, x);
                int g = out.get(1, y, x);
                // the source row and column are recognisable through the double 8-bit round trip (v/255·255
                // truncated twice may drop v by 1 or 2)
                int fromY = (r + 5) / 10;
                int fromX = (g + 5) / 10;
                assertTrue(fromY - y <= 0 && fromY - y >= -1 && fromX - x <= 0 && fromX - x >= -1,
                        "pixel (" + y + ", " + x + ") came from (" + fromY + ", " + fromX + ")");
                boolean inner = y >= 2 && y <= h - 1 && x >= 2 && x <= w - 1;
                if (!inner) {
                    assertEquals(y * w + x, fromY * w + fromX, "border pixel (" + y + ", " + x + ") moved");
                }
                moved += fromY != y || fromX != x ? 1 : 0;
                distinct.add(fromY * w + fromX);
            }
        }
        int inner = (h - 2) * (w - 2);
        // each inner pixel stays with probability ¼ (dx = dy = 0)
        assertEquals(0.75 * inner, moved, 4 * Math.sqrt(inner * 0.75 * 0.25));
        assertTrue(distinct.size() < h * w - 20, "a copy loses pixels; a swap would keep all " + h * w + ": "
                + distinct.size());
    }

    @Test
    void scipyReflectFilterAndMapCoordinates() {
        // scipy 1.17.1 gaussian_filter(x, σ, mode='reflect', truncate=3) on the same 5×7 plane, σ far beyond its size
        // included; map_coordinates(x as float32, order=1, mode='reflect') at points outside the plane
        double[] x = new double[35];
        float[] xf = new float[35];
        for (int i = 0; i < 35; i++) {
            x[i] = (i * 37 % 101) / 100.0;
            xf[i] = (float) x[i];
        }
        double[][] expected = {
            {0.96, 0.3023844528198679, 0.49297923549122535, 0.48781664450764783, 0.5205706784349655},
            {6.4, 0.48911916940564815, 0.4896656558574075, 0.4904460521577978, 0.49016593464002006},
            {170.8, 0.48971569297358775, 0.48971504138542504, 0.4897090858774114, 0.48971221014544425}};
        for (double[] e : expected) {
            double[] g = SeededCorruptions.gaussianFilter(x, 0, 5, 7, e[0], 3.0, true);
            double[] at = {g[0], g[2 * 7 + 3], g[4 * 7 + 6], g[7 + 5]};
            for (int i = 0; i < 4; i++) {
                assertEquals(e[i + 1], at[i], 1e-15, "σ " + e[0] + " point " + i);
            }
        }
        double[][] points = {{-0.3, 6.4}, {4.6, -0.2}, {2.25, 3.5}, {-1.7, 7.8}, {5.9, 1.1}};
        float[] values = {0.20000000298023224f, 0.25999999046325684f, 0.4312500059604645f, 0.5454000234603882f,
            0.15399999916553497f};
        for (int i = 0; i < points.length; i++) {
            assertEquals(values[i], (float) SeededCorruptions.bilinear(xf, 0, 5, 7, points[i][0], points[i][1], true),
                    1e-7f, "map_coordinates at " + Arrays.toString(points[i]));
        }
    }

    @Test
    void affineSolvesThreePoints() {
        float[][] src = {{10, 12}, {10, 4}, {2, 4}};
        float[][] dst = {{11.5f, 12}, {9, 3.25f}, {2, 5}};
        double[] m = SeededCorruptions.affine(src, dst);
        for (int p = 0; p < 3; p++) {
            assertEquals(dst[p][0], m[0] * src[p][0] + m[1] * src[p][1] + m[2], 1e-9);
            assertEquals(dst[p][1], m[3] * src[p][0] + m[4] * src[p][1] + m[5], 1e-9);
        }
    }
}
