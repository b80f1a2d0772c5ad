package io.xscore.dataset.catalog;

import io.xscore.common.shard.ImageShard;
import java.io.IOException;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Random access to the images of one split at cache resolution, in a fixed order, so that any range can be
 * (re)produced on its own: a restart regenerates only the shards that are missing.
 */
public interface SplitReader extends AutoCloseable {

    int count();

    int height();

    int width();

    int channels();

    int classes();

    /** Images {@code [from, to)} with their labels. */
    ImageShard slice(int from, int to) throws IOException;

    /** Like {@link #slice(int, int)}, reporting each finished image (or batch of images) to {@code progress}. */
    default ImageShard slice(int from, int to, IntConsumer progress) throws IOException {
        ImageShard shard = slice(from, to);
        progress.accept(to - from);
        return shard;
    }

    /** Class names in label order when the format has them, else empty. */
    default List<String> classNames() {
        return List.of();
    }

    @Override
    default void close() throws IOException {
    }
}
