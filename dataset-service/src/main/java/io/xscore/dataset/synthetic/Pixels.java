package io.xscore.dataset.synthetic;

import java.util.SplittableRandom;

/** Colour and noise helpers shared by the generators. */
final class Pixels {

    private Pixels() {
    }

    /** Two random RGB colours whose luminance differs by at least {@code minContrast} (0-255). */
    static int[][] contrastingPair(SplittableRandom rnd, int minContrast) {
        while (true) {
            int[] a = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
            int[] b = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
            if (Math.abs(luminance(a) - luminance(b)) >= minContrast) {
                return new int[][] {a, b};
            }
        }
    }

    static double luminance(int[] rgb) {
        return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    }

    /** Adds Gaussian noise of standard deviation {@code sigma} and stores the clamped byte. */
    static void put(byte[] out, int index, double value, double sigma, SplittableRandom rnd) {
        double noisy = value + sigma * gaussian(rnd);
        out[index] = (byte) Math.max(0, Math.min(255, (int) Math.round(noisy)));
    }

    /** Standard normal sample (Box-Muller), drawn only from {@code rnd} so it is reproducible. */
    static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
