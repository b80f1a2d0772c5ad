package io.xscore.dataset.format;

import java.nio.file.Path;

/** One image file of a dataset and its class index. */
public record ImageEntry(Path file, int label) {
}
