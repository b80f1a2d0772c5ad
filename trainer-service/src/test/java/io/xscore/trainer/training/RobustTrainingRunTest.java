package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Robust protocols through the whole training loop (ConvMixer-32/2, 16 px, the two-class TestImages). */
class RobustTrainingRunTest {

    private static final Normalisation HALF = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));

    private static TrainingSetup setup(String protocol, long seed) {
        ProtocolSpec p = Protocols.resolve(protocol, Map.of("epochs", 2, "warmupEpochs", 1, "trainSubset", 32,
                "testSubset", 32, "resolution", 16));
        ImageSet train = ImageSet.of(List.of(TestImages.twoClasses(32, 16, 2, 11))).subset(32, seed);
        ImageSet test = ImageSet.of(List.of(TestImages.twoClasses(32, 16, 2, 12)));
        return new TrainingSetup("job-" + protocol + "-" + seed, "convmixer-32-2", "synthetic-shapes", p, seed, 16, 2,
                train, test, HALF, 0);
    }

    /**
     * A TRADES run (original form: KL inner attack with a seeded Gaussian start) replays exactly, spends time in the
     * attack, and trains differently from the same run without the attack.
     */
    @Test
    void aRobustRunReplaysAndDiffersFromStandardTraining() {
        TrainingOutcome a = new TrainingLoop().run(setup("quick-trades-original", 5), TrainingListener.NONE);
        TrainingOutcome b = new TrainingLoop().run(setup("quick-trades-original", 5), TrainingListener.NONE);
        TrainingOutcome standard = new TrainingLoop().run(setup("quick", 5), TrainingListener.NONE);
        assertEquals(a.trainLosses(), b.trainLosses(), "the same seed replays the run");
        assertEquals(a.epochTestAccuracies(), b.epochTestAccuracies());
        assertTrue(a.trainLosses().stream().allMatch(Double::isFinite), a.trainLosses().toString());
        assertTrue(a.phases().attackSeconds() > 0, a.phases().toString());
        assertEquals(0.0, standard.phases().attackSeconds());
        assertNotEquals(standard.trainLosses(), a.trainLosses(), "the KL term and the attack change training");
    }
}
