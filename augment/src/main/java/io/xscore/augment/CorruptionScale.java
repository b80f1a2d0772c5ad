package io.xscore.augment;

/**
 * Which published parameter table of the common corruptions (Hendrycks &amp; Dietterich, ICLR 2019; the authors'
 * {@code hendrycks/robustness}) a corruption uses: the CIFAR-10-C table ({@code make_cifar_c.py}, made for 32×32
 * images) or the ImageNet-C table ({@code imagenet_c/corruptions.py}, made for 224×224 images). The CIFAR table is
 * much milder (defocus radius 0.3–1.5 px against 3–10 px, pixelate to 95–65 % against 60–25 %, JPEG quality 80–40
 * against 25–7): the ImageNet severities applied to a 32 px image would erase it, the CIFAR ones applied to a 224 px
 * image would barely touch it.
 */
public enum CorruptionScale {
    /** {@code make_cifar_c.py}'s parameters, for small images. */
    CIFAR("cifar"),
    /** {@code imagenet_c/corruptions.py}'s parameters, for large images. */
    IMAGENET("imagenet");

    /**
     * The largest shorter side that gets {@link #CIFAR} parameters. CIFAR-10-C's parameters were tuned for 32 px
     * images; up to 64 px (twice CIFAR, the small datasets of the benchmark) an image is still far closer to 32 than to
     * 224 px, and the ImageNet kernels (defocus up to 21×21, pixelate to a quarter) would destroy it.
     */
    public static final int CIFAR_MAX_SHORTER_SIDE = 64;

    private final String label;

    CorruptionScale(String label) {
        this.label = label;
    }

    /** {@code cifar} or {@code imagenet}, as recorded in a corruption's description. */
    public String label() {
        return label;
    }

    /** The rule: {@link #CIFAR} when the shorter side is at most {@value #CIFAR_MAX_SHORTER_SIDE} px, else {@link #IMAGENET}. */
    public static CorruptionScale forSize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + height + "×" + width);
        }
        return Math.min(height, width) <= CIFAR_MAX_SHORTER_SIDE ? CIFAR : IMAGENET;
    }

    /** {@link #forSize} of an image. */
    public static CorruptionScale forImage(RgbImage image) {
        return forSize(image.height(), image.width());
    }
}
