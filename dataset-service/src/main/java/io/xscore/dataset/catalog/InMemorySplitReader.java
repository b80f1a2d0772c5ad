package io.xscore.dataset.catalog;

import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.format.LabelledImages;
import java.util.List;

/** A split fully decoded into memory. */
public record InMemorySplitReader(LabelledImages images, List<String> classNames) implements SplitReader {

    public InMemorySplitReader(LabelledImages images) {
        this(images, List.of());
    }

    @Override
    public int count() {
        return images.count();
    }

    @Override
    public int height() {
        return images.height();
    }

    @Override
    public int width() {
        return images.width();
    }

    @Override
    public int channels() {
        return images.channels();
    }

    @Override
    public int classes() {
        return images.classes();
    }

    @Override
    public ImageShard slice(int from, int to) {
        return images.slice(from, to);
    }
}
