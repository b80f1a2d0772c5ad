package io.xscore.dataset.format;

import java.util.List;

/**
 * What a layout found: the class names in label order and the files of each split, in a fixed order (the order of
 * the shards). {@code val} is empty except for layouts that carve a validation part out (HAM10000).
 */
public record ImageIndex(List<String> classes, List<ImageEntry> train, List<ImageEntry> test, List<ImageEntry> val) {

    public ImageIndex {
        classes = List.copyOf(classes);
        train = List.copyOf(train);
        test = List.copyOf(test);
        val = List.copyOf(val);
    }

    public ImageIndex(List<String> classes, List<ImageEntry> train, List<ImageEntry> test) {
        this(classes, train, test, List.of());
    }
}
