package io.xscore.common.catalog;

import java.util.List;

/**
 * What the platform knows about a dataset id before any data is read (docs/benchmark.md §2).
 *
 * @param kind       {@code benchmark} (one of the paper's seven), {@code extra} (real data for demos) or
 *                   {@code synthetic}
 * @param proxy      one of the four datasets of the paper's 4-dataset proxy
 * @param resolution training resolution in pixels
 */
public record DatasetInfo(
        String id,
        String name,
        String kind,
        boolean proxy,
        int classes,
        int trainImages,
        int testImages,
        int resolution,
        List<Double> mean,
        List<Double> std) {
}
