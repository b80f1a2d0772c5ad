package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.synthetic.ImageGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A generated dataset: {@code resolution x resolution} RGB images, counts from the catalog, exactly balanced
 * classes in a shuffled order. Every image has its own seed derived from (dataset id, split, index), so the bytes
 * are the same on every run and any range can be generated independently (and in parallel).
 */
public record SyntheticSource(DatasetInfo info, ImageGenerator generator) implements DatasetSource {

    public SyntheticSource {
        if (generator.classes() != info.classes()) {
            throw new IllegalArgumentException(info.id() + ": generator draws " + generator.classes()
                    + " classes, catalog says " + info.classes());
        }
    }

    @Override
    public Optional<String> missing() {
        return Optional.empty();
    }

    @Override
    public SplitReader open(Split split) {
        int count = split == Split.TRAIN ? info.trainImages() : info.testImages();
        long seed = fnv1a64(info.id() + "/" + split.id());
        return new Reader(count, info.resolution(), info.classes(), seed, labels(count, info.classes(), seed));
    }

    private static short[] labels(int count, int classes, long seed) {
        short[] labels = new short[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (short) (i % classes);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            short tmp = labels[i];
            labels[i] = labels[j];
            labels[j] = tmp;
        }
        return labels;
    }

    private final class Reader implements SplitReader {
        private final int count;
        private final int size;
        private final int classes;
        private final long seed;
        private final short[] labels;

        Reader(int count, int size, int classes, long seed, short[] labels) {
            this.count = count;
            this.size = size;
            this.classes = classes;
            this.seed = seed;
            this.labels = labels;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public int height() {
            return size;
        }

        @Override
        public int width() {
            return size;
        }

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public ImageShard slice(int from, int to) {
            int imageBytes = size * size * 3;
            byte[] pixels = new byte[(to - from) * imageBytes];
            short[] sliceLabels = java.util.Arrays.copyOfRange(labels, from, to);
            IntStream.range(from, to).parallel().forEach(i -> generator.render(labels[i],
                    new SplittableRandom(mix64(seed ^ (0x9E3779B97F4A7C15L * (i + 1)))), size, pixels,
                    (i - from) * imageBytes));
            return new ImageShard(size, size, 3, classes, sliceLabels, pixels);
        }
    }

    /** Stable 64-bit hash of a string (FNV-1a over its UTF-8 bytes). */
    static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** MurmurHash3's 64-bit finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb34f0f7ec4bdL;
        return z ^ (z >>> 33);
    }
}
