package io.xscore.dataset.catalog;

import java.util.Locale;

/** The two splits every dataset serves. */
public enum Split {
    TRAIN, TEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train} or {@code test}; anything else is a 404 problem. */
    public static Split parse(String dataset, String split) {
        for (Split s : values()) {
            if (s.id().equals(split)) {
                return s;
            }
        }
        throw DatasetException.unknownSplit(dataset, split);
    }
}
