package io.xscore.dataset.preprocess;

import java.util.List;

/**
 * A prepared split: what the manifest endpoint returns and what {@code manifest.json} next to the shards holds.
 * {@code mean}/{@code std} are the dataset's normalisation from the catalog.
 */
public record Manifest(
        String dataset,
        String split,
        int count,
        int height,
        int width,
        int channels,
        int classes,
        List<Double> mean,
        List<Double> std,
        List<ShardEntry> shards) {

    public Manifest {
        shards = List.copyOf(shards);
    }
}
