package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    private static final Normalisation HALF = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));

    private static TrainingSetup setup(int epochs, int trainImages, long seed) {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", epochs, "trainSubset", trainImages,
                "testSubset", 64, "resolution", 16));
        ImageSet train = ImageSet.of(List.of(TestImages.twoClasses(trainImages, 16, 2, 11))).subset(trainImages, seed);
        ImageSet test = ImageSet.of(List.of(TestImages.twoClasses(64, 16, 2, 12)));
        return new TrainingSetup("job-" + seed, "convmixer-32-2", "synthetic-shapes", quick, seed, 16, 2, train, test, HALF,
                0);
    }

    @Test
    void learnsATwoClassProblem() {
        List<TrainingListener.EpochStats> epochs = new ArrayList<>();
        long[] started = new long[1];
        TrainingOutcome out = new TrainingLoop().run(setup(6, 256, 5), new TrainingListener() {
            @Override
            public void onStart(long parameterCount, int trainImages, int testImages, int resolution) {
                started[0] = parameterCount;
            }

            @Override
            public void onEpoch(EpochStats stats) {
                epochs.add(stats);
            }
        });
        assertEquals(6, epochs.size());
        assertEquals(out.parameterCount(), started[0]);
        assertEquals(6, out.epochTestAccuracies().size());
        assertEquals(out.epochTestAccuracies().get(5), out.testAccuracy());
        assertTrue(out.testAccuracy() >= 90, "test accuracy " + out.testAccuracy());
        // CutMix keeps the loss noisy: compare the first epoch with the better of the last two
        assertTrue(Math.min(out.trainLosses().get(4), out.trainLosses().get(5)) < out.trainLosses().get(0),
                "loss falls: " + out.trainLosses());
        assertTrue(epochs.get(5).trainAccuracy() > 80, "train accuracy " + epochs.get(5).trainAccuracy());
        assertEquals(256, out.trainImages());
        assertEquals(64, out.testImages());
        assertTrue(out.trainImagesPerSecond() > 0);
    }

    @Test
    void divergingLossFailsTheRun() {
        TrainingSetup base = setup(1, 64, 1);
        ProtocolSpec p = base.protocol();
        ProtocolSpec absurd = new ProtocolSpec(p.name(), p.version(), false, 1, 0, 1e30, 1e30, null, p.batchSize(),
                p.labelSmoothing(), p.cutmixAlpha(), p.adamBeta1(), p.adamBeta2(), p.adamEpsilon(), 0.0,
                p.trainSubset(), p.testSubset(), p.resolution(), "light", p.overrides());
        TrainingSetup setup = new TrainingSetup(base.jobId(), base.model(), base.dataset(), absurd, 1, base.resolution(), base.classes(),
                base.train(), base.test(), base.normalisation(), 0);
        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> new TrainingLoop().run(setup, TrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("training loss became"), e.getMessage());
    }

    @Test
    void aNonZeroWeightDecayIsRefusedNotIgnored() {
        // weightDecay is recorded and must be 0 (the paper's Adam has none): a run never silently drops it
        TrainingSetup base = setup(1, 64, 1);
        ProtocolSpec p = base.protocol();
        ProtocolSpec decayed = new ProtocolSpec(p.name(), p.version(), false, p.epochs(), p.warmupEpochs(), p.lrMax(),
                p.lrMin(), p.lrMaxByModel(), p.batchSize(), p.labelSmoothing(), p.cutmixAlpha(), p.adamBeta1(),
                p.adamBeta2(), p.adamEpsilon(), 1e-4, p.trainSubset(), p.testSubset(), p.resolution(),
                p.augmentation(), p.overrides());
        TrainingSetup setup = new TrainingSetup(base.jobId(), base.model(), base.dataset(), decayed, 1,
                base.resolution(), base.classes(), base.train(), base.test(), base.normalisation(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingLoop().run(setup, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("weightDecay must be 0"), e.getMessage());
    }

    @Test
    void sameSeedReproducesTheLossCurveAndAnotherSeedDoesNot() {
        TrainingOutcome a = new TrainingLoop().run(setup(2, 96, 7), TrainingListener.NONE);
        TrainingOutcome b = new TrainingLoop().run(setup(2, 96, 7), TrainingListener.NONE);
        TrainingOutcome c = new TrainingLoop().run(setup(2, 96, 8), TrainingListener.NONE);
        assertEquals(a.trainLosses(), b.trainLosses());
        assertEquals(a.epochTestAccuracies(), b.epochTestAccuracies());
        assertTrue(!a.trainLosses().equals(c.trainLosses()));
    }
}
