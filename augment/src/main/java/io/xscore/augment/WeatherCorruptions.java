package io.xscore.augment;

/**
 * The weather corruptions of Hendrycks &amp; Dietterich (ICLR 2019): {@code snow} and {@code fog} from the formulas of
 * the authors' {@code hendrycks/robustness} ({@code imagenet_c/corruptions.py} for {@link CorruptionScale#IMAGENET},
 * {@code create_c/make_cifar_c.py} for {@link CorruptionScale#CIFAR}), and {@code frost-procedural}, a stand-in for
 * {@code frost} whose texture is generated ({@link FrostTexture}) because the reference's frost photographs are not
 * part of the platform. All three are seeded ({@link CorruptionRandom}); like the other seeded corruptions they are
 * replayable by seed and never the reference's pixels. Reach them through {@link Corruptions#of}.
 */
final class WeatherCorruptions {

    private WeatherCorruptions() {
    }

    // ---------------------------------------------------------------- fog

    /** {amount, wibble decay} per severity. */
    static final double[][] FOG_IMAGENET = {{1.5, 2}, {2, 2}, {2.5, 1.7}, {2.5, 1.5}, {3, 1.4}};
    static final double[][] FOG_CIFAR = {{.2, 3}, {.5, 3}, {.75, 2.5}, {1, 2}, {1.5, 1.75}};

    /** The reference's fractal sides: {@code plasma_fractal}'s default 256 for ImageNet, 32 in the CIFAR script. */
    static final int FOG_MAP_IMAGENET = 256;
    static final int FOG_MAP_CIFAR = 32;

