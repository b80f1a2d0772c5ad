package io.xscore.augment;

import io.xscore.common.protocol.Seeds;
import java.util.Random;

/**
 * The random streams of one training epoch and the 8-bit augmented image they produce, shared by the trainer's
 * on-the-fly path and the dataset service's augmentation cache, so that both paths give the same pixels.
 *
 * <p>An image's transform depends only on (job seed, epoch, the image's index in the split): not on the model, the
 * batch it lands in, the shuffle, or the thread that builds it. The dataset service can therefore pre-compute an
 * epoch before the trainer has drawn its order, and one cached epoch serves every model trained with that seed.
 * RandomErasing, drawn per position in the epoch, has its own stream ({@link #erasingSeed}) and stays in the
 * trainer: it runs on the normalised tensor.
 */
public final class EpochAugmentation {

    private static final float[] RAW_MEAN = {0f, 0f, 0f};
    private static final float[] RAW_STD = {1f / 255, 1f / 255, 1f / 255};

    private EpochAugmentation() {
    }

    /** The seed of the crop/flip/RandAugment/ColorJitter stream of {@code epoch} (0-based). */
    public static long epochSeed(long jobSeed, int epoch) {
        return Seeds.derive(jobSeed, "augment/" + epoch);
    }

    /** The generator of one image of an epoch, by its index in the full split (before any subset is drawn). */
    public static Random imageRandom(long epochSeed, int sourceIndex) {
        return new Random(Seeds.derive(epochSeed, sourceIndex));
    }

    /** The seed of the epoch's RandomErasing stream (one generator per position in the epoch). */
    public static long erasingSeed(long epochSeed) {
        return Seeds.derive(epochSeed, "erasing");
    }

    /**
     * Whether pre-computing is worth it and exact: pipelines with image ops (RandAugment, ColorJitter) pass through an
     * 8-bit image anyway, so a cached 8-bit result is bit-identical to the on-the-fly one. Crop-and-flip-only pipelines
     * normalise inside the resampling (no 8-bit rounding) and are cheap; they are always computed on the fly.
     */
    public static boolean cacheable(Augmentation augmentation) {
        return augmentation.hasImageOps();
    }

    /**
     * The augmented image before normalisation: crop and flip resampled to {@code size}×{@code size}, rounded to 8 bits
     * (as torchvision's uint8 resize does), then the pipeline's image ops.
     *
     * @param src    pixels of many images, HWC per image, 1 or 3 channels
     * @param offset index of this image's first byte in {@code src}
     */
    public static RgbImage augment(byte[] src, int offset, int height, int width, int channels,
                                   Augmentation augmentation, int size, Random rng) {
        Augmentation.Choice choice = augmentation.sample(height, width, rng);
        float[] raw = new float[3 * size * size];
        Resampler.resample(src, offset, height, width, channels, choice.crop(), size, choice.flip(), RAW_MEAN,
                RAW_STD, raw, 0);
        RgbImage img = RgbImage.blank(size, size);
        byte[] d = img.data();
        for (int k = 0; k < raw.length; k++) {
            d[k] = (byte) (int) Math.rint(Math.max(0f, Math.min(255f, raw[k])));
        }
        augmentation.applyImageOps(img, rng);
        return img;
    }
}
