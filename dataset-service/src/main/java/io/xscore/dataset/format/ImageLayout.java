package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** A native on-disk layout of an image dataset: which files, which labels, which split. */
public interface ImageLayout {

    /** A cheap check (no listing of all files): empty when the layout is found under {@code root}, else why not. */
    Optional<String> missing(Path root);

    /** Lists every image of every split; throws {@link FormatException} naming the file for bad lists/labels. */
    ImageIndex index(Path root) throws IOException;

    /** Short description of the options that change the splits (part of the cache key), e.g. "stratified-seed42". */
    default String variant() {
        return "default";
    }
}
