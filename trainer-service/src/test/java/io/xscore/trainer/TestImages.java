package io.xscore.trainer;

import io.xscore.common.shard.ImageShard;
import java.util.Random;

/** Deterministic, easily learnable images: class 0 is bright above and dark below, class 1 the reverse. */
public final class TestImages {

    private TestImages() {
    }

    /** {@code count} RGB images of {@code size}², labels alternating 0/1, in a shard that declares {@code classes}. */
    public static ImageShard twoClasses(int count, int size, int classes, long seed) {
        Random rng = new Random(seed);
        short[] labels = new short[count];
        byte[] pixels = new byte[count * size * size * 3];
        int k = 0;
        for (int i = 0; i < count; i++) {
            labels[i] = (short) (i % 2);
            for (int y = 0; y < size; y++) {
                boolean top = y < size / 2;
                int base = (top == (labels[i] == 0)) ? 200 : 50;
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 3; c++) {
                        pixels[k++] = (byte) Math.max(0, Math.min(255, base + rng.nextInt(61) - 30));
                    }
                }
            }
        }
        return new ImageShard(size, size, 3, classes, labels, pixels);
    }
}
