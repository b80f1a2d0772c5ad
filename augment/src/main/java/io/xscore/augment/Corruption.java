package io.xscore.augment;

/**
 * One of the common corruptions of Hendrycks &amp; Dietterich (ICLR 2019) at one severity and parameter scale,
 * re-implemented in Java on the project's own image code. The results are <em>platform-generated corruptions</em>, not
 * the published CIFAR-10-C or ImageNet-C arrays (see docs/robustness.md): never label them as those.
 */
public interface Corruption {

    /** The reference code's function name, e.g. {@code defocus_blur}. */
    String name();

    /** 1 (mildest) to 5. */
    int severity();

    /** Whose published parameters are used. */
    CorruptionScale scale();

    /**
     * Whether {@link #apply} ignores its seed (brightness, contrast, pixelate, JPEG, defocus and zoom blur do; the
     * noises, glass and motion blur, snow, frost, fog and the elastic transform do not).
     */
    boolean deterministic();

    /**
     * Corrupts {@code image} into a new 8-bit RGB image of the same size; {@code image} is not modified.
     *
     * @param seed the random seed of a random corruption; ignored by deterministic ones
     */
    RgbImage apply(RgbImage image, long seed);

    /** Recorded with every result, e.g. {@code defocus_blur/3@cifar (platform-generated)}. */
    default String description() {
        return name() + "/" + severity() + "@" + scale().label() + " (platform-generated)";
    }
}
