package io.xscore.trainer.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.xscore.augment.Corruptions;
import io.xscore.augment.LowResolution;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessReport.PerturbedAccuracy;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.common.robustness.RobustnessSuites;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.training.TrainingListener;
import io.xscore.trainer.training.TrainingLoop;
import io.xscore.trainer.training.TrainingOutcome;
import io.xscore.trainer.training.TrainingSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suites on a model's weights: which images, which perturbations, replayable, and run at the end of training. */
class RobustnessEvaluationTest {

    static final Normalisation NORM = Normalisation.of(List.of(0.4, 0.5, 0.6), List.of(0.2, 0.25, 0.3));

    static RobustnessSpec spec(int images) {
        return RobustnessSuites.resolve(new RobustnessSpec(List.of("low-resolution", "corruptions"), images, 3L,
                new RobustnessSpec.LowResolutionSettings(List.of(8, 16, 32)),
                new RobustnessSpec.CorruptionSettings(List.of("contrast", "gaussian_noise", "fog"), List.of(1, 5),
                        null), null), List.of("convmixer-32-2"), Corruptions.NAMES);
    }

    @Test
    void stratifiedSubsetKeepsTheClassShares() {
        // 3 classes with 60 / 30 / 10 images: 20 images are 12 / 6 / 2
        short[] labels = new short[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = (short) (i < 60 ? 0 : i < 90 ? 1 : 2);
        }
        ImageSet all = ImageSet.of(List.of(new io.xscore.common.shard.ImageShard(2, 2, 1, 3, labels,
                new byte[100 * 4])));
        ImageSet subset = all.stratifiedSubset(20, 7);
        int[] counts = new int[3];
        int previous = -1;
        for (int i = 0; i < subset.size(); i++) {
            counts[subset.label(i)]++;
            assertTrue(subset.sourceIndex(i) > previous, "the split's order is kept");
            previous = subset.sourceIndex(i);
        }
        assertArrayEquals(new int[] {12, 6, 2}, counts);
        ImageSet again = all.stratifiedSubset(20, 7);
        ImageSet other = all.stratifiedSubset(20, 8);
        boolean differs = false;
        for (int i = 0; i < 20; i++) {
            assertEquals(subset.sourceIndex(i), again.sourceIndex(i), "seeded: the same images again");
            differs |= subset.sourceIndex(i) != other.sourceIndex(i);
        }
        assertTrue(differs, "another seed picks other images");
        assertEquals(100, all.stratifiedSubset(500, 7).size(), "no more images than the split has");
    }

    @Test
    void thePerturbedPathsStartFromTheTestTransform() {
        ImageSet set = ImageSet.of(List.of(TestImages.twoClasses(4, 16, 2, 5)));
        TestImagePipeline p = new TestImagePipeline(set, 16, NORM);
        float[] clean = new float[p.floatsPerImage()];
        float[] viaBytes = new float[p.floatsPerImage()];
        float[] viaLow = new float[p.floatsPerImage()];
        float[] unit = new float[p.floatsPerImage()];
        p.clean(1, clean, 0);
        p.normalise(p.testImage(1), viaBytes, 0);
        // at the native size Pillow copies an axis that does not change: LR0.FM at n = size is the test image
        p.lowResolution(new LowResolution(16, 16), 1, viaLow, 0);
        p.unitPixels(1, unit, 0);
        for (int k = 0; k < clean.length; k++) {
            int c = k / 256;
            assertEquals(clean[k], viaBytes[k], 1e-5f, "the corruption's 8-bit base is the test image");
            assertEquals(clean[k], viaLow[k], 1e-5f);
            assertEquals(clean[k], (unit[k] - NORM.mean()[c]) / NORM.std()[c], 1e-5f, "PGD's [0, 1] pixels");
            assertTrue(unit[k] >= 0 && unit[k] <= 1);
        }
    }

