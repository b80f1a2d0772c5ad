package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.data.AugmentedEpochs;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful stops and hard kills inside an epoch: the run continued by a new {@link TrainingLoop} from the checkpoint
 * ends with exactly the losses, accuracies, parameters and optimiser state of an uninterrupted run.
 */
class ResumeWithinEpochTest {

    private static final Normalisation HALF = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));
    private static final String JOB = "resume-within-epoch";

    /**
     * 3 epochs, the paper pipeline of {@code dataset} (cifar100: RandAugment, ColorJitter, RandomErasing p 0.25), CutMix
     * with label smoothing on every batch, batches of 32 (150 images: 5 steps, the last one of 22 images).
     */
    private static TrainingSetup setup(String model, String dataset, int images, int resolution) {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", 3, "trainSubset", images, "testSubset", 32,
                "resolution", resolution));
        ProtocolSpec p = new ProtocolSpec(quick.name(), quick.version(), false, quick.epochs(), 1, quick.lrMax(),
                quick.lrMin(), null, quick.batchSize(), quick.labelSmoothing(), quick.cutmixAlpha(),
                quick.adamBeta1(), quick.adamBeta2(), quick.adamEpsilon(), 0.0, quick.trainSubset(),
                quick.testSubset(), quick.resolution(), "paper", quick.overrides());
        ImageSet train = ImageSet.of(List.of(TestImages.twoClasses(images, resolution, 2, 31)));
        ImageSet test = ImageSet.of(List.of(TestImages.twoClasses(32, resolution, 2, 32)));
        return new TrainingSetup(JOB, model, dataset, p, 9, resolution, 2, train, test, HALF, 0);
    }

    private static final class Kill extends Error {
    }

    /** Counts optimiser steps over the run's processes; calls {@code at} with the 1-based global step. */
    private static TrainingListener onStep(AtomicInteger steps, java.util.function.IntConsumer at) {
        return new TrainingListener() {
            @Override
            public void onStep(double seconds) {
                at.accept(steps.incrementAndGet());
            }
        };
    }

    /** Same losses, accuracies, final parameters (weights and BatchNorm statistics) and Adam state, bit for bit. */
    private static void assertSameRun(TrainingOutcome straight, CheckpointStore straightStore, TrainingOutcome resumed,
                                      CheckpointStore resumedStore) {
        assertEquals(3, straight.trainLosses().size());
        for (int e = 0; e < 3; e++) {
            assertEquals(straight.trainLosses().get(e), resumed.trainLosses().get(e), "train loss of epoch " + e);
            assertEquals(straight.trainAccuracies().get(e), resumed.trainAccuracies().get(e),
                    "train accuracy of epoch " + e);
            assertEquals(straight.epochTestAccuracies().get(e), resumed.epochTestAccuracies().get(e),
                    "test accuracy of epoch " + e);
        }
        assertEquals(straight.testAccuracy(), resumed.testAccuracy());
        assertEquals(straight.finalTrainLoss(), resumed.finalTrainLoss());
        Checkpoint a = straightStore.load(JOB).orElseThrow();
        Checkpoint b = resumedStore.load(JOB).orElseThrow();
        assertEquals(3, a.epochsDone());
        assertEquals(3, b.epochsDone());
        assertEquals(0, b.batch());
        assertEquals(a.trainLosses(), b.trainLosses());
        assertEquals(a.trainAccuracies(), b.trainAccuracies());
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        a.parameters().forEach((k, v) -> assertArrayEquals(v, b.parameters().get(k), k));
        assertEquals(a.optimizer().step(), b.optimizer().step());
        a.optimizer().m().forEach((k, v) -> assertArrayEquals(v, b.optimizer().m().get(k), "m " + k));
        a.optimizer().v().forEach((k, v) -> assertArrayEquals(v, b.optimizer().v().get(k), "v " + k));
    }

    @Test
    void stopInTheMiddleOfEpochTwoThenANewLoopEndsExactlyAsAStraightRun(@TempDir Path dir) {
        TrainingSetup setup = setup("convmixer-16-1", "cifar100", 150, 16);
        assertTrue(pipeline(setup).contains("RandomErasing"), pipeline(setup));
        CheckpointStore straightStore = new CheckpointStore(dir.resolve("straight"));
        TrainingOutcome straight = new TrainingLoop(2).run(setup, TrainingListener.NONE, straightStore);

        // first trainer: stopped after the 2nd batch of epoch 2 (global step 5 + 2)
        CheckpointStore store = new CheckpointStore(dir.resolve("stopped"));
        StopRequest stop = new StopRequest();
        AtomicInteger steps = new AtomicInteger();
        TrainingSuspendedException first = assertThrows(TrainingSuspendedException.class,
                () -> new TrainingLoop().run(setup, onStep(steps, s -> {
                    if (s == 7) {
                        stop.request();
                    }
                }), store, stop));
        assertEquals(1, first.epoch());
        assertEquals(2, first.batch());
        assertEquals(7, steps.get(), "the batch in progress is finished, no further one started");
        Checkpoint written = store.load(JOB).orElseThrow();
        assertEquals(1, written.epoch());
        assertEquals(2, written.batch());
        assertEquals(1, written.epochsDone());
        assertEquals(64, written.state().epochImages());
        assertEquals(straight.trainLosses().get(0), written.trainLosses().get(0));

        // second trainer: continues at epoch 2, batch 2, and is stopped after that epoch's last batch (22 images),
        // before its test evaluation
        StopRequest stop2 = new StopRequest();
        List<int[]> resumedAt = new ArrayList<>();
        TrainingSuspendedException second = assertThrows(TrainingSuspendedException.class,
                () -> new TrainingLoop(1).run(setup, new TrainingListener() {
                    @Override
                    public void onResume(int epoch, int batch) {
                        resumedAt.add(new int[] {epoch, batch});
                    }

                    @Override
                    public void onStep(double seconds) {
                        if (steps.incrementAndGet() == 10) {
                            stop2.request();
                        }
                    }
                }, store, stop2));
        assertEquals(1, second.epoch());
        assertEquals(5, second.batch(), "every batch of the epoch done, evaluation pending");
        assertArrayEquals(new int[] {1, 2}, resumedAt.get(0));
        Checkpoint atEnd = store.load(JOB).orElseThrow();
        assertEquals(150, atEnd.state().epochImages());
        assertEquals(1, atEnd.epochsDone());

        // third trainer: evaluates epoch 2 and trains epoch 3
        List<TrainingListener.EpochStats> epochs = new ArrayList<>();
        TrainingOutcome resumed = new TrainingLoop().run(setup, new TrainingListener() {
            @Override
            public void onResume(int epoch, int batch) {
                resumedAt.add(new int[] {epoch, batch});
            }

            @Override
            public void onStep(double seconds) {
                steps.incrementAndGet();
            }

            @Override
            public void onEpoch(EpochStats stats) {
                epochs.add(stats);
            }
        }, store, new StopRequest());
        assertArrayEquals(new int[] {1, 5}, resumedAt.get(1));
        assertEquals(15, steps.get(), "every batch trained exactly once over the three trainers");
        assertEquals(1, resumed.resumedFromEpoch());
        assertEquals("epoch 2, batch 5", resumed.resumedAt());
        assertNull(straight.resumedAt());
        assertEquals(List.of(2, 3), epochs.stream().map(TrainingListener.EpochStats::epoch).toList());
        assertEquals(straight.trainLosses().get(1), epochs.get(0).trainLoss(), "the interrupted epoch's loss");
        assertTrue(resumed.wallSeconds() > atEnd.wallSeconds(), "wall time accumulates over the trainers");
        assertSameRun(straight, straightStore, resumed, store);
    }

    private static String pipeline(TrainingSetup setup) {
        return io.xscore.augment.Augmentation.forJob(setup.protocol().augmentation(), setup.dataset()).description();
    }

    /** MobileNetV2 has dropout (0.2) before its classifier: PyTorch's generator must be reproduced too. */
    @Test
    void stopAndResumeIsExactWithDropout(@TempDir Path dir) {
        TrainingSetup setup = setup("mobilenet", "synthetic-shapes", 96, 32);
        CheckpointStore straightStore = new CheckpointStore(dir.resolve("straight"));
        TrainingOutcome straight = new TrainingLoop().run(setup, TrainingListener.NONE, straightStore);

        CheckpointStore store = new CheckpointStore(dir.resolve("stopped"));
        StopRequest stop = new StopRequest();
        AtomicInteger steps = new AtomicInteger();
        TrainingSuspendedException e = assertThrows(TrainingSuspendedException.class,
                () -> new TrainingLoop().run(setup, onStep(steps, s -> {
                    if (s == 4) {
                        stop.request();
                    }
                }), store, stop));
        assertEquals(1, e.epoch());
        assertEquals(1, e.batch());
        TrainingOutcome resumed = new TrainingLoop().run(setup, TrainingListener.NONE, store, new StopRequest());
        assertSameRun(straight, straightStore, resumed, store);
    }

    /**
     * A trainer killed hard (here: an Error thrown out of the loop at a batch) loses only the batches after its last
     * periodic checkpoint; the next one continues from that checkpoint. ConvNeXt has stochastic depth (DropPath 0.1).
     */
    @Test
    void hardKillResumesFromTheLastPeriodicCheckpointExactly(@TempDir Path dir) {
        TrainingSetup setup = setup("convnext", "synthetic-shapes", 96, 32);
        CheckpointStore straightStore = new CheckpointStore(dir.resolve("straight"));
        TrainingOutcome straight = new TrainingLoop().run(setup, TrainingListener.NONE, straightStore);

        CheckpointStore store = new CheckpointStore(dir.resolve("killed"));
        List<int[]> periodic = new ArrayList<>();
        AtomicInteger steps = new AtomicInteger();
        // an interval of 1 ns: a checkpoint after every batch (written after the batch's onStep)
        assertThrows(Kill.class, () -> new TrainingLoop(0, AugmentedEpochs.none("off"), Duration.ofNanos(1))
                .run(setup, new TrainingListener() {
                    @Override
                    public void onStep(double seconds) {
                        if (steps.incrementAndGet() == 6) {
                            throw new Kill(); // epoch 2, batch 3 trained, its checkpoint not yet written
                        }
                    }

                    @Override
                    public void onBatchCheckpoint(int epoch, int batch) {
                        periodic.add(new int[] {epoch, batch});
                    }
                }, store, new StopRequest()));
        assertEquals(List.of("0/1", "0/2", "0/3", "1/1", "1/2"),
                periodic.stream().map(p -> p[0] + "/" + p[1]).toList());
        Checkpoint last = store.load(JOB).orElseThrow();
        assertEquals(1, last.epoch());
        assertEquals(2, last.batch(), "the killed trainer's last checkpoint");

        TrainingOutcome resumed = new TrainingLoop(0, AugmentedEpochs.none("off"), Duration.ZERO)
                .run(setup, TrainingListener.NONE, store, new StopRequest());
        assertEquals("epoch 2, batch 2", resumed.resumedAt());
        assertSameRun(straight, straightStore, resumed, store);
    }

    @Test
    void aStopAfterAnEpochsCheckpointSuspendsAtTheNextEpochAndWithoutAStoreOnlySuspends(@TempDir Path dir) {
        TrainingSetup setup = setup("convmixer-16-1", "synthetic-shapes", 64, 16);
        CheckpointStore straightStore = new CheckpointStore(dir.resolve("straight"));
        TrainingOutcome straight = new TrainingLoop().run(setup, TrainingListener.NONE, straightStore);

        CheckpointStore store = new CheckpointStore(dir.resolve("stopped"));
        StopRequest stop = new StopRequest();
        TrainingSuspendedException e = assertThrows(TrainingSuspendedException.class,
                () -> new TrainingLoop().run(setup, new TrainingListener() {
                    @Override
                    public void onCheckpoint(int epochsDone) {
                        if (epochsDone == 1) {
                            stop.request();
                        }
                    }
                }, store, stop));
        assertEquals(1, e.epoch());
        assertEquals(0, e.batch());
        assertEquals(1, store.load(JOB).orElseThrow().epochsDone());
        assertEquals(0, store.load(JOB).orElseThrow().batch());
        TrainingOutcome resumed = new TrainingLoop().run(setup, TrainingListener.NONE, store, new StopRequest());
        assertEquals("epoch 2, batch 0", resumed.resumedAt());
        assertSameRun(straight, straightStore, resumed, store);

        // no store: the run stops all the same, nothing is written
        StopRequest early = new StopRequest();
        early.request();
        TrainingSuspendedException noStore = assertThrows(TrainingSuspendedException.class,
                () -> new TrainingLoop().run(setup, TrainingListener.NONE, null, early));
        assertEquals(0, noStore.epoch());
        assertEquals(1, noStore.batch());

        // a stop that arrives after the last epoch does not suspend: the run is complete
        StopRequest late = new StopRequest();
        TrainingOutcome complete = new TrainingLoop().run(setup, new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats) {
                if (stats.epoch() == 3) {
                    late.request();
                }
            }
        }, new CheckpointStore(dir.resolve("late")), late);
        assertEquals(straight.trainLosses(), complete.trainLosses());
    }

    @Test
    void aStopDuringTheEvaluationAbandonsItAndTheNextTrainerRepeatsIt(@TempDir Path dir) {
        TrainingSetup setup = setup("convmixer-16-1", "synthetic-shapes", 64, 16);
        CheckpointStore straightStore = new CheckpointStore(dir.resolve("straight"));
        TrainingOutcome straight = new TrainingLoop().run(setup, TrainingListener.NONE, straightStore);

        CheckpointStore store = new CheckpointStore(dir.resolve("stopped"));
        StopRequest stop = new StopRequest();
        AtomicInteger steps = new AtomicInteger();
        boolean[] armed = {false};
        List<Integer> epochsEvaluated = new ArrayList<>();
        TrainingSuspendedException e = assertThrows(TrainingSuspendedException.class,
                () -> new TrainingLoop().run(setup, new TrainingListener() {
                    @Override
                    public void onStep(double seconds) {
                        armed[0] = steps.incrementAndGet() == 4; // the last batch of epoch 2
                    }

                    @Override
                    public String cancellation() {
                        if (armed[0]) {
                            stop.request(); // polled next before the first evaluation batch of epoch 2
                        }
                        return null;
                    }

                    @Override
                    public void onEpoch(EpochStats stats) {
                        epochsEvaluated.add(stats.epoch());
                    }
                }, store, stop));
        assertEquals(1, e.epoch());
        assertEquals(2, e.batch());
        assertEquals(List.of(1), epochsEvaluated, "epoch 2's evaluation was abandoned");
        Checkpoint c = store.load(JOB).orElseThrow();
        assertEquals(1, c.epochsDone());
        assertEquals(2, c.batch());
        TrainingOutcome resumed = new TrainingLoop().run(setup, TrainingListener.NONE, store, new StopRequest());
        assertEquals("epoch 2, batch 2", resumed.resumedAt());
        assertSameRun(straight, straightStore, resumed, store);
    }

    @Test
    void damagedCheckpointsAreIgnoredWithAWarningNotACrash(@TempDir Path dir) throws IOException {
        TrainingSetup setup = setup("convmixer-16-1", "synthetic-shapes", 64, 16);
        CheckpointStore store = new CheckpointStore(dir);
        StopRequest stop = new StopRequest();
        AtomicInteger steps = new AtomicInteger();
        assertThrows(TrainingSuspendedException.class, () -> new TrainingLoop().run(setup, onStep(steps, s -> {
            if (s == 3) {
                stop.request();
            }
        }), store, stop));
        Path file = store.fileOf(JOB);
        byte[] good = Files.readAllBytes(file);
        assertTrue(store.load(JOB).isPresent());

        TrainingOutcome reference = null;
        for (byte[] damaged : List.of(Arrays.copyOf(good, good.length / 2), Arrays.copyOf(good, 10), new byte[0],
                "not a checkpoint at all, just some text of a reasonable length".getBytes())) {
            Files.write(file, damaged);
            assertFalse(store.load(JOB).isPresent(), damaged.length + " bytes");
            List<Integer> resumes = new ArrayList<>();
            TrainingOutcome fresh = new TrainingLoop().run(setup, new TrainingListener() {
                @Override
                public void onResume(int epochsDone) {
                    resumes.add(epochsDone);
                }
            }, store, new StopRequest());
            assertEquals(List.of(), resumes, "starts from scratch");
            assertEquals(0, fresh.resumedFromEpoch());
            assertNull(fresh.resumedAt());
            assertEquals(3, store.load(JOB).orElseThrow().epochsDone(), "a new, valid checkpoint replaces it");
            if (reference != null) {
                assertEquals(reference.trainLosses(), fresh.trainLosses());
            }
            reference = fresh;
        }
    }
}
