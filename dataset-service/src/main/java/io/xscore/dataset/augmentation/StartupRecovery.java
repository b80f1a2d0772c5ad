package io.xscore.dataset.augmentation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Start-up: takes in what the cache's directory holds. Every consistent key becomes an {@link AugmentedSet} with its
 * READY epochs, each as recently used as its directory's modification time says (and the {@link UseClock} moves past
 * those times); {@link AugmentationLayout#load} deletes leftover partial directories and incomplete epochs. QUEUED and
 * RUNNING epochs lived in memory only: they are requested again. A directory that cannot be created or read is logged,
 * not thrown, so that the rest of the service keeps working and requests fail naming the file they could not write.
 */
final class StartupRecovery {

    /** The store's log category, as before the store was split. */
    private static final Logger LOG = Logger.getLogger(AugmentationStore.class);

    private final Path dir;
    private final AugmentationLayout layout;
    private final AugmentedSets sets;
    private final UseClock clock;

    /**
     * @param dir    the cache's directory, absolute (created when missing)
     * @param layout its layout
     * @param sets   where found sets go; nothing else may use them yet (no lock taken)
     * @param clock  made to run past the stored uses
     */
    StartupRecovery(Path dir, AugmentationLayout layout, AugmentedSets sets, UseClock clock) {
        this.dir = dir;
        this.layout = layout;
        this.sets = sets;
        this.clock = clock;
    }

    void run() {
        try {
            Files.createDirectories(dir);
            layout.load(this::adopt);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("augmentation cache %s unusable at start-up: %s", dir, e.getMessage());
        }
    }

    private void adopt(AugmentationLayout.StoredKey stored) {
        AugmentedSet set = new AugmentedSet(stored.key(), stored.dir());
        for (AugmentationLayout.StoredEpoch found : stored.epochs()) {
            set.put(AugmentedEpoch.recovered(found.number(), found.manifest(), found.bytes(), found.lastUsed()));
            clock.observe(found.lastUsed());
        }
        sets.add(set);
    }
}
