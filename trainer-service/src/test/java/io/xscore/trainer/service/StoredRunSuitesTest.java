package io.xscore.trainer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.augment.Corruptions;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.common.robustness.RobustnessSuites;
import io.xscore.support.problem.ProblemException;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.config.TrainerConfig;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.training.Checkpoint;
import io.xscore.trainer.training.CheckpointStore;
import io.xscore.trainer.training.TrainingListener;
import io.xscore.trainer.training.TrainingLoop;
import io.xscore.trainer.training.TrainingOutcome;
import io.xscore.trainer.training.TrainingSetup;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suites on a finished job's stored weights measure what the run measured after its last epoch. */
class StoredRunSuitesTest {

    static TrainingJobService service(Path checkpointDir) {
        TrainerConfig config = (TrainerConfig) Proxy.newProxyInstance(TrainerConfig.class.getClassLoader(),
                new Class<?>[] {TrainerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("checkpointDir")) {
                        return checkpointDir.toString();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new TrainingJobService(config, null, null, null, null);
    }

    @Test
    void storedWeightsGiveTheRunsOwnReport(@TempDir Path dir) {
        ProtocolSpec protocol = Protocols.resolve("quick", Map.of("epochs", 2, "trainSubset", 64, "testSubset", 32,
                "resolution", 16));
        TrainingJob job = new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-1", "job-stored", "convmixer-16-1",
                "synthetic-shapes", 3, protocol, Instant.now());
        RobustnessSpec spec = RobustnessSuites.resolve(new RobustnessSpec(List.of("low-resolution", "corruptions",
                "pgd"), 24, 5L, new RobustnessSpec.LowResolutionSettings(List.of(8)),
                new RobustnessSpec.CorruptionSettings(List.of("gaussian_noise"), List.of(2), null),
                new RobustnessSpec.PgdSettings("linf", List.of(0.03), 2, null, null)), List.of(job.model()),
                Corruptions.NAMES);
        Normalisation norm = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25));
        ImageSet fullTest = ImageSet.of(List.of(TestImages.twoClasses(48, 16, 10, 2)));
        TrainingSetup setup = new TrainingSetup(job.jobId(), job.model(), job.dataset(), protocol, job.seed(), 16, 10,
                ImageSet.of(List.of(TestImages.twoClasses(64, 16, 10, 1))), fullTest.subset(32, 1), norm, 0, spec,
                fullTest);
        TrainingOutcome outcome = new TrainingLoop().run(setup, TrainingListener.NONE, new CheckpointStore(dir));
        assertNotNull(outcome.robustness());

        StoredRunSuites stored = new StoredRunSuites(service(dir));
        DatasetInfo dataset = DatasetCatalog.find(job.dataset()).orElseThrow();
        Checkpoint checkpoint = stored.finishedCheckpoint(job, dataset, 16);
        RobustnessReport again = StoredRunSuites.runOn(job, spec, checkpoint, 10, 16, norm, fullTest);
        assertEquals(outcome.robustness().cleanAccuracy(), again.cleanAccuracy());
        assertEquals(outcome.robustness().accuracies(), again.accuracies(), "the same weights, the same seeds");
        assertEquals(outcome.robustness().subset(), again.subset());

        // one test image and its adversarial example against the stored weights
        RobustnessSpec one = RobustnessSuites.resolve(new RobustnessSpec(List.of("pgd"), null, 0L, null, null,
                new RobustnessSpec.PgdSettings("linf", List.of(8 / 255.0), 3, null, null)), List.of(job.model()),
                Corruptions.NAMES);
        StoredRunSuites.AdversarialExample example = StoredRunSuites.exampleOn(job, one, checkpoint, 10, 16, norm,
                fullTest, 7);
        assertEquals(16, example.size());
        assertEquals(3 * 16 * 16, example.adversarial().length);
        int largest = 0;
        for (int i = 0; i < example.clean().length; i++) {
            largest = Math.max(largest, Math.abs((example.clean()[i] & 0xFF) - (example.adversarial()[i] & 0xFF)));
        }
        assertTrue(largest <= 9, "inside the ε-ball of 8/255, after 8-bit rounding: " + largest);
        // an image the model already gets wrong is its own adversarial example; one it gets right is moved
        assertEquals(example.cleanCorrect(), largest > 0, "clean correct " + example.cleanCorrect() + ", moved by "
                + largest);
        assertTrue(example.attack().startsWith("pgd-linf-3("), example.attack());
        StoredRunSuites.AdversarialExample replayed = StoredRunSuites.exampleOn(job, one, checkpoint, 10, 16, norm,
                fullTest, 7);
        assertArrayEquals(example.adversarial(), replayed.adversarial(), "seeded: the same example again");
        if (outcome.robustness().cleanAccuracy() > 0) {
            boolean movedACorrectOne = false;
            for (int i = 0; i < fullTest.size() && !movedACorrectOne; i++) {
                StoredRunSuites.AdversarialExample e = StoredRunSuites.exampleOn(job, one, checkpoint, 10, 16, norm,
                        fullTest, i);
                if (e.cleanCorrect()) {
                    assertTrue(!java.util.Arrays.equals(e.clean(), e.adversarial()), "a correct image is moved");
                    movedACorrectOne = true;
                }
            }
            assertTrue(movedACorrectOne, "the model gets some image right, and the attack moves it");
        }

        // no stored weights: 404; weights of another setup (another seed): 409
        TrainingJob unknown = new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-1", "job-never-run", job.model(),
                job.dataset(), 3, protocol, Instant.now());
        assertEquals(404, assertThrows(ProblemException.class,
                () -> stored.finishedCheckpoint(unknown, dataset, 16)).status());
        TrainingJob otherSeed = new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-1", job.jobId(), job.model(),
                job.dataset(), 4, protocol, Instant.now());
        assertEquals(409, assertThrows(ProblemException.class,
                () -> stored.finishedCheckpoint(otherSeed, dataset, 16)).status());
    }
}