    /**
     * {@code fog}: x ← (x + a·F)·m/(m + a), F the {@link PlasmaFractal} (the same for all three channels) and m the
     * largest value of x/255 over all channels, clipped, ·255, truncated. The map's side is the reference's (32 at the
     * CIFAR scale, 256 at the ImageNet one) or, for an image with a longer side, the next power of two above it (the
     * {@code imagecorruptions} package's rule), and its top-left H×W corner is used as the reference crops
     * {@code [:32, :32]} or {@code [:224, :224]}. A larger map has more coarse levels, so the fog's largest structures
     * grow with the image rather than repeating.
     */
    static Corruption fog(int severity, CorruptionScale scale) {
        double[] c = (scale == CorruptionScale.IMAGENET ? FOG_IMAGENET : FOG_CIFAR)[Corruptions.checkSeverity(severity)
                - 1];
        int referenceMap = scale == CorruptionScale.IMAGENET ? FOG_MAP_IMAGENET : FOG_MAP_CIFAR;
        return new SeededCorruptions.Seeded("fog", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                int n = Math.max(referenceMap, PlasmaFractal.mapSizeFor(Math.max(image.height(), image.width())));
                double[] map = PlasmaFractal.generate(n, c[1], random::nextDouble);
                return fogBlend(image, map, n, c[0]);
            }
        };
    }

    /** The deterministic part of {@link #fog}: the blend of the image with the top-left corner of an n×n map. */
    static RgbImage fogBlend(RgbImage image, double[] map, int n, double amount) {
        int h = image.height();
        int w = image.width();
        int plane = image.plane();
        byte[] in = image.data();
        int maxByte = 0;
        for (byte b : in) {
            maxByte = Math.max(maxByte, b & 0xFF);
        }
        double max = maxByte / 255.0;
        RgbImage out = RgbImage.blank(h, w);
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = ch * plane + y * w + x;
                    double v = (in[i] & 0xFF) / 255.0 + amount * map[y * n + x];
                    out.data()[i] = (byte) Corruptions.toByte(v * max / (max + amount));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- snow

    /**
     * Per severity: {mean, sd of the snow noise, zoom factor, threshold, blur radius, blur σ, weight of the image}, as
     * the reference's 7-tuples.
     */
    static final double[][] SNOW_IMAGENET = {{.1, .3, 3, .5, 10, 4, .8}, {.2, .3, 2, .5, 12, 4, .7},
        {.55, .3, 4, .9, 12, 8, .7}, {.55, .3, 4.5, .85, 12, 8, .65}, {.55, .3, 2.5, .85, 12, 12, .55}};
    static final double[][] SNOW_CIFAR = {{.1, .2, 1, .6, 8, 3, .95}, {.1, .2, 1, .5, 10, 4, .9},
        {.15, .3, 1.75, .55, 10, 4, .9}, {.25, .3, 2.25, .6, 12, 6, .85}, {.3, .3, 1.25, .65, 14, 12, .8}};

    /**
     * {@code snow}, on x/255 in float32:
     * <ol>
     * <li>A snow layer of H·W normals N(mean, sd²) (drawn first, row-major), zoomed by the reference's
     * {@code clipped_zoom} (the centre crop zoomed with scipy's order-1 zoom and trimmed back, in double), values below
     * the threshold set to 0, clipped to [0, 1];</li>
     * <li>the layer blurred by {@link MotionBlur} (radius, σ) at an angle U(−135°, −45°) (drawn after the normals), and
     * rounded to 8 bits (numpy's {@code np.round(·255)/255}, half to even), as the {@code imagecorruptions} port does
     * where the reference round-trips it through an 8-bit PNG and ImageMagick;</li>
     * <li>x ← w·x + (1 − w)·max(x, 1.5·grey + 0.5), grey = 0.299 R + 0.587 G + 0.114 B (OpenCV's
     * {@code COLOR_RGB2GRAY});</li>
     * <li>the result x + L + L rotated by 180°, clipped, ·255, truncated.</li>
     * </ol>
     */
    static Corruption snow(int severity, CorruptionScale scale) {
        double[] c = (scale == CorruptionScale.IMAGENET ? SNOW_IMAGENET : SNOW_CIFAR)[Corruptions.checkSeverity(
                severity) - 1];
        return new SeededCorruptions.Seeded("snow", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                double[] normals = new double[image.plane()];
                for (int i = 0; i < normals.length; i++) {
                    normals[i] = c[0] + c[1] * random.nextGaussian();
                }
                double angle = -135 + 90 * random.nextDouble();
                return snowFrom(image, normals, angle, c);
            }
        };
    }

    /** The deterministic part of {@link #snow}: given the layer's normals (row-major) and the blur angle. */
    static RgbImage snowFrom(RgbImage image, double[] normals, double angle, double[] c) {
        int h = image.height();
        int w = image.width();
        int plane = image.plane();
        double[] layer = Corruptions.clippedZoomPlane(normals, h, w, c[2]);
        for (int i = 0; i < plane; i++) {
            double v = layer[i] < c[3] ? 0 : layer[i];
            layer[i] = v < 0 ? 0 : Math.min(v, 1);
        }
        double[] blurred = new double[plane];
        MotionBlur.blur(layer, 0, h, w, MotionBlur.line((int) c[4], c[5], angle), blurred, 0);
        for (int i = 0; i < plane; i++) {
            // np.round(layer * 255).astype(np.uint8) / 255.
            blurred[i] = ((int) Math.rint(blurred[i] * 255) & 0xFF) / 255.0;
        }
        byte[] in = image.data();
        float weight = (float) c[6];
        float rest = (float) (1 - c[6]);
        RgbImage out = RgbImage.blank(h, w);
        for (int i = 0; i < plane; i++) {
            float r = (in[i] & 0xFF) / 255f; // np.array(x, dtype=np.float32) / 255.: a float32 division
            float g = (in[plane + i] & 0xFF) / 255f;
            float b = (in[2 * plane + i] & 0xFF) / 255f;
            float lifted = (r * 0.299f + g * 0.587f + b * 0.114f) * 1.5f + 0.5f;
            float[] rgb = {r, g, b};
            for (int ch = 0; ch < 3; ch++) {
                float x = weight * rgb[ch] + rest * Math.max(rgb[ch], lifted);
                // the layer and its 180° rotation, added in the reference's order (float32 + float64 is float64)
                out.data()[ch * plane + i] = (byte) Corruptions.toByte(x + blurred[i] + blurred[plane - 1 - i]);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- frost (procedural stand-in)

    /** {image weight, frost weight} per severity, the reference's. */
    static final double[][] FROST_IMAGENET = {{1, .4}, {.8, .6}, {.7, .7}, {.65, .7}, {.6, .75}};
    static final double[][] FROST_CIFAR = {{1, .2}, {1, .3}, {.9, .4}, {.85, .4}, {.75, .45}};

    /**
     * {@code frost-procedural}: the reference's blend clip(a·x + b·F, 0, 255) on 8-bit values, truncated, with the
     * published weights (a, b), but F a {@link FrostTexture} generated from the seed instead of a random crop of one of
     * the reference's frost photographs. Not the published frost corruption: its name says so.
     */
    static Corruption frostProcedural(int severity, CorruptionScale scale) {
        double[] c = (scale == CorruptionScale.IMAGENET ? FROST_IMAGENET : FROST_CIFAR)[Corruptions.checkSeverity(
                severity) - 1];
        return new SeededCorruptions.Seeded("frost-procedural", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                float[] frost = FrostTexture.generate(image.height(), image.width(), random);
                byte[] in = image.data();
                RgbImage out = RgbImage.blank(image.height(), image.width());
                for (int i = 0; i < in.length; i++) {
                    double v = c[0] * (in[i] & 0xFF) + c[1] * frost[i];
                    out.data()[i] = (byte) (int) (v < 0 ? 0 : Math.min(v, 255));
                }
                return out;
            }
        };
    }
}
