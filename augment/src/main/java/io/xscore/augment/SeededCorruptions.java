package io.xscore.augment;

/**
 * The random common corruptions of Hendrycks &amp; Dietterich (ICLR 2019), from the formulas of the authors'
 * {@code hendrycks/robustness} ({@code imagenet_c/corruptions.py} for {@link CorruptionScale#IMAGENET},
 * {@code create_c/make_cifar_c.py} for {@link CorruptionScale#CIFAR}): Gaussian, shot and impulse noise, glass blur
 * and the elastic transform. Each draws
 * from a {@link CorruptionRandom} seeded with {@link Corruption#apply}'s seed, so the same image and seed give the same
 * bytes on any JDK; the stream is not numpy's, so no seed reproduces the reference's pixels, and these corruptions are
 * checked statistically rather than against golden bytes (glass blur's Gaussian filter, which draws nothing, is checked
 * against scipy's numbers). Noise values are drawn in the image's CHW order (the reference draws over an H×W×3
 * array).
 *
 * <p>As in the reference, the float result is clipped to [0, 1], scaled by 255 and truncated to 8 bits. Reach them
 * through {@link Corruptions#of}.
 */
final class SeededCorruptions {

    private SeededCorruptions() {
    }

    abstract static class Seeded extends NamedCorruption {

        Seeded(String name, int severity, CorruptionScale scale) {
            super(name, severity, scale);
        }

        @Override
        public boolean deterministic() {
            return false;
        }

        @Override
        public RgbImage apply(RgbImage image, long seed) {
            return apply(image, new CorruptionRandom(seed));
        }

        abstract RgbImage apply(RgbImage image, CorruptionRandom random);
    }

    /** Each 8-bit value v of the image replaced by {@link Corruptions#toByte}(f(v / 255)), in data order. */
    private static RgbImage perValue(RgbImage image, java.util.function.DoubleUnaryOperator f) {
        byte[] in = image.data();
        RgbImage out = RgbImage.blank(image.height(), image.width());
        byte[] o = out.data();
        for (int i = 0; i < in.length; i++) {
            o[i] = (byte) Corruptions.toByte(f.applyAsDouble((in[i] & 0xFF) / 255.0));
        }
        return out;
    }

    // ---------------------------------------------------------------- Gaussian noise

    static final double[] GAUSSIAN_IMAGENET = {.08, .12, .18, .26, .38};
    static final double[] GAUSSIAN_CIFAR = {.04, .06, .08, .09, .10};

