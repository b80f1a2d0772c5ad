package io.xscore.dataset.augmentation;

import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.preprocess.ShardEntry;
import java.nio.file.Path;
import java.util.Collection;
import java.util.TreeMap;

/**
 * One key's epochs (an "augmented set"): its {@link AugmentationKey}, its directory and its known epochs by number,
 * with the lookups that turn a missing or unfinished epoch into the client's 404 or 409. Guarded by the store's lock
 * (the {@link AugmentedSets} monitor).
 */
final class AugmentedSet {

    private final AugmentationKey key;
    private final Path dir;
    private final TreeMap<Integer, AugmentedEpoch> epochs = new TreeMap<>();

    AugmentedSet(AugmentationKey key, Path dir) {
        this.key = key;
        this.dir = dir;
    }

    AugmentationKey key() {
        return key;
    }

    Path dir() {
        return dir;
    }

    /** {@code dataset/key}, as messages name it. */
    String name() {
        return key.dataset() + "/" + key.key();
    }

    /** The epoch numbered {@code number}, or null when never requested (or evicted). */
    AugmentedEpoch epoch(int number) {
        return epochs.get(number);
    }

    /** Adds {@code epoch}, replacing a previous one of the same number (a FAILED epoch requested again). */
    void put(AugmentedEpoch epoch) {
        epochs.put(epoch.number(), epoch);
    }

    /** Forgets an epoch (evicted). */
    void remove(int number) {
        epochs.remove(number);
    }

    /** The epochs, sorted by number. */
    Collection<AugmentedEpoch> epochs() {
        return epochs.values();
    }

    Path epochDir(int number) {
        return AugmentationLayout.epochDir(dir, number);
    }

    /** The READY epoch {@code number}: 404 when never requested (or evicted), 409 naming its state otherwise. */
    AugmentedEpoch readyEpoch(int number) {
        AugmentedEpoch epoch = epochs.get(number);
        if (epoch == null) {
            throw new DatasetException(404, "unknown-epoch", "Unknown epoch", "epoch " + number
                    + " of augmented set " + name() + " was never requested (or was evicted); POST it to "
                    + "/api/v1/datasets/" + key.dataset() + "/augmented", null);
        }
        return switch (epoch.state()) {
            case READY -> epoch;
            case QUEUED, RUNNING -> throw notReady(number, epoch.state() + " (" + epoch.done() + "/"
                    + epoch.total() + " images done)");
            case FAILED -> throw notReady(number, "FAILED: " + epoch.error());
        };
    }

    /**
     * The file of shard {@code name} of READY epoch {@code number}: 400 when the name leaves the epoch's directory,
     * 404 when the epoch's manifest does not list it. The name's form is the caller's to check first.
     */
    SplitCache.ShardFile shardFile(int number, String name) {
        AugmentedEpoch ready = readyEpoch(number);
        Path epochDir = epochDir(number);
        Path file = epochDir.resolve(name).normalize();
        if (!epochDir.equals(file.getParent())) {
            throw DatasetException.badShardName(name);
        }
        ShardEntry entry = ready.manifest().shards().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new DatasetException(404, "unknown-shard", "Unknown shard", "epoch " + number
                        + " of augmented set " + name() + " has no shard '" + name + "'", null));
        return new SplitCache.ShardFile(file, entry);
    }

    AugmentationStatus view() {
        return new AugmentationStatus(key.key(), key.dataset(), key.split(), key.augmentation(), key.pipeline(),
                key.resolution(), key.seed(), key.sourceSha256(), epochs.values().stream().map(AugmentedEpoch::view)
                        .toList());
    }

    private DatasetException notReady(int epoch, String state) {
        return new DatasetException(409, "epoch-not-ready", "Epoch not ready",
                "epoch " + epoch + " of augmented set " + name() + " is " + state, null);
    }
}
