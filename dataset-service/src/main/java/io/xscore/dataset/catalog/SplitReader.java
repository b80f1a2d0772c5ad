package io.xscore.dataset.catalog;

import io.xscore.common.shard.ImageShard;
import java.io.IOException;

/**
 * Random access to the images of one split at native resolution, in a fixed order, so that any range can be
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

    @Override
    default void close() throws IOException {
    }
}
