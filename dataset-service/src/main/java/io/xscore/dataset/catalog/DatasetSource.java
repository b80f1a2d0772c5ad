package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetInfo;
import java.io.IOException;
import java.util.Optional;

/** Where the images of one dataset id come from (files in a native format, or a generator). */
public interface DatasetSource {

    DatasetInfo info();

    default String id() {
        return info().id();
    }

    /**
     * A cheap check (no parsing) of whether the data is there: empty when it can be read, otherwise a
     * human-readable reason naming what is missing.
     */
    Optional<String> missing();

    /**
     * Opens a split. Throws {@link DatasetException} (503) when the data is missing and an {@link IOException}
     * naming the file when it cannot be parsed.
     */
    SplitReader open(Split split) throws IOException;

    /** Side length of the cached images (CIFAR: its native 32 although the catalog trains at 224). */
    default int cacheResolution() {
        return info().resolution();
    }

    /** What the preprocessing does to this split beyond copying (resize geometry, split variant); in the manifest. */
    default String pipeline(Split split) {
        return "native";
    }

    /** Where the data comes from (a directory), part of the cache key so re-registering elsewhere re-prepares. */
    default String location() {
        return "";
    }
}
