package io.xscore.trainer.robustness;

import io.xscore.augment.Crop;
import io.xscore.augment.LowResolution;
import io.xscore.augment.Resampler;
import io.xscore.augment.RgbImage;
import io.xscore.augment.SuiteImages;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;

/**
 * The protocol's test transform (largest centred square, bilinear resize to the model's size) and the three places a
 * robustness suite perturbs it, image by image:
 * <ul>
 *   <li>{@link #clean}: the test transform, normalised, with the same arithmetic as the training loop's evaluation;</li>
 *   <li>{@link #lowResolution}: LR0.FM's transform of the <em>native</em> image (shorter side to n and back, Pillow
 *       bicubic) in place of the resize, as LR0.FM replaces the test preprocessing;</li>
 *   <li>{@link #testImage}: the test transform's 8-bit image, which a common corruption is applied to (the corruption
 *       of an already cropped 224 px image in ImageNet-C), and {@link #unitPixels}: the same on [0, 1] floats, which
 *       PGD perturbs (the normalisation then runs inside the model).</li>
 * </ul>
 * The 8-bit images themselves come from {@code augment}'s {@link SuiteImages}, which the dataset service's preview
 * endpoint uses too, so a preview shows exactly the image evaluated here.
 */
public final class TestImagePipeline {

    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] UNIT = {1f, 1f, 1f};

    private final ImageSet images;
    private final int size;
    private final Normalisation normalisation;

    public TestImagePipeline(ImageSet images, int size, Normalisation normalisation) {
        this.images = images;
        this.size = size;
        this.normalisation = normalisation;
    }

    public int size() {
        return size;
    }

    public ImageSet images() {
        return images;
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    public int floatsPerImage() {
        return 3 * size * size;
    }

    /** The normalised test image i, CHW, into {@code dst} from {@code offset}. */
    public void clean(int i, float[] dst, int offset) {
        resample(i, normalisation.mean(), normalisation.std(), dst, offset);
    }

    /** The image on [0, 1] (not normalised), CHW. */
    public void unitPixels(int i, float[] dst, int offset) {
        resample(i, ZERO, UNIT, dst, offset);
    }

    /** The 8-bit test image at the model's size (grey replicated to RGB): {@link SuiteImages#testImage}. */
    public RgbImage testImage(int i) {
        return SuiteImages.testImage(images.pixels(i), images.pixelOffset(i), images.height(), images.width(),
                images.channels(), size);
    }

    /** The normalised image of an 8-bit RGB image at the model's size (a corrupted test image). */
    public void normalise(RgbImage image, float[] dst, int offset) {
        image.normalise(normalisation.mean(), normalisation.std(), dst, offset);
    }

    /** LR0.FM's low-resolution version of image i, normalised. */
    public void lowResolution(LowResolution transform, int i, float[] dst, int offset) {
        int channels = images.channels();
        byte[] low = SuiteImages.lowResolutionHwc(transform, images.pixels(i), images.pixelOffset(i), images.height(),
                images.width(), channels);
        Resampler.resample(low, 0, size, size, channels, new Crop(0, 0, size, size), size, false,
                normalisation.mean(), normalisation.std(), dst, offset);
    }

    private void resample(int i, float[] mean, float[] std, float[] dst, int offset) {
        Resampler.resample(images.pixels(i), images.pixelOffset(i), images.height(), images.width(),
                images.channels(), Crop.centreSquare(images.height(), images.width()), size, false, mean, std, dst,
                offset);
    }
}
