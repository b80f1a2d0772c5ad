package io.xscore.dataset.augmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission under the byte bound on real directories: which READY epochs are evicted, in which order, and when an
 * epoch is refused.
 */
class LruByteBudgetTest {

    @TempDir
    Path tmp;

    final AugmentedSets sets = new AugmentedSets();
    /** "dataset/epoch" of each eviction reported, in order. */
    final List<String> evictions = new ArrayList<>();
    final AugmentationStore.Listener listener = new AugmentationStore.Listener() {
        @Override
        public void evicted(String dataset, int epoch, long bytes) {
            evictions.add(dataset + "/" + epoch + ":" + bytes);
        }
    };

    AugmentedSet first;
    AugmentedSet second;

    static AugmentationKey key(String dataset, String key) {
        return new AugmentationKey(AugmentationKey.VERSION, key, dataset, "train", "paper", "p", 16, 0, "sha", 5, 2);
    }

    AugmentedSet set(String dataset, String key) throws IOException {
        AugmentedSet set = new AugmentedSet(key(dataset, key), Files.createDirectories(tmp.resolve(dataset)
                .resolve(key)));
        sets.add(set);
        return set;
    }

    /** A READY epoch of {@code bytes}, last used at {@code lastUsed}, with its directory on disk. */
    AugmentedEpoch ready(AugmentedSet set, int number, long bytes, long lastUsed) throws IOException {
        Files.createDirectories(set.epochDir(number));
        Files.write(set.epochDir(number).resolve("shard-00000.xsh"), new byte[] {1});
        AugmentedEpoch epoch = AugmentedEpoch.recovered(number, AugmentedEpochTest.manifest(5), bytes, lastUsed);
        set.put(epoch);
        return epoch;
    }

    @BeforeEach
    void setUp() throws IOException {
        first = set("a", "0000000000000001");
        second = set("b", "0000000000000002");
        ready(first, 0, 100, 30);
        ready(first, 1, 100, 10);
        ready(second, 0, 100, 20);
    }

    List<Integer> numbers(AugmentedSet set) {
        return set.epochs().stream().map(AugmentedEpoch::number).toList();
    }

    @Test
    void whatFitsIsAdmittedWithoutEvicting() {
        LruByteBudget.Admission admission = new LruByteBudget(400, sets, listener).admit(100);
        assertTrue(admission.admitted());
        assertEquals(List.of(), admission.evicted());
        assertEquals(List.of(), evictions);
        assertEquals(300, sets.bytesInUse());
    }

    @Test
    void noBoundAdmitsAnything() {
        LruByteBudget.Admission admission = new LruByteBudget(0, sets, listener).admit(Long.MAX_VALUE / 2);
        assertTrue(admission.admitted());
        assertEquals(List.of(), evictions);
    }

    @Test
    void theLeastRecentlyUsedEpochsGoFirstAcrossSetsAndOnlyAsManyAsNeeded() {
        // 300 in use + 250 > 350: two epochs of 100 must go, the oldest uses (10, then 20), not the newest (30).
        LruByteBudget.Admission admission = new LruByteBudget(350, sets, listener).admit(250);
        assertTrue(admission.admitted());
        assertEquals(List.of("a/1:100", "b/0:100"), evictions);
        assertEquals(List.of(0), numbers(first));
        assertEquals(List.of(), numbers(second));
        assertEquals(100, sets.bytesInUse());

        // Renamed out of sight, not yet deleted: that is the caller's, outside the lock.
        assertEquals(2, admission.evicted().size());
        assertFalse(Files.exists(first.epochDir(1)));
        assertFalse(Files.exists(second.epochDir(0)));
        assertTrue(Files.exists(first.epochDir(0)));
        for (Path hidden : admission.evicted()) {
            assertTrue(Files.isDirectory(hidden), hidden.toString());
            assertTrue(hidden.getFileName().toString().startsWith("."), hidden.toString());
            assertTrue(hidden.getFileName().toString().endsWith(".partial"), hidden.toString());
        }
    }

    @Test
    void aNewerUseProtectsAnEpoch() {
        first.epoch(1).used(40); // epoch a/1 was the oldest; now b/0 is
        new LruByteBudget(350, sets, listener).admit(150);
        assertEquals(List.of("b/0:100"), evictions);
    }

    @Test
    void anEpochLargerThanTheWholeBoundIsRefusedWithoutEvicting() {
        LruByteBudget.Admission admission = new LruByteBudget(350, sets, listener).admit(351);
        assertFalse(admission.admitted());
        assertEquals("augmentation cache full: needs 351 bytes, 300 of 350 in use "
                + "(xscore.dataset.augmentation.max-bytes); the trainer augments this epoch on the fly",
                admission.refusal());
        assertEquals(List.of(), evictions);
        assertEquals(300, sets.bytesInUse());
    }

    @Test
    void theRunningEpochCountsButIsNeverEvicted() throws IOException {
        AugmentedSet third = set("c", "0000000000000003");
        AugmentedEpoch running = AugmentedEpoch.queued(0, 5);
        running.start();
        running.shardWritten(200);
        third.put(running);
        // 500 in use; every READY epoch goes and 200 + 150 still exceeds 300: refused, the evictions stand.
        LruByteBudget.Admission admission = new LruByteBudget(300, sets, listener).admit(150);
        assertFalse(admission.admitted());
        assertTrue(admission.refusal().contains("needs 150 bytes, 500 of 300 in use"), admission.refusal());
        assertEquals(List.of("a/1:100", "b/0:100", "a/0:100"), evictions);
        assertEquals(List.of(0), numbers(third));
        assertEquals(3, admission.evicted().size());
    }

    @Test
    void anEpochWhoseDirectoryCannotBeRenamedIsKeptAndTheNextOneGoes() throws IOException {
        Files.delete(first.epochDir(1).resolve("shard-00000.xsh"));
        Files.delete(first.epochDir(1)); // the oldest: its rename fails
        LruByteBudget.Admission admission = new LruByteBudget(350, sets, listener).admit(150);
        assertTrue(admission.admitted());
        assertEquals(List.of("b/0:100"), evictions);
        assertEquals(List.of(0, 1), numbers(first));
        assertNull(admission.refusal());
    }
}
