package io.xscore.augment;

import io.xscore.common.protocol.Seeds;

/**
 * The 8-bit images a robustness suite evaluates, from one stored (native) image of a split, in one place for the two
 * that need them: the trainer's robustness evaluation (which then normalises them) and the dataset service's preview
 * endpoint (which shows them as PNG). Keeping a single copy is what makes the preview exactly the evaluated image.
 * <ul>
 *   <li>{@link #testImage}: the protocol's test transform, the largest centred square resized bilinearly to the
 *       model's size (the arithmetic of {@link Resampler}, rounded to 8 bits), grey replicated to RGB; the image a
 *       common corruption is applied to;</li>
 *   <li>{@link #lowResolution}: LR0.FM's transform of the <em>native</em> image ({@link LowResolution}, shorter side
 *       to n and back), which replaces the test transform;</li>
 *   <li>{@link #corruption}, {@link #corruptionSeed}, {@link #imageSeed}, {@link #corrupted}: the corruption at a
 *       severity with the parameter table for the model's size, and the seed each image gets from the suite's seed,
 *       the corruption, the severity and the image's index in the full split.</li>
 * </ul>
 * Source images are 8-bit HWC with 1 or 3 channels, as shards store them.
 */
public final class SuiteImages {

    private static final float[] ZERO = {0f, 0f, 0f};
    /** std of 1/255 makes the resampler write 0..255 values (v · 1/(255 · std)). */
    private static final float[] BYTE_SCALE = {1f / 255f, 1f / 255f, 1f / 255f};

    private SuiteImages() {
    }

    /**
     * The test transform's 8-bit image at the model's size {@code size}×{@code size}: largest centred square, bilinear
     * resize ({@link Resampler}, no antialiasing), values rounded to 0..255, grey replicated to three channels.
     */
    public static RgbImage testImage(byte[] src, int offset, int height, int width, int channels, int size) {
        float[] values = new float[3 * size * size];
        Resampler.resample(src, offset, height, width, channels, Crop.centreSquare(height, width), size, false, ZERO,
                BYTE_SCALE, values, 0);
        RgbImage out = RgbImage.blank(size, size);
        byte[] data = out.data();
        for (int k = 0; k < values.length; k++) {
            data[k] = (byte) Math.max(0, Math.min(255, Math.round(values[k])));
        }
        return out;
    }

    /**
     * LR0.FM's low-resolution image of a native image as HWC bytes with the source's channels
     * ({@code transform.modelSize()}² · channels), what the trainer normalises.
     */
    public static byte[] lowResolutionHwc(LowResolution transform, byte[] src, int offset, int height, int width,
                                          int channels) {
        return transform.apply(src, offset, height, width, channels);
    }

    /** {@link #lowResolutionHwc} as an 8-bit RGB image (grey replicated, as the trainer's resampler does). */
    public static RgbImage lowResolution(LowResolution transform, byte[] src, int offset, int height, int width,
                                         int channels) {
        byte[] hwc = lowResolutionHwc(transform, src, offset, height, width, channels);
        int size = transform.modelSize();
        RgbImage out = RgbImage.blank(size, size);
        int plane = out.plane();
        byte[] data = out.data();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                data[c * plane + i] = hwc[i * channels + (channels == 1 ? 0 : c)];
            }
        }
        return out;
    }

    /**
     * The corruption {@code name} at {@code severity} with the parameter table of a {@code size}×{@code size} image
     * ({@link CorruptionScale#forSize}); unknown names and severities outside 1–5 are refused as
     * {@link Corruptions#of} refuses them.
     */
    public static Corruption corruption(String name, int severity, int size) {
        return Corruptions.of(name, severity, CorruptionScale.forSize(size, size));
    }

    /** The seed of a corruption and severity under a suite's seed (stream {@code corruption/<name>/<severity>}). */
    public static long corruptionSeed(long suiteSeed, String name, int severity) {
        return Seeds.derive(suiteSeed, "corruption/" + name + "/" + severity);
    }

    /** The seed of the image at {@code sourceIndex} (its index in the full split) under a {@link #corruptionSeed}. */
    public static long imageSeed(long corruptionSeed, long sourceIndex) {
        return Seeds.derive(corruptionSeed, sourceIndex);
    }

    /**
     * The corrupted test image: {@code corruption} applied to {@code testImage} (a {@link #testImage}) with the seed
     * of image {@code sourceIndex} under {@code corruptionSeed}.
     */
    public static RgbImage corrupted(Corruption corruption, long corruptionSeed, RgbImage testImage,
                                     long sourceIndex) {
        return corruption.apply(testImage, imageSeed(corruptionSeed, sourceIndex));
    }
}
