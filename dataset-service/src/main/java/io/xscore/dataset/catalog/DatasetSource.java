package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetInfo;
import java.io.IOException;
import java.util.Optional;

/** Where the images of one catalog id come from (files in a native format, or a generator). */
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
}
