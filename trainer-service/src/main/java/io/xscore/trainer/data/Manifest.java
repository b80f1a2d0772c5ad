package io.xscore.trainer.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A split's manifest as the dataset service serves it ({@code GET /api/v1/datasets/{id}/splits/{split}/manifest}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(String dataset, String split, int count, int height, int width, int channels, int classes,
                       List<Double> mean, List<Double> std, List<Shard> shards) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shard(String name, int count, long bytes, String sha256) {
    }
}
