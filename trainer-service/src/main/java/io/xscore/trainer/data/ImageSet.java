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
