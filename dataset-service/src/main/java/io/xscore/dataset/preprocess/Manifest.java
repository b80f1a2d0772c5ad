package io.xscore.dataset.preprocess;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A prepared split: what the manifest endpoint returns and what {@code manifest.json} next to the shards holds.
 * {@code mean}/{@code std} are the dataset's normalisation from the catalog (what the trainer uses);
 * {@code computedMean}/{@code computedStd} are measured over this split's stored pixels (per channel, on the 0..1
 * scale); {@code pipeline} says how the pixels were produced (preprocessing version, split variant, resize
 * geometry) and {@code augmentation} which augmentation is baked into the shards ({@code none}: the trainer augments
 * online). Fields after {@code shards} were added compatibly (clients ignore unknown fields).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        List<ShardEntry> shards,
        List<String> classNames,
        List<Double> computedMean,
        List<Double> computedStd,
        String pipeline,
        String augmentation) {

    public Manifest {
        shards = List.copyOf(shards);
    }
}
