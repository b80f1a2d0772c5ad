package io.xscore.dataset.format;

import io.xscore.common.shard.ImageShard;
import java.util.Arrays;

/**
 * A whole split held in memory: {@code count} images of {@code height x width x channels} bytes (HWC, image-major)
 * and one label per image. Used for small datasets such as Fashion-MNIST (47 MB for the 60k training images).
 */
public record LabelledImages(int height, int width, int channels, int classes, short[] labels, byte[] pixels) {

    public LabelledImages {
        if ((long) labels.length * height * width * channels != pixels.length) {
            throw new IllegalArgumentException("pixel bytes " + pixels.length + " do not match " + labels.length
                    + " images of " + height + "x" + width + "x" + channels);
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageBytes() {
        return height * width * channels;
    }

    /** Images {@code [from, to)} as a shard (copies). */
    public ImageShard slice(int from, int to) {
        int bytes = imageBytes();
        return new ImageShard(height, width, channels, classes, Arrays.copyOfRange(labels, from, to),
                Arrays.copyOfRange(pixels, from * bytes, to * bytes));
    }
}
