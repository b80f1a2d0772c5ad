package io.xscore.dataset.preprocess;

/** One shard file of a split as the manifest lists it. */
public record ShardEntry(String name, int count, long bytes, String sha256) {
}
