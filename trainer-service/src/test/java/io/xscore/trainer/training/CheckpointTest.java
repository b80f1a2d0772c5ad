package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files, and a run resumed after a crash ending exactly where a straight run ends. */
class CheckpointTest {

    private static final Normalisation HALF = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));

    /** Tiny model, paper augmentation pipeline (cifar-style for synthetic-shapes), 3 epochs. */
    private static TrainingSetup setup(String augmentation) {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", 3, "trainSubset", 96, "testSubset", 32,
                "resolution", 16));
        ProtocolSpec p = new ProtocolSpec(quick.name(), quick.version(), false, quick.epochs(), 1, quick.lrMax(),
                quick.lrMin(), null, quick.batchSize(), quick.labelSmoothing(), quick.cutmixAlpha(),
                quick.adamBeta1(), quick.adamBeta2(), quick.adamEpsilon(), 0.0, quick.trainSubset(),
                quick.testSubset(), quick.resolution(), augmentation, quick.overrides());
        ImageSet train = ImageSet.of(List.of(TestImages.twoClasses(96, 16, 2, 21)));
        ImageSet test = ImageSet.of(List.of(TestImages.twoClasses(32, 16, 2, 22)));
        return new TrainingSetup("resume-job", "convmixer-16-1", "synthetic-shapes", p, 5, 16, 2, train, test, HALF, 0);
    }

    private static final class Crash extends RuntimeException {
    }

    @Test
    void resumeEqualsStraightRun(@TempDir Path dir) {
        TrainingSetup setup = setup("paper");
        CheckpointStore straightStore = new CheckpointStore(dir.resolve("straight"));
        // the straight run builds batches on 2 prefetching threads, the crashed and resumed ones on the training thread
        TrainingOutcome straight = new TrainingLoop(2).run(setup, TrainingListener.NONE, straightStore);

        CheckpointStore crashStore = new CheckpointStore(dir.resolve("crashed"));
        assertThrows(Crash.class, () -> new TrainingLoop().run(setup, new TrainingListener() {
            @Override
            public void onCheckpoint(int epochsDone) {
                throw new Crash(); // the pod dies right after the first epoch's checkpoint
            }
        }, crashStore));
        assertEquals(1, crashStore.load("resume-job").orElseThrow().epochsDone());
        int[] resumedAt = {-1};
        TrainingOutcome resumed = new TrainingLoop().run(setup, new TrainingListener() {
            @Override
            public void onResume(int epochsDone) {
                resumedAt[0] = epochsDone;
            }
        }, crashStore);

        assertEquals(1, resumedAt[0]);
        assertEquals(1, resumed.resumedFromEpoch());
        assertEquals(0, straight.resumedFromEpoch());
        assertEquals(straight.trainLosses(), resumed.trainLosses());
        assertEquals(straight.epochTestAccuracies(), resumed.epochTestAccuracies());
        assertEquals(straight.testAccuracy(), resumed.testAccuracy());
        Checkpoint a = straightStore.load("resume-job").orElseThrow();
        Checkpoint b = crashStore.load("resume-job").orElseThrow();
        assertEquals(3, a.epochsDone());
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        assertTrue(a.parameters().keySet().stream().anyMatch(k -> k.contains("running")),
                "BatchNorm statistics are saved too: " + a.parameters().keySet());
        a.parameters().forEach((k, v) -> assertArrayEquals(v, b.parameters().get(k), k));
        assertEquals(a.optimizer().step(), b.optimizer().step());
        a.optimizer().m().forEach((k, v) -> assertArrayEquals(v, b.optimizer().m().get(k), k));
        a.optimizer().v().forEach((k, v) -> assertArrayEquals(v, b.optimizer().v().get(k), k));
    }

    @Test
    void roundTripIncludingOptimizerStateAndAtomicReplacement(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        Checkpoint c = new Checkpoint("job/with odd:chars", "fp", 2,
                Map.of("w", new float[] {1.5f, -2f, Float.MIN_VALUE}, "bn_runningMean", new float[] {0.25f}),
                new Adam.State(17, Map.of("w", new float[] {0.1f, 0.2f, 0.3f}), Map.of("w", new float[] {1e-8f, 2, 3})),
                List.of(2.3, 1.9), List.of(10.0, 20.0), List.of(50.0, 62.5), 12.5, 192, 14.0, 15.5);
        store.save(c);
        Checkpoint r = store.load("job/with odd:chars").orElseThrow();
        assertEquals("fp", r.fingerprint());
        assertEquals(2, r.epochsDone());
        assertArrayEquals(c.parameters().get("w"), r.parameters().get("w"));
        assertArrayEquals(c.parameters().get("bn_runningMean"), r.parameters().get("bn_runningMean"));
        assertEquals(17, r.optimizer().step());
        assertArrayEquals(c.optimizer().m().get("w"), r.optimizer().m().get("w"));
        assertArrayEquals(c.optimizer().v().get("w"), r.optimizer().v().get("w"));
        assertEquals(List.of(2.3, 1.9), r.trainLosses());
        assertEquals(List.of(50.0, 62.5), r.testAccuracies());
        assertEquals(192, r.trainImagesSeen());
        assertEquals(15.5, r.wallSeconds());
        try (var files = Files.list(dir)) {
            // besides the checkpoint only the job's lock file (serialises writers of the job across processes)
            assertEquals(List.of(store.fileOf("job/with odd:chars")),
                    files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList(),
                    "no temporary file is left");
        }
        assertEquals(Optional.empty(), store.load("another job"));

        // a damaged file is ignored (the job starts over) rather than trusted
        byte[] bytes = Files.readAllBytes(store.fileOf("job/with odd:chars"));
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(store.fileOf("job/with odd:chars"), bytes);
        assertEquals(Optional.empty(), store.load("job/with odd:chars"));
        assertTrue(store.delete("job/with odd:chars"));
        assertFalse(store.delete("job/with odd:chars"));
    }

    @Test
    void aCheckpointOfAnotherSetupIsIgnored(@TempDir Path dir) {
        TrainingSetup light = setup("light");
        CheckpointStore store = new CheckpointStore(dir);
        assertThrows(Crash.class, () -> new TrainingLoop().run(light, new TrainingListener() {
            @Override
            public void onCheckpoint(int epochsDone) {
                throw new Crash();
            }
        }, store));
        // same job id, other augmentation: a different resolved protocol, so no resume
        TrainingOutcome other = new TrainingLoop().run(setup("paper"), TrainingListener.NONE, store);
        assertEquals(0, other.resumedFromEpoch());
        assertEquals(3, other.trainLosses().size());
    }
}
