package io.xscore.augment;

import java.util.Objects;

/**
 * The random common corruptions of Hendrycks &amp; Dietterich (ICLR 2019), from the formulas of the authors'
 * {@code hendrycks/robustness} ({@code imagenet_c/corruptions.py} for {@link CorruptionScale#IMAGENET},
 * {@code create_c/make_cifar_c.py} for {@link CorruptionScale#CIFAR}): Gaussian, shot and impulse noise. Each draws
 * from a {@link CorruptionRandom} seeded with {@link Corruption#apply}'s seed, so the same image and seed give the same
 * bytes on any JDK; the stream is not numpy's, so no seed reproduces the reference's pixels, and these corruptions are
 * checked statistically rather than against golden bytes. Values are drawn in the image's CHW order (the reference
 * draws over an H×W×3 array).
 *
 * <p>As in the reference, the float result is clipped to [0, 1], scaled by 255 and truncated to 8 bits. Reach them
 * through {@link Corruptions#of}.
 */
final class SeededCorruptions {

    private SeededCorruptions() {
    }

    abstract static class Seeded implements Corruption {
        private final String name;
        private final int severity;
        private final CorruptionScale scale;

        Seeded(String name, int severity, CorruptionScale scale) {
            this.name = name;
            this.severity = Corruptions.checkSeverity(severity);
            this.scale = Objects.requireNonNull(scale, "scale");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int severity() {
            return severity;
        }

        @Override
        public CorruptionScale scale() {
            return scale;
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

        @Override
        public String toString() {
            return description();
        }
    }

    private static double pick(CorruptionScale scale, int severity, double[] imagenet, double[] cifar) {
        return (scale == CorruptionScale.IMAGENET ? imagenet : cifar)[Corruptions.checkSeverity(severity) - 1];
    }

    // ---------------------------------------------------------------- Gaussian noise

    static final double[] GAUSSIAN_IMAGENET = {.08, .12, .18, .26, .38};
    static final double[] GAUSSIAN_CIFAR = {.04, .06, .08, .09, .10};

    /** {@code gaussian_noise}: x/255 + N(0, c²) per value (c the standard deviation). */
    static Corruption gaussianNoise(int severity, CorruptionScale scale) {
        double c = pick(scale, severity, GAUSSIAN_IMAGENET, GAUSSIAN_CIFAR);
        return new Seeded("gaussian_noise", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                byte[] in = image.data();
                RgbImage out = RgbImage.blank(image.height(), image.width());
                byte[] o = out.data();
                for (int i = 0; i < in.length; i++) {
                    o[i] = (byte) Corruptions.toByte((in[i] & 0xFF) / 255.0 + c * random.nextGaussian());
                }
                return out;
            }
        };
    }

    // ---------------------------------------------------------------- shot noise

    static final double[] SHOT_IMAGENET = {60, 25, 12, 5, 3};
    static final double[] SHOT_CIFAR = {500, 250, 100, 75, 50};

    /** {@code shot_noise}: Poisson(x/255 · c) / c per value (numpy's Poisson algorithms, {@link CorruptionRandom}). */
    static Corruption shotNoise(int severity, CorruptionScale scale) {
        double c = pick(scale, severity, SHOT_IMAGENET, SHOT_CIFAR);
        return new Seeded("shot_noise", severity, scale) {
            @Override
            RgbImage apply(RgbImage image, CorruptionRandom random) {
                byte[] in = image.data();
                RgbImage out = RgbImage.blank(image.height(), image.width());
                byte[] o = out.data();
                for (int i = 0; i < in.length; i++) {
                    o[i] = (byte) Corruptions.toByte(random.nextPoisson((in[i] & 0xFF) / 255.0 * c) / c);
                }
                return out;
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
        double c = pick(scale, severity, IMPULSE_IMAGENET, IMPULSE_CIFAR);
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
}
