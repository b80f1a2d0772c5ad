package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetInfo;
import java.util.Optional;

/** A catalog id whose loader does not exist yet: listed, never served. */
public record UnavailableSource(DatasetInfo info, String reason) implements DatasetSource {

    @Override
    public Optional<String> missing() {
        return Optional.of(reason);
    }

    @Override
    public SplitReader open(Split split) {
        throw DatasetException.missingData(info.id(), reason);
    }
}
