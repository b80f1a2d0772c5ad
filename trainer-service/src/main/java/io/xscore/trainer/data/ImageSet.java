package io.xscore.trainer.data;

import io.xscore.common.protocol.Seeds;
import io.xscore.common.shard.ImageShard;
import java.util.List;
import java.util.Random;

/**
 * Images of one split at their native resolution, 8-bit HWC, as the dataset service serves them: kept compact in
 * memory and turned into float tensors batch by batch (resize, augmentation and normalisation in one pass).
 */
public final class ImageSet {

    private final int height;
    private final int width;
    private final int channels;
    private final List<ImageShard> shards;
    private final int[] shardOf;
    private final int[] indexInShard;
    private final int[] sourceIndex;

    private ImageSet(List<ImageShard> shards, int[] shardOf, int[] indexInShard, int[] sourceIndex) {
        ImageShard first = shards.get(0);
        this.height = first.height();
        this.width = first.width();
        this.channels = first.channels();
        this.shards = shards;
        this.shardOf = shardOf;
        this.indexInShard = indexInShard;
        this.sourceIndex = sourceIndex;
    }

    /** All images of the shards, in order; every shard must have the same geometry. */
    public static ImageSet of(List<ImageShard> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a split needs at least one shard");
        }
        ImageShard first = shards.get(0);
        int total = 0;
        for (ImageShard s : shards) {
            if (s.height() != first.height() || s.width() != first.width() || s.channels() != first.channels()
                    || s.classes() != first.classes()) {
                throw new IllegalArgumentException("shards of one split differ in geometry or classes");
            }
            total += s.count();
        }
        int[] shardOf = new int[total];
        int[] index = new int[total];
        int[] source = new int[total];
        int k = 0;
        for (int s = 0; s < shards.size(); s++) {
            for (int i = 0; i < shards.get(s).count(); i++) {
                shardOf[k] = s;
                source[k] = k;
                index[k++] = i;
            }
        }
        return new ImageSet(List.copyOf(shards), shardOf, index, source);
    }

    /**
     * The first {@code n} images of a shuffle seeded with {@code seed} (all of them, shuffled, when n ≥ size);
     * {@code null} keeps the split as it is.
     */
    public ImageSet subset(Integer n, long seed) {
        if (n == null) {
            return this;
        }
        int[] order = Seeds.permutation(size(), new Random(seed));
        int keep = Math.min(n, order.length);
        int[] so = new int[keep];
        int[] ii = new int[keep];
        int[] src = new int[keep];
        for (int i = 0; i < keep; i++) {
            so[i] = shardOf[order[i]];
            ii[i] = indexInShard[order[i]];
            src[i] = sourceIndex[order[i]];
        }
        return new ImageSet(shards, so, ii, src);
    }

    /**
     * A class-stratified subset of {@code n} images drawn with {@code seed} (the whole set when it has no more than
     * n): each class gets its share of n in proportion to its size, the remainders going to the classes with the
     * largest fractional parts (ties to the lower label), and within a class a seeded shuffle picks which images. The
     * images stay in the set's order, so the subset depends only on (labels, n, seed).
     */
    public ImageSet stratifiedSubset(int n, long seed) {
        if (n <= 0) {
            throw new IllegalArgumentException("a subset needs at least one image, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        java.util.Map<Integer, java.util.List<Integer>> byClass = new java.util.TreeMap<>();
        for (int i = 0; i < size(); i++) {
            byClass.computeIfAbsent(label(i), c -> new java.util.ArrayList<>()).add(i);
        }
        int classes = byClass.size();
        int[] labels = new int[classes];
        int[] quota = new int[classes];
        double[] remainder = new double[classes];
        int k = 0;
        int given = 0;
        for (var e : byClass.entrySet()) {
            double exact = (double) n * e.getValue().size() / size();
            labels[k] = e.getKey();
            quota[k] = (int) Math.floor(exact);
            remainder[k] = exact - quota[k];
            given += quota[k++];
        }
        Integer[] byRemainder = new Integer[classes];
        for (int c = 0; c < classes; c++) {
            byRemainder[c] = c;
        }
        java.util.Arrays.sort(byRemainder, (a, b) -> remainder[a] != remainder[b]
                ? Double.compare(remainder[b], remainder[a]) : Integer.compare(labels[a], labels[b]));
        for (int r = 0; given < n; r++, given++) {
            quota[byRemainder[r % classes]]++;
        }
        boolean[] keep = new boolean[size()];
        for (int c = 0; c < classes; c++) {
            java.util.List<Integer> members = byClass.get(labels[c]);
            int[] order = Seeds.permutation(members.size(), new Random(Seeds.derive(seed, labels[c])));
            for (int j = 0; j < quota[c]; j++) {
                keep[members.get(order[j])] = true;
            }
        }
        int[] so = new int[n];
        int[] ii = new int[n];
        int[] src = new int[n];
        int m = 0;
        for (int i = 0; i < size(); i++) {
            if (keep[i]) {
                so[m] = shardOf[i];
                ii[m] = indexInShard[i];
                src[m++] = sourceIndex[i];
            }
        }
        return new ImageSet(shards, so, ii, src);
    }

    /**
     * Image {@code i}'s index in the full split as the dataset service lists it (= i unless this is a subset): what
     * seeds its augmentation and locates it in a pre-computed augmented epoch.
     */
    public int sourceIndex(int i) {
        return sourceIndex[i];
    }

    /** Size of the full split this set was drawn from. */
    public int sourceSize() {
        int n = 0;
        for (ImageShard s : shards) {
            n += s.count();
        }
        return n;
    }

    public int size() {
        return shardOf.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }


    public int label(int i) {
        return shards.get(shardOf[i]).labels()[indexInShard[i]];
    }

    public byte[] pixels(int i) {
        return shards.get(shardOf[i]).pixels();
    }

    public int pixelOffset(int i) {
        return indexInShard[i] * height * width * channels;
    }
}
