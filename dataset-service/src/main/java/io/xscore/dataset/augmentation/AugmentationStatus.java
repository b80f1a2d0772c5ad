package io.xscore.dataset.augmentation;

import java.util.List;

/**
 * The answer of {@code POST/GET /api/v1/datasets/{id}/augmented[/{key}]}: the key's description and every epoch known
 * for it, sorted by epoch.
 */
public record AugmentationStatus(String key, String dataset, String split, String augmentation, String pipeline,
        int resolution, long seed, String sourceSha256, List<EpochStatus> epochs) {

    /** An epoch's state: QUEUED | RUNNING | READY | FAILED. */
    public enum State { QUEUED, RUNNING, READY, FAILED }

    /**
     * One epoch: images augmented so far / in the epoch, bytes on disk (READY: the whole epoch; RUNNING: the shards
     * written so far) and, when FAILED, why.
     */
    public record EpochStatus(int epoch, State state, int imagesDone, int imagesTotal, long bytes, String error) {
    }

    public AugmentationStatus {
        epochs = List.copyOf(epochs);
    }
}