    /** {@code gaussian_noise}: x/255 + N(0, c²) per value (c the standard deviation). */
    static Corruption gaussianNoise(int severity, CorruptionScale scale) {
        double c = Corruptions.pick(scale, severity, GAUSSIAN_IMAGENET, GAUSSIAN_CIFAR);
        return new Seeded("gaussian_noise", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                return perValue(image, x -> x + c * random.nextGaussian());
            }
        };
    }

    // ---------------------------------------------------------------- shot noise

    static final double[] SHOT_IMAGENET = {60, 25, 12, 5, 3};
    static final double[] SHOT_CIFAR = {500, 250, 100, 75, 50};

    /** {@code shot_noise}: Poisson(x/255 · c) / c per value (numpy's Poisson algorithms, {@link CorruptionRandom}). */
    static Corruption shotNoise(int severity, CorruptionScale scale) {
        double c = Corruptions.pick(scale, severity, SHOT_IMAGENET, SHOT_CIFAR);
        return new Seeded("shot_noise", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                return perValue(image, x -> random.nextPoisson(x * c) / c);
            }
        };
    }

    // ---------------------------------------------------------------- impulse noise

    static final double[] IMPULSE_IMAGENET = {.03, .06, .09, .17, .27};
    static final double[] IMPULSE_CIFAR = {.01, .02, .03, .05, .07};

    /**
     * {@code impulse_noise}: scikit-image's {@code random_noise(x/255, mode='s&p', amount=c)}: each value independently
     * is replaced with probability c, and a replaced value is salt (1) or pepper (0) with probability ½ each
     * ({@code salt_vs_pepper=0.5}). The salt-or-pepper draw is made only for replaced values.
     */
    static Corruption impulseNoise(int severity, CorruptionScale scale) {
        double c = Corruptions.pick(scale, severity, IMPULSE_IMAGENET, IMPULSE_CIFAR);
        return new Seeded("impulse_noise", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                RgbImage out = image.copy();
                byte[] o = out.data();
                for (int i = 0; i < o.length; i++) {
                    if (random.nextDouble() < c) {
                        o[i] = (byte) (random.nextDouble() < 0.5 ? 255 : 0);
                    }
                }
                return out;
            }
        };
    }

    // ---------------------------------------------------------------- glass blur

    /** {σ, max δ, iterations} per severity. */
    static final double[][] GLASS_IMAGENET = {{.7, 1, 2}, {.9, 2, 1}, {1, 2, 3}, {1.1, 3, 2}, {1.5, 4, 2}};
    static final double[][] GLASS_CIFAR = {{.05, 1, 1}, {.25, 1, 1}, {.4, 1, 1}, {.25, 1, 2}, {.4, 1, 2}};

    /**
     * {@code glass_blur}: x ← uint8({@link #gaussianFilter}(x/255, σ)·255) (truncated); then, {@code iterations}
     * times, for h from H − δ down to δ + 1 and, inside, w from W − δ down to δ + 1, draw dx then dy uniform on
     * [−δ, δ) (numpy's {@code randint(-δ, δ)}, upper end excluded) and set pixel (h, w) to pixel (h + dy, w + dx);
     * finally the Gaussian filter of x/255 again, clipped, ·255, truncated.
     *
     * <p>The reference writes the step as a swap, {@code x[h, w], x[h', w'] = x[h', w'], x[h, w]}, but on a numpy
     * array both sides are views of the same pixels: the first assignment overwrites (h, w), the second copies that
     * new value back onto (h', w'), so (h', w') keeps its value and the "swap" is a copy from (h', w') to (h, w). The
     * published datasets were made that way, and so is this. The reference's loops run over its fixed side (32 or
     * 224); here over the image's own height and width.
     */
    static Corruption glassBlur(int severity, CorruptionScale scale) {
        double[] c = (scale == CorruptionScale.IMAGENET ? GLASS_IMAGENET : GLASS_CIFAR)[Corruptions.checkSeverity(
                severity) - 1];
        double sigma = c[0];
        int delta = (int) c[1];
        int iterations = (int) c[2];
        return new Seeded("glass_blur", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                int h = image.height();
                int w = image.width();
                int plane = image.plane();
                byte[] in = image.data();
                double[] x = new double[in.length];
                for (int i = 0; i < in.length; i++) {
                    x[i] = (in[i] & 0xFF) / 255.0;
                }
                int[] blurred = new int[in.length];
                for (int ch = 0; ch < 3; ch++) {
                    double[] g = gaussianFilter(x, ch * plane, h, w, sigma);
                    for (int i = 0; i < plane; i++) {
                        blurred[ch * plane + i] = (int) Math.min(255, g[i] * 255); // np.uint8(... * 255)
                    }
                }
                for (int it = 0; it < iterations; it++) {
                    for (int y = h - delta; y > delta; y--) {
                        for (int xx = w - delta; xx > delta; xx--) {
                            int dx = random.nextInt(-delta, delta);
                            int dy = random.nextInt(-delta, delta);
                            int to = y * w + xx;
                            int from = (y + dy) * w + xx + dx;
                            for (int ch = 0; ch < 3; ch++) {
                                blurred[ch * plane + to] = blurred[ch * plane + from];
                            }
                        }
                    }
                }
                for (int i = 0; i < in.length; i++) {
                    x[i] = blurred[i] / 255.0;
                }
                RgbImage out = RgbImage.blank(h, w);
                for (int ch = 0; ch < 3; ch++) {
                    double[] g = gaussianFilter(x, ch * plane, h, w, sigma);
                    for (int i = 0; i < plane; i++) {
                        out.data()[ch * plane + i] = (byte) Corruptions.toByte(g[i]);
                    }
                }
                return out;
            }
        };
    }

    // ---------------------------------------------------------------- elastic transform

    /** {α (displacement scale), σ (its smoothing), affine jitter}, as the reference writes them. */
    static final double[][] ELASTIC_IMAGENET = {{244 * 2, 244 * 0.7, 244 * 0.1}, {244 * 2, 244 * 0.08, 244 * 0.2},
        {244 * 0.05, 244 * 0.01, 244 * 0.02}, {244 * 0.07, 244 * 0.01, 244 * 0.02},
        {244 * 0.12, 244 * 0.01, 244 * 0.02}};
    static final double[][] ELASTIC_CIFAR = {{32 * 0, 32 * 0, 32 * 0.08}, {32 * 0.05, 32 * 0.2, 32 * 0.07},
        {32 * 0.08, 32 * 0.06, 32 * 0.06}, {32 * 0.1, 32 * 0.04, 32 * 0.05}, {32 * 0.1, 32 * 0.03, 32 * 0.03}};

    /**
     * {@code elastic_transform}, on x/255 in float32:
     * <ol>
     * <li>A random affine map: the reference's three points (c + s, c + s), (c₀ + s, c₁ − s), (c − s) with
     * c = (⌊H/2⌋, ⌊W/2⌋) and s = ⌊min(H, W)/3⌋, taken as OpenCV (x, y) points as the reference passes them, each
     * coordinate moved by U(−jitter, jitter) (six draws, row by row, as float32); OpenCV's {@code getAffineTransform}
     * from the old points to the new and {@code warpAffine} (bilinear, border {@code BORDER_REFLECT_101}): each output
     * pixel samples the input at the inverse map of its position.</li>
     * <li>Two displacement fields dx, dy: U(−1, 1) per pixel (dx's H·W draws, then dy's), scipy's
     * {@code gaussian_filter(σ, mode='reflect', truncate=3)}, times α, as float32.</li>
     * <li>Output (y, x) = the warped image sampled at (y + dy, x + dx): scipy's {@code map_coordinates(order=1,
     * mode='reflect')}, bilinear with indices outside the image reflected about the edge
     * ({@code dcba|abcd|dcba}).</li>
     * </ol>
     * Clipped, ·255 in float32, truncated. OpenCV's bilinear warp quantises the sample position to 1/32 px
     * ({@code INTER_TAB_SIZE}); here the exact position is used, a difference far below the random jitter.
     */
    static Corruption elasticTransform(int severity, CorruptionScale scale) {
        double[] c = (scale == CorruptionScale.IMAGENET ? ELASTIC_IMAGENET : ELASTIC_CIFAR)[Corruptions.checkSeverity(
                severity) - 1];
        double alpha = c[0];
        double sigma = c[1];
        double jitter = c[2];
        return new Seeded("elastic_transform", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                int h = image.height();
                int w = image.width();
                int plane = image.plane();
                byte[] in = image.data();
                float[] x = new float[in.length];
                for (int i = 0; i < in.length; i++) {
                    x[i] = (float) ((in[i] & 0xFF) / 255.0);
                }
                // the affine part
                float c0 = h / 2;
                float c1 = w / 2;
                int sq = Math.min(h, w) / 3;
                float[][] from = {{c0 + sq, c1 + sq}, {c0 + sq, c1 - sq}, {c0 - sq, c1 - sq}};
                float[][] to = new float[3][2];
                for (int p = 0; p < 3; p++) {
                    for (int q = 0; q < 2; q++) {
                        to[p][q] = from[p][q] + (float) (-jitter + 2 * jitter * random.nextDouble());
                    }
                }
                double[] inverse = affine(to, from); // output (x, y) → input (x, y)
                float[] warped = new float[x.length];
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double sx = inverse[0] * xx + inverse[1] * y + inverse[2];
                        double sy = inverse[3] * xx + inverse[4] * y + inverse[5];
                        for (int ch = 0; ch < 3; ch++) {
                            warped[ch * plane + y * w + xx] = (float) bilinear(x, ch * plane, h, w, sy, sx, false);
                        }
                    }
                }
                // the elastic part
                float[] dx = displacement(random, h, w);
                float[] dy = displacement(random, h, w);
                RgbImage out = RgbImage.blank(h, w);
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        int i = y * w + xx;
                        double sy = y + (double) dy[i];
                        double sx = xx + (double) dx[i];
                        for (int ch = 0; ch < 3; ch++) {
                            float v = (float) bilinear(warped, ch * plane, h, w, sy, sx, true);
                            v = v < 0 ? 0 : Math.min(v, 1f);
                            out.data()[ch * plane + i] = (byte) (int) (v * 255f);
                        }
                    }
                }
                return out;
            }

            private float[] displacement(CorruptionRandom random, int h, int w) {
                double[] field = new double[h * w];
                for (int i = 0; i < field.length; i++) {
                    field[i] = -1 + 2 * random.nextDouble();
                }
                double[] smooth = gaussianFilter(field, 0, h, w, sigma, 3.0, true);
                float[] d = new float[field.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (smooth[i] * alpha);
                }
                return d;
            }
        };
    }

    /**
     * The affine map (a, b, c, d, e, f), x' = a·x + b·y + c, y' = d·x + e·y + f, that takes the three points
     * {@code src} (OpenCV (x, y) order) to {@code dst}: OpenCV's {@code getAffineTransform}, solved here by Cramer's
     * rule in double.
     */
    static double[] affine(float[][] src, float[][] dst) {
        double[][] m = new double[3][3];
        for (int p = 0; p < 3; p++) {
            m[p][0] = src[p][0];
            m[p][1] = src[p][1];
            m[p][2] = 1;
        }
        double det = det3(m);
        if (det == 0) {
            throw new IllegalArgumentException("degenerate triangle");
        }
        double[] out = new double[6];
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 3; col++) {
                double[][] mm = new double[3][];
                for (int p = 0; p < 3; p++) {
                    mm[p] = m[p].clone();
                    mm[p][col] = dst[p][row];
                }
                out[row * 3 + col] = det3(mm) / det;
            }
        }
        return out;
    }

    private static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /**
     * Linear interpolation of the h×w plane from {@code offset} at (row y, column x), in double; indices outside the
     * plane mapped by {@code BORDER_REFLECT_101} ({@code reflect} false, OpenCV's warp) or half-sample reflection
     * ({@code reflect} true, scipy's {@code mode='reflect'}).
     */
    static double bilinear(float[] plane, int offset, int h, int w, double y, double x, boolean reflect) {
        double fy = Math.floor(y);
        double fx = Math.floor(x);
        double ty = y - fy;
        double tx = x - fx;
        int y0 = index((long) fy, h, reflect);
        int y1 = index((long) fy + 1, h, reflect);
        int x0 = index((long) fx, w, reflect);
        int x1 = index((long) fx + 1, w, reflect);
        double top = plane[offset + y0 * w + x0] * (1 - tx) + plane[offset + y0 * w + x1] * tx;
        double bottom = plane[offset + y1 * w + x0] * (1 - tx) + plane[offset + y1 * w + x1] * tx;
        return top * (1 - ty) + bottom * ty;
    }

    private static int index(long i, int n, boolean reflect) {
        if (reflect) {
            long m = Math.floorMod(i, 2L * n);
            return (int) (m < n ? m : 2L * n - 1 - m);
        }
        return Corruptions.reflect101((int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, i)), n);
    }

    /**
     * scikit-image's {@code gaussian(x, sigma, multichannel=True)} on one channel (the h×w plane of {@code x} from
     * {@code offset}): scipy's {@code gaussian_filter} with {@code mode='nearest'} (the edge value repeated) and
     * {@code truncate=4}: per axis, rows (axis 0) first, a kernel of radius ⌊4σ + ½⌋ with weights exp(−i²/2σ²)
     * normalised to sum 1, summed as scipy sums a symmetric kernel (centre, then each pair from the outside in). In
     * double.
     */
    static double[] gaussianFilter(double[] x, int offset, int h, int w, double sigma) {
        return gaussianFilter(x, offset, h, w, sigma, 4.0, false);
    }

    /**
     * scipy's {@code gaussian_filter(x, σ, mode=..., truncate=...)} on an h×w plane: {@code reflect} false is mode
     * {@code nearest} (the edge value repeated), true is mode {@code reflect} ({@code dcba|abcd|dcba}, the edge value
     * repeated once, periodic beyond). σ = 0 is the identity (scipy skips the axis).
     */
    static double[] gaussianFilter(double[] x, int offset, int h, int w, double sigma, double truncate,
                                   boolean reflect) {
        if (sigma <= 1e-15) {
            return java.util.Arrays.copyOfRange(x, offset, offset + h * w);
        }
        double[] k = gaussianWeights(sigma, truncate);
        int radius = k.length - 1;
        double[] tmp = new double[h * w];
        for (int xx = 0; xx < w; xx++) {
            for (int y = 0; y < h; y++) {
                double v = x[offset + y * w + xx] * k[0];
                for (int j = radius; j >= 1; j--) {
                    v += (x[offset + border(y - j, h, reflect) * w + xx]
                            + x[offset + border(y + j, h, reflect) * w + xx]) * k[j];
                }
                tmp[y * w + xx] = v;
            }
        }
        double[] out = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                double v = tmp[y * w + xx] * k[0];
                for (int j = radius; j >= 1; j--) {
                    v += (tmp[y * w + border(xx - j, w, reflect)] + tmp[y * w + border(xx + j, w, reflect)]) * k[j];
                }
                out[y * w + xx] = v;
            }
        }
        return out;
    }

    /**
     * scipy's {@code _gaussian_kernel1d(σ, 0, ⌊4σ + ½⌋)} from the centre outwards: φ(i) = exp(−0.5/σ² · i²) over
     * i = −r..r, divided by its sum taken as numpy's {@code sum} does (sequential below 8 terms, else eight running
     * sums combined pairwise and then the rest), so the weights are scipy's to the last bit.
     */
    static double[] gaussianWeights(double sigma) {
        return gaussianWeights(sigma, 4.0);
    }

    /** {@link #gaussianWeights(double)} with radius ⌊truncate·σ + ½⌋. */
    static double[] gaussianWeights(double sigma, double truncate) {
        int radius = (int) (truncate * sigma + 0.5);
        double s2 = sigma * sigma;
        int n = 2 * radius + 1;
        double[] phi = new double[n];
        for (int i = 0; i < n; i++) {
            double d = i - radius;
            phi[i] = Math.exp(-0.5 / s2 * (d * d));
        }
        double sum = numpySum(phi);
        double[] k = new double[radius + 1];
        for (int i = 0; i <= radius; i++) {
            k[i] = phi[radius + i] / sum;
        }
        return k;
    }

    /** numpy's pairwise sum of a contiguous float64 array (blocks of 128, eight running sums, halves above). */
    static double numpySum(double[] a) {
        return numpySum(a, 0, a.length);
    }

    private static double numpySum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0;
            for (int i = from; i < from + n; i++) {
                res += a[i];
            }
            return res;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return numpySum(a, from, n2) + numpySum(a, from + n2, n - n2);
    }

    /** An index outside 0..n−1 mapped by mode {@code reflect} (half-sample symmetric) or {@code nearest}. */
    static int border(int i, int n, boolean reflect) {
        if (!reflect) {
            return clamp(i, n);
        }
        int m = Math.floorMod(i, 2 * n);
        return m < n ? m : 2 * n - 1 - m;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : Math.min(i, n - 1);
    }
}
