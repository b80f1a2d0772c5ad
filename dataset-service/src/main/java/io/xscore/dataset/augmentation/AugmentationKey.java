package io.xscore.dataset.augmentation;

import io.xscore.common.hash.Sha256;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.ShardEntry;

/**
 * What one set of augmented epochs is made of, as {@code key.json} next to its epochs records it. {@code key} is the
 * first 16 hex digits of the SHA-256 of {@link #canonical}: format version, dataset, split, augmentation name, the
 * pipeline's description, resolution, seed and {@code sourceSha256} (the content identity of the source split, see
 * {@link #sourceIdentity}). A re-prepared source with other bytes, or a changed pipeline, therefore gets a new key;
 * the model is not part of it (one key serves every model trained with that seed). {@code images} and
 * {@code classes} are the source split's, for the status of epochs not yet computed.
 */
public record AugmentationKey(int version, String key, String dataset, String split, String augmentation,
        String pipeline, int resolution, long seed, String sourceSha256, int images, int classes) {

    public static final int VERSION = 1;

    public static AugmentationKey of(String dataset, String split, String augmentation, String pipeline,
            int resolution, long seed, Manifest source) {
        String sourceSha256 = sourceIdentity(source);
        String key = Sha256.hex(canonical(VERSION, dataset, split, augmentation, pipeline, resolution, seed,
                sourceSha256)).substring(0, 16);
        return new AugmentationKey(VERSION, key, dataset, split, augmentation, pipeline, resolution, seed,
                sourceSha256, source.count(), source.classes());
    }

    /** Whether {@link #key} is the hash of the other fields (a {@code key.json} that was not tampered with). */
    public boolean consistent() {
        return key != null && key.equals(Sha256.hex(canonical(version, dataset, split, augmentation, pipeline,
                resolution, seed, sourceSha256)).substring(0, 16));
    }

    /** One field per line, in a fixed order: what the key hashes. */
    static String canonical(int version, String dataset, String split, String augmentation, String pipeline,
            int resolution, long seed, String sourceSha256) {
        return String.join("\n", "xscore-augmented-epochs", "version=" + version, "dataset=" + dataset,
                "split=" + split, "augmentation=" + augmentation, "pipeline=" + pipeline, "resolution=" + resolution,
                "seed=" + seed, "source=" + sourceSha256);
    }

    /** The content identity of a prepared split: SHA-256 over its shards' SHA-256 hex digests, in order, one a line. */
    public static String sourceIdentity(Manifest source) {
        StringBuilder text = new StringBuilder();
        for (ShardEntry shard : source.shards()) {
            text.append(shard.sha256()).append('\n');
        }
        return Sha256.hex(text.toString());
    }
}
