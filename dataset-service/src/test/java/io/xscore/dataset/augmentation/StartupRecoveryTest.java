package io.xscore.dataset.augmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xscore.dataset.augmentation.AugmentationStatus.EpochStatus;
import io.xscore.dataset.augmentation.AugmentationStatus.State;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up recovery on a hand-made cache directory: what is adopted, as how recently used, and what is survived. */
class StartupRecoveryTest {

    @TempDir
    Path tmp;

    final AugmentedSets sets = new AugmentedSets();
    final UseClock clock = new UseClock();

    StartupRecovery recovery(Path dir) {
        return new StartupRecovery(dir, new AugmentationLayout(dir), sets, clock);
    }

    static Manifest manifest(ShardEntry... shards) {
        int count = 0;
        for (ShardEntry shard : shards) {
            count += shard.count();
        }
        return new Manifest("ds", "train", count, 16, 16, 3, 2, List.of(0.5), List.of(0.25), List.of(shards), null,
                null, null, "p", "a");
    }

    @Test
    void readyEpochsAreAdoptedAsRecentlyUsedAsTheirDirectoriesSay() throws Exception {
        Path dir = tmp.resolve("aug");
        Manifest source = manifest(new ShardEntry("shard-00000.xsh", 7, 1, "ab"));
        AugmentationKey key = AugmentationKey.of("ds", "train", "paper", "p", 16, 3, source);
        Path keyDir = dir.resolve("ds").resolve(key.key());
        AugmentationLayout.writeKey(keyDir, key);
        Path epochDir = AugmentationLayout.epochDir(keyDir, 4);
        Files.createDirectories(epochDir);
        Files.write(epochDir.resolve("shard-00000.xsh"), new byte[10]);
        Manifest stored = manifest(new ShardEntry("shard-00000.xsh", 7, 10, "cd"));
        Files.write(epochDir.resolve(Preprocessor.MANIFEST), new ObjectMapper().writeValueAsBytes(stored));
        long future = System.currentTimeMillis() + 3_600_000;
        Files.setLastModifiedTime(epochDir, FileTime.fromMillis(future));

        recovery(dir).run();

        AugmentedSet set = sets.get("ds", key.key());
        assertNotNull(set);
        assertEquals(key, set.key());
        AugmentedEpoch epoch = set.epoch(4);
        assertEquals(State.READY, epoch.state());
        assertEquals(stored, epoch.manifest());
        assertEquals(future, epoch.lastUsed());
        long bytes = epoch.bytes();
        assertTrue(bytes >= 10, "shards and manifest: " + bytes);
        assertEquals(List.of(new EpochStatus(4, State.READY, 7, 7, bytes, null)), set.view().epochs());
        assertEquals(bytes, sets.bytesInUse());
        assertTrue(clock.tick() > future, "a use after the restart is more recent than every stored one");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsLoggedNotThrown() throws Exception {
        Path file = Files.write(tmp.resolve("not-a-dir"), new byte[] {1});
        recovery(file.resolve("aug")).run();
        assertEquals(0, sets.bytesInUse());
        assertTrue(sets.all().isEmpty());
    }

    @Test
    void anEmptyOrMissingDirectoryIsCreatedAndHoldsNothing() {
        Path dir = tmp.resolve("fresh").resolve("aug");
        recovery(dir).run();
        assertTrue(Files.isDirectory(dir));
        assertTrue(sets.all().isEmpty());
        assertNull(sets.get("ds", "0123456789abcdef"));
        assertFalse(clock.tick() > System.currentTimeMillis() + 1_000);
    }
}
