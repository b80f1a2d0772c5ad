package io.xscore.dataset.augmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.dataset.augmentation.AugmentationStatus.EpochStatus;
import io.xscore.dataset.augmentation.AugmentationStatus.State;
import io.xscore.dataset.preprocess.Manifest;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The epoch state machine: its transitions, what it refuses, and what each state shows and counts. */
class AugmentedEpochTest {

    static Manifest manifest(int count) {
        return new Manifest("ds", "train", count, 16, 16, 3, 10, List.of(0.5), List.of(0.25), List.of(), null, null,
                null, "p", "a");
    }

    @Test
    void aQueuedEpochRunsThenBecomesReadyShowingItsProgressOnTheWay() {
        AugmentedEpoch epoch = AugmentedEpoch.queued(3, 100);
        assertEquals(new EpochStatus(3, State.QUEUED, 0, 100, 0, null), epoch.view());
        assertEquals(0, epoch.bytesInUse());

        epoch.start();
        epoch.imageAugmented();
        epoch.imageAugmented();
        epoch.shardWritten(40);
        epoch.shardWritten(2);
        assertEquals(new EpochStatus(3, State.RUNNING, 2, 100, 42, null), epoch.view());
        assertEquals(42, epoch.bytesInUse(), "a running epoch counts the shards written so far");

        Manifest manifest = manifest(100);
        epoch.ready(manifest, 5_000, 77);
        assertEquals(new EpochStatus(3, State.READY, 100, 100, 5_000, null), epoch.view());
        assertEquals(5_000, epoch.bytesInUse());
        assertSame(manifest, epoch.manifest());
        assertEquals(77, epoch.lastUsed());
        epoch.used(78);
        assertEquals(78, epoch.lastUsed());
    }

    @Test
    void aFailedEpochShowsItsReasonAndProgressButCountsNoBytes() {
        AugmentedEpoch epoch = AugmentedEpoch.queued(0, 10);
        epoch.start();
        epoch.imageAugmented();
        epoch.shardWritten(99);
        epoch.fail("disk full");
        assertEquals(new EpochStatus(0, State.FAILED, 1, 10, 0, "disk full"), epoch.view());
        assertEquals(0, epoch.bytesInUse());

        AugmentedEpoch refused = AugmentedEpoch.queued(1, 10);
        refused.fail("augmentation cache full");
        assertEquals(State.FAILED, refused.state());
        assertEquals("augmentation cache full", refused.error());
    }

    @Test
    void anEpochFoundOnDiskStartsReady() {
        AugmentedEpoch epoch = AugmentedEpoch.recovered(12, manifest(250), 1_234, 1_700_000_000_000L);
        assertEquals(new EpochStatus(12, State.READY, 250, 250, 1_234, null), epoch.view());
        assertEquals(1_700_000_000_000L, epoch.lastUsed());
    }

    @Test
    void illegalTransitionsAreRefusedAndLeaveTheStateAsItWas() {
        record Case(String name, Consumer<AugmentedEpoch> setUp, Consumer<AugmentedEpoch> illegal, State before) {
        }
        Consumer<AugmentedEpoch> running = AugmentedEpoch::start;
        Consumer<AugmentedEpoch> ready = e -> {
            e.start();
            e.ready(manifest(5), 1, 1);
        };
        Consumer<AugmentedEpoch> failed = e -> e.fail("x");
        for (Case c : List.of(
                new Case("QUEUED -> READY (never built)", e -> { }, e -> e.ready(manifest(5), 1, 1), State.QUEUED),
                new Case("RUNNING -> RUNNING", running, AugmentedEpoch::start, State.RUNNING),
                new Case("READY -> RUNNING", ready, AugmentedEpoch::start, State.READY),
                new Case("READY -> READY", ready, e -> e.ready(manifest(5), 2, 2), State.READY),
                new Case("READY -> FAILED (published: stays READY)", ready, e -> e.fail("late"), State.READY),
                new Case("FAILED -> RUNNING (a retry is a new epoch)", failed, AugmentedEpoch::start, State.FAILED),
                new Case("FAILED -> READY", failed, e -> e.ready(manifest(5), 1, 1), State.FAILED),
                new Case("FAILED -> FAILED", failed, e -> e.fail("again"), State.FAILED))) {
            AugmentedEpoch epoch = AugmentedEpoch.queued(4, 5);
            c.setUp().accept(epoch);
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> c.illegal().accept(epoch), c.name());
            assertTrue(refused.getMessage().startsWith("epoch 4 cannot go from " + c.before()), refused.getMessage());
            assertEquals(c.before(), epoch.state(), c.name());
        }
        AugmentedEpoch failedOnce = AugmentedEpoch.queued(0, 1);
        failedOnce.fail("first");
        assertThrows(IllegalStateException.class, () -> failedOnce.fail("second"));
        assertEquals("first", failedOnce.error(), "a refused transition changes nothing");
    }

    @Test
    void theTransitionTableIsExactlyTheDocumentedOne() {
        List<String> allowed = new java.util.ArrayList<>();
        for (State from : State.values()) {
            for (State to : State.values()) {
                if (AugmentedEpoch.allowed(from, to)) {
                    allowed.add(from + "->" + to);
                }
            }
        }
        assertEquals(List.of("QUEUED->RUNNING", "QUEUED->FAILED", "RUNNING->READY", "RUNNING->FAILED"), allowed);
        assertFalse(AugmentedEpoch.allowed(State.FAILED, State.QUEUED));
    }
}
