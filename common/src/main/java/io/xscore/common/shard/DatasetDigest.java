package io.xscore.common.shard;

import io.xscore.common.hash.Sha256;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A dataset's content digest: what the dataset service reports as {@code contentDigest} once both splits are
 * prepared, what a job's identity carries ({@code JobIdentity.dataset}) and what a trainer checks the manifests it
 * fetched against. It is the SHA-256 of this canonical text, built from the splits' manifests in the order train,
 * test, with each split's shard checksums in manifest order:
 *
 * <pre>
 * xscore-dataset-content-v1
 * split=train
 * &lt;sha256 of shard 0&gt;
 * &lt;sha256 of shard 1&gt;
 * split=test
 * &lt;sha256 of shard 0&gt;
 * </pre>
 *
 * The shard checksums cover every stored pixel and label and the shards' geometry, so any change of the prepared data
 * (new source files, another split option, another preprocessing) changes the digest; the same data prepared again
 * gives the same digest.
 */
public final class DatasetDigest {

    public static final String VERSION = "xscore-dataset-content-v1";
    /** The splits the digest covers, in this order. */
    public static final List<String> SPLITS = List.of("train", "test");

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private DatasetDigest() {
    }

    /** The canonical text for the shard checksums of each split (keys {@link #SPLITS}; other keys are an error). */
    public static String canonical(Map<String, List<String>> shardSha256BySplit) {
        if (!shardSha256BySplit.keySet().equals(Set.copyOf(SPLITS))) {
            throw new IllegalArgumentException("a content digest covers the splits " + SPLITS + ", got "
                    + shardSha256BySplit.keySet());
        }
        StringBuilder sb = new StringBuilder(VERSION).append('\n');
        for (String split : SPLITS) {
            List<String> shards = shardSha256BySplit.get(split);
            if (shards == null || shards.isEmpty()) {
                throw new IllegalArgumentException("split " + split + " lists no shards");
            }
            sb.append("split=").append(split).append('\n');
            for (String sha : shards) {
                if (sha == null || !HEX64.matcher(sha).matches()) {
                    throw new IllegalArgumentException("split " + split + " has a shard checksum that is not 64 "
                            + "lower-case hex digits: " + sha);
                }
                sb.append(sha).append('\n');
            }
        }
        return sb.toString();
    }

    /** SHA-256 (64 hex digits) of {@link #canonical}. */
    public static String of(Map<String, List<String>> shardSha256BySplit) {
        return Sha256.hex(canonical(shardSha256BySplit));
    }

    /** The digest of a dataset whose train and test splits have these shard checksums. */
    public static String of(List<String> trainShards, List<String> testShards) {
        return of(Map.of("train", trainShards, "test", testShards));
    }
}
