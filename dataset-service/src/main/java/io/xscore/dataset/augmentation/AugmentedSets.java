package io.xscore.dataset.augmentation;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Every augmented set the store knows, by dataset and key. Its monitor is the store's lock: whoever reads or changes
 * the sets, their epochs or an epoch's state holds it ({@code synchronized (sets)}); only {@link #bytesInUse} takes it
 * itself.
 */
final class AugmentedSets {

    /** {@code dataset + "/" + key} → its epochs. */
    private final Map<String, AugmentedSet> byName = new HashMap<>();

    /** The set of {@code key} in {@code dataset}, or null. */
    AugmentedSet get(String dataset, String key) {
        return byName.get(dataset + "/" + key);
    }

    void add(AugmentedSet set) {
        byName.put(set.name(), set);
    }

    Collection<AugmentedSet> all() {
        return byName.values();
    }

    /** Bytes of READY epochs plus what the running epoch has written so far. */
    synchronized long bytesInUse() {
        long bytes = 0;
        for (AugmentedSet set : byName.values()) {
            for (AugmentedEpoch epoch : set.epochs()) {
                bytes += epoch.bytesInUse();
            }
        }
        return bytes;
    }
}
