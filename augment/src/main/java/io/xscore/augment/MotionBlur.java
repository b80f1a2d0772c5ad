package io.xscore.augment;

/**
 * The line kernel of {@code motion_blur} (and of the snow layer): the numpy port of ImageMagick's
 * {@code MotionBlurImage} in the maintained {@code imagecorruptions} package (bethgelab/imagecorruptions,
 * {@code _motion_blur}, {@code getMotionBlurKernel}, {@code shift}), which the Java code follows step for step. The
 * reference itself (hendrycks/robustness) calls ImageMagick through Wand; this is the same construction (a one-sided
 * Gaussian along a line at an angle) but not ImageMagick's code: ImageMagick rounds to its quantum, treats the border
 * with its virtual-pixel method and keeps the weights that fall outside the image, so pixels differ.
 *
 * <p>The kernel has width 2r + 1 (r the radius) and weights exp(−i²/2σ²)/(√(2π)σ), i = 0..2r, divided by their sum.
 * Tap i reads the pixel at (y + ⌈i·sin θ − ½⌉, x + ⌈i·cos θ − ½⌉) (θ the angle; the offsets are computed from the
 * point (w·sin θ, w·cos θ) divided by its length, as the port does), indices beyond the image clamped to its edge (the
 * port's {@code shift} repeats the edge row or column). The taps stop at the first whose offset reaches the image's
 * height or width (the port's "motion exceeded image borders" break), so their weights are then lost. Sums in double,
 * tap by tap, as numpy adds the float64 products.
 */
final class MotionBlur {

    /** The kernel weights and the row and column offsets of each tap. */
    record Line(double[] weights, int[] dy, int[] dx) {
    }

    private MotionBlur() {
    }

    /** {@code getMotionBlurKernel(2r + 1, σ)}: Gaussian weights at 0..2r, normalised by numpy's sum. */
    static double[] kernel(int radius, double sigma) {
        int width = 2 * radius + 1;
        double[] k = new double[width];
        for (int i = 0; i < width; i++) {
            k[i] = StrictMath.exp(-((double) i * i) / (2 * (sigma * sigma))) / (StrictMath.sqrt(2 * Math.PI) * sigma);
        }
        double z = SeededCorruptions.numpySum(k);
        for (int i = 0; i < width; i++) {
            k[i] /= z;
        }
        return k;
    }

    /** The taps of radius r, σ at {@code angleDegrees}: offset i is where tap i reads, relative to the pixel. */
    static Line line(int radius, double sigma, double angleDegrees) {
        double[] k = kernel(radius, sigma);
        int width = k.length;
        double theta = Math.toRadians(angleDegrees);
        double py = width * StrictMath.sin(theta);
        double px = width * StrictMath.cos(theta);
        double hypot = StrictMath.hypot(py, px);
        int[] dy = new int[width];
        int[] dx = new int[width];
        for (int i = 0; i < width; i++) {
            // the port shifts the image by −⌈…⌉; reading at +⌈…⌉ is the same
            dy[i] = (int) Math.ceil(i * py / hypot - 0.5);
            dx[i] = (int) Math.ceil(i * px / hypot - 0.5);
        }
        return new Line(k, dy, dx);
    }

    /**
     * One h×w plane of {@code x} (from {@code offset}) blurred along {@code line}, in double, into {@code out} from
     * {@code outOffset}.
     */
    static void blur(double[] x, int offset, int h, int w, Line line, double[] out, int outOffset) {
        int taps = 0;
        while (taps < line.weights().length && Math.abs(line.dy()[taps]) < h && Math.abs(line.dx()[taps]) < w) {
            taps++;
        }
        int[] col = new int[w];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                out[outOffset + y * w + xx] = 0;
            }
        }
        for (int i = 0; i < taps; i++) {
            double k = line.weights()[i];
            for (int xx = 0; xx < w; xx++) {
                col[xx] = clamp(xx + line.dx()[i], w);
            }
            for (int y = 0; y < h; y++) {
                int row = offset + clamp(y + line.dy()[i], h) * w;
                int o = outOffset + y * w;
                for (int xx = 0; xx < w; xx++) {
                    out[o + xx] = out[o + xx] + k * x[row + col[xx]];
                }
            }
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : Math.min(i, n - 1);
    }

    // ---------------------------------------------------------------- the corruption

    /** {radius, σ} per severity, as the reference passes them to ImageMagick. */
    static final double[][] IMAGENET = {{10, 3}, {15, 5}, {15, 8}, {15, 12}, {20, 15}};
    static final double[][] CIFAR = {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}};

    /**
     * {@code motion_blur}: each channel of the 8-bit image (0..255, not divided by 255, as the port) blurred along a
     * line at angle θ ~ U(−45°, 45°) (one draw), clipped to [0, 255] and truncated to 8 bits.
     */
    static Corruption motionBlur(int severity, CorruptionScale scale) {
        double[] c = (scale == CorruptionScale.IMAGENET ? IMAGENET : CIFAR)[Corruptions.checkSeverity(severity) - 1];
        int radius = (int) c[0];
        double sigma = c[1];
        return new SeededCorruptions.Seeded("motion_blur", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                double angle = -45 + 90 * random.nextDouble();
                return blurImage(image, line(radius, sigma, angle));
            }
        };
    }

    /** The 8-bit image blurred along {@code line}: the deterministic part of {@link #motionBlur}. */
    static RgbImage blurImage(RgbImage image, Line line) {
        int h = image.height();
        int w = image.width();
        byte[] in = image.data();
        double[] x = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            x[i] = in[i] & 0xFF;
        }
        double[] blurred = new double[in.length];
        for (int ch = 0; ch < 3; ch++) {
            blur(x, ch * h * w, h, w, line, blurred, ch * h * w);
        }
        RgbImage out = RgbImage.blank(h, w);
        for (int i = 0; i < blurred.length; i++) {
            double v = blurred[i];
            out.data()[i] = (byte) (int) (v < 0 ? 0 : Math.min(v, 255)); // np.clip(x, 0, 255), then np.uint8
        }
        return out;
    }
}