    @Test
    void everyPerturbationIsMeasuredAndReplayable() {
        ImageSet test = ImageSet.of(List.of(TestImages.twoClasses(80, 16, 2, 9)));
        RobustnessSpec spec = spec(40);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelRegistry.ModelSpec model = ModelRegistry.spec("convmixer-32-2", 2, 16);
            Block block = ModelRegistry.build(model);
            block.initialize(manager, DataType.FLOAT32, model.inputShape(1));
            ParameterStore store = new ParameterStore(manager, false);
            List<Integer> progress = new ArrayList<>();
            RobustnessReport report = new RobustnessEvaluation(manager, block, store).run(spec, test, 16, NORM,
                    (done, total, eta) -> progress.add(done));
            RobustnessReport again = new RobustnessEvaluation(manager, block, store).run(spec, test, 16, NORM,
                    (done, total, eta) -> { });

            assertEquals(40, report.images());
            assertTrue(report.subset().contains("40 of 80"), report.subset());
            assertEquals(spec, report.spec());
            // n = 8 runs; 16 and 32 are not below the 16 px input; 3 corruptions × 2 severities
            assertEquals(7, report.accuracies().size());
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), progress);
            PerturbedAccuracy low = report.accuracies().get(0);
            assertEquals("low-resolution", low.suite());
            assertEquals(8, low.shorterSide());
            assertEquals("lr0fm-8@16/pillow-bicubic-antialias", low.perturbation());
            assertTrue(report.notes().stream().anyMatch(n -> n.contains("n=16")), report.notes().toString());
            assertTrue(report.notes().stream().anyMatch(n -> n.contains("n=32")), report.notes().toString());
            PerturbedAccuracy fog = report.accuracies().get(3); // the platform's order: noise, fog, contrast
            assertEquals("fog", fog.corruption());
            assertEquals(1, fog.severity());
            assertTrue(fog.perturbation().startsWith("fog/1@cifar"), fog.perturbation());
            for (PerturbedAccuracy a : report.accuracies()) {
                assertTrue(a.accuracy() >= 0 && a.accuracy() <= 100);
                assertEquals(0, a.accuracy() * 40 / 100 % 1, 1e-9, "a count of 40 images: " + a);
            }
            assertEquals(report.cleanAccuracy(), again.cleanAccuracy());
            assertEquals(report.accuracies(), again.accuracies(), "seeded: the same accuracies again");
        }
    }

    @Test
    void pgdRadiiAreCountedInTheMonotoneWorstCase() {
        ImageSet test = ImageSet.of(List.of(TestImages.twoClasses(64, 16, 2, 9)));
        RobustnessSpec spec = RobustnessSuites.resolve(new RobustnessSpec(List.of("pgd"), 32, 1L, null, null,
                new RobustnessSpec.PgdSettings("linf", List.of(0.5, 0.0, 0.02), 3, null, null)),
                List.of("convmixer-32-2"), Corruptions.NAMES);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelRegistry.ModelSpec model = ModelRegistry.spec("convmixer-32-2", 2, 16);
            Block block = ModelRegistry.build(model);
            block.initialize(manager, DataType.FLOAT32, model.inputShape(1));
            ParameterStore store = new ParameterStore(manager, false);
            RobustnessReport report = new RobustnessEvaluation(manager, block, store).run(spec, test, 16, NORM,
                    (done, total, eta) -> { });
            assertEquals(3, report.accuracies().size(), "one entry per radius");
            List<Double> eps = report.accuracies().stream().map(PerturbedAccuracy::epsilon).toList();
            assertEquals(List.of(0.0, 0.02, 0.5), eps);
            assertEquals(report.cleanAccuracy(), report.accuracies().get(0).accuracy(), "ε = 0 is the clean accuracy");
            for (int k = 1; k < 3; k++) {
                assertTrue(report.accuracies().get(k).accuracy() <= report.accuracies().get(k - 1).accuracy(),
                        "never rises with ε: " + report.accuracies());
                assertEquals("pgd", report.accuracies().get(k).suite());
                assertEquals("linf", report.accuracies().get(k).norm());
            }
            assertTrue(report.accuracies().get(1).perturbation().startsWith("pgd-linf-3("),
                    report.accuracies().get(1).perturbation());
            RobustnessReport again = new RobustnessEvaluation(manager, block, store).run(spec, test, 16, NORM,
                    (done, total, eta) -> { });
            assertEquals(report.accuracies(), again.accuracies(), "seeded random starts: replayable");
        }
    }

    @Test
    void aTrainingRunWithSuitesReportsThemAfterItsLastEpoch() {
        var quick = Protocols.resolve("quick", Map.of("epochs", 4, "trainSubset", 192, "testSubset", 64,
                "resolution", 16));
        ImageSet train = ImageSet.of(List.of(TestImages.twoClasses(192, 16, 2, 11)));
        ImageSet fullTest = ImageSet.of(List.of(TestImages.twoClasses(96, 16, 2, 12)));
        TrainingSetup setup = new TrainingSetup("job-r", "convmixer-32-2", "synthetic-shapes", quick, 1, 16, 2, train,
                fullTest.subset(64, 1), NORM, 0, spec(48), fullTest);
        List<String> events = new ArrayList<>();
        TrainingOutcome outcome = new TrainingLoop().run(setup, new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats) {
                events.add("epoch " + stats.epoch());
            }

            @Override
            public void onRobustness(int done, int total, double etaSeconds) {
                events.add("robustness " + done + "/" + total);
            }
        });
        RobustnessReport report = outcome.robustness();
        assertNotNull(report);
        assertEquals(48, report.images());
        assertEquals(7, report.accuracies().size());
        assertEquals("epoch 4", events.get(3));
        assertEquals("robustness 7/7", events.get(events.size() - 1), events.toString());
        assertTrue(report.cleanAccuracy() >= 80, "the model learnt the task: " + report.cleanAccuracy());
        assertNull(new TrainingLoop().run(new TrainingSetup("job-p", "convmixer-32-2", "synthetic-shapes", quick, 1,
                16, 2, train, fullTest.subset(64, 1), NORM, 0), TrainingListener.NONE).robustness());
    }
}
