package io.xscore.dataset.augmentation;

import io.xscore.dataset.augmentation.AugmentationStatus.State;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The bound on the cache's bytes ({@code xscore.dataset.augmentation.max-bytes}; 0 = none): whether an epoch of an
 * estimated size may be computed, and which READY epochs make room for it, least recently used first
 * ({@link AugmentedEpoch#lastUsed}). The running epoch's shards count but it is never evicted; an epoch larger than
 * the whole bound is refused without evicting anything. Evicted epochs are renamed out of sight here, under the lock,
 * and deleted by the caller outside it.
 */
final class LruByteBudget {

    /** The store's log category, as before the store was split. */
    private static final Logger LOG = Logger.getLogger(AugmentationStore.class);

    /**
     * The decision on one epoch.
     *
     * @param refusal why it may not be computed ("augmentation cache full: ..."), or null when admitted
     * @param evicted the renamed directories of the epochs evicted for it, to delete
     */
    record Admission(String refusal, List<Path> evicted) {
        boolean admitted() {
            return refusal == null;
        }
    }

    private record Candidate(AugmentedSet set, AugmentedEpoch epoch) {
    }

    private final long maxBytes;
    private final AugmentedSets sets;
    private final AugmentationStore.Listener listener;

    LruByteBudget(long maxBytes, AugmentedSets sets, AugmentationStore.Listener listener) {
        this.maxBytes = maxBytes;
        this.sets = sets;
        this.listener = listener;
    }

    /**
     * Makes room for {@code estimate} bytes (caller holds the sets' lock), evicting least recently used READY epochs
     * as needed. An epoch whose directory cannot be renamed is kept (logged) and the next one is tried.
     */
    Admission admit(long estimate) {
        List<Path> evicted = new ArrayList<>();
        if (maxBytes <= 0) {
            return new Admission(null, evicted);
        }
        long inUse = sets.bytesInUse();
        if (inUse + estimate <= maxBytes) {
            return new Admission(null, evicted);
        }
        String full = "augmentation cache full: needs " + estimate + " bytes, " + inUse + " of " + maxBytes
                + " in use (xscore.dataset.augmentation.max-bytes); the trainer augments this epoch on the fly";
        if (estimate > maxBytes) {
            return new Admission(full, evicted);
        }
        List<Candidate> ready = new ArrayList<>();
        for (AugmentedSet set : sets.all()) {
            for (AugmentedEpoch epoch : set.epochs()) {
                if (epoch.state() == State.READY) {
                    ready.add(new Candidate(set, epoch));
                }
            }
        }
        ready.sort(Comparator.comparingLong(c -> c.epoch().lastUsed()));
        for (Candidate candidate : ready) {
            if (inUse + estimate <= maxBytes) {
                break;
            }
            AugmentedSet set = candidate.set();
            AugmentedEpoch epoch = candidate.epoch();
            Path from = set.epochDir(epoch.number());
            Path hidden;
            try {
                hidden = AugmentationLayout.hide(from);
            } catch (IOException e) {
                LOG.warnf("could not evict %s: %s", from, e.getMessage());
                continue;
            }
            set.remove(epoch.number());
            evicted.add(hidden);
            inUse -= epoch.bytes();
            LOG.infof("evicted %s/%s epoch %d (%d bytes, least recently used) to make room for %d bytes",
                    set.key().dataset(), set.key().key(), epoch.number(), epoch.bytes(), estimate);
            listener.evicted(set.key().dataset(), epoch.number(), epoch.bytes());
        }
        return new Admission(inUse + estimate <= maxBytes ? null : full, evicted);
    }
}
