package io.xscore.trainer.robustness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.xscore.augment.Corruption;
import io.xscore.augment.LowResolution;
import io.xscore.augment.SuiteImages;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessReport.PerturbedAccuracy;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.protocol.Seeds;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Runs a job's robustness suites on its final weights (BatchNorm in inference mode, no gradient): draws the suites'
 * test images (class-stratified, seeded), measures the clean accuracy on them and the accuracy under every
 * perturbation the resolved {@link RobustnessSpec} names, in a fixed order. Every random perturbation is seeded from
 * the spec's seed, the perturbation and the image's index in the split, so a run can be replayed image by image.
 */
public final class RobustnessEvaluation {

    private static final Logger LOG = Logger.getLogger(RobustnessEvaluation.class);
    private static final int BATCH = 128;

    /** What the evaluation reports while it runs, and how it is told to stop. */
    public interface Progress {
        /** After each perturbation: {@code done} of {@code total} measured. */
        void measured(int done, int total, double etaSeconds);

        /** Polled before every batch: a cancelled job stops here. */
        default void checkCancelled() {
        }
    }

    /**
     * Where the evaluation's wall time went so far (its log line, and {@code ./xscore bench robustness}):
     * preparing images in Java (test transform, low-resolution round trip, corruption, normalisation) and the model
     * (forward passes; for PGD the whole attack, its Java random starts included), and PGD's gradient steps (forward +
     * backward of a batch), which stop early only when every image of a batch is fooled.
     */
    public record Timing(long transformNanos, long modelNanos, long pgdGradientSteps) {
    }

    private final NDManager manager;
    private final Block block;
    private final ParameterStore store;
    private long transformNanos;
    private long modelNanos;
    private long pgdGradientSteps;

    public RobustnessEvaluation(NDManager manager, Block block, ParameterStore store) {
        this.manager = manager;
        this.block = block;
        this.store = store;
    }

    /** The wall time split so far (timing only: it changes nothing the evaluation computes). */
    public Timing timing() {
        return new Timing(transformNanos, modelNanos, pgdGradientSteps);
    }

    /**
     * @param fullTest the whole test split (the suites draw from it, not from the protocol's test subset)
     * @param size     the model's input size
     */
    public RobustnessReport run(RobustnessSpec spec, ImageSet fullTest, int size, Normalisation normalisation,
                                Progress progress) {
        long started = System.nanoTime();
        ImageSet images = fullTest.stratifiedSubset(spec.images(), Seeds.derive(spec.seed(), "robustness-subset"));
        String subset = "stratified by class, seed " + spec.seed() + ", " + images.size() + " of " + fullTest.size()
                + " test images";
        TestImagePipeline pipeline = new TestImagePipeline(images, size, normalisation);
        List<String> notes = new ArrayList<>();
        List<Measurement> plan = plan(spec, pipeline, notes);
        double clean = accuracy(pipeline, pipeline::clean, progress);
        List<PerturbedAccuracy> accuracies = new ArrayList<>();
        for (int k = 0; k < plan.size(); k++) {
            Measurement m = plan.get(k);
            accuracies.addAll(m.measure(this, pipeline, progress));
            double elapsed = (System.nanoTime() - started) / 1e9;
            progress.measured(k + 1, plan.size(), elapsed / (k + 1) * (plan.size() - k - 1));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.infof("robustness suites %s: %d perturbations on %d images in %.1f s (images %.1f s, model %.1f s; clean"
                + " %.2f %%)", spec.suites(), accuracies.size(), images.size(), seconds, transformNanos / 1e9,
                modelNanos / 1e9, clean);
        return new RobustnessReport(spec, images.size(), subset, clean, accuracies, notes.isEmpty() ? null : notes,
                seconds);
    }

    /** One perturbation to measure (PGD: every radius of the suite in one pass). */
    interface Measurement {
        List<PerturbedAccuracy> measure(RobustnessEvaluation evaluation, TestImagePipeline pipeline,
                                        Progress progress);
    }

    /** Writes image i of the pipeline's set, perturbed and normalised, into dst from offset. */
    interface ImageWriter {
        void write(int i, float[] dst, int offset);
    }

    static List<Measurement> plan(RobustnessSpec spec, TestImagePipeline pipeline, List<String> notes) {
        List<Measurement> plan = new ArrayList<>();
        int size = pipeline.size();
        if (spec.runs(RobustnessSpec.LOW_RESOLUTION)) {
            for (int n : spec.lowResolution().shorterSides()) {
                if (n >= size) {
                    notes.add("low resolution n=" + n + ": not below the model's input size " + size + ", skipped");
                    continue;
                }
                LowResolution transform = new LowResolution(n, size);
                plan.add((e, p, progress) -> List.of(PerturbedAccuracy.lowResolution(transform.description(),
                        e.accuracy(p, (i, dst, off) -> p.lowResolution(transform, i, dst, off), progress), n)));
            }
        }
        if (spec.runs(RobustnessSpec.CORRUPTIONS)) {
            for (String name : spec.corruptions().names()) {
                for (int severity : spec.corruptions().severities()) {
                    Corruption corruption = SuiteImages.corruption(name, severity, size);
                    long seed = SuiteImages.corruptionSeed(spec.seed(), name, severity);
                    plan.add((e, p, progress) -> List.of(PerturbedAccuracy.corruption(corruption.description(),
                            e.accuracy(p, (i, dst, off) -> p.normalise(SuiteImages.corrupted(corruption, seed,
                                    p.testImage(i), p.images().sourceIndex(i)), dst, off), progress),
                            name, severity)));
                }
            }
        }
        if (spec.runs(RobustnessSpec.PGD)) {
            List<PgdSettings> attacks = attacks(spec.pgd(), Seeds.derive(spec.seed(), "pgd"));
            plan.add((e, p, progress) -> e.adversarial(p, attacks, progress));
        }
        return plan;
    }

    /** The suite's attacks: one per radius, α = relativeStepSize · ε / k. */
    public static List<PgdSettings> attacks(RobustnessSpec.PgdSettings suite, long seed) {
        PgdSettings.Norm norm = "l2".equals(suite.norm()) ? PgdSettings.Norm.L2 : PgdSettings.Norm.LINF;
        return suite.epsilons().stream().map(eps -> new PgdSettings(norm, eps, suite.steps(),
                suite.relativeStepSize() * eps / suite.steps(), suite.randomStart(), seed)).toList();
    }

    /**
     * PGD at every radius, counted in the monotone worst case ({@link AdversarialAccuracy}): an image is robust at ε
     * only if it is classified correctly clean and under every attack of radius ≤ ε.
     */
    List<PerturbedAccuracy> adversarial(TestImagePipeline pipeline, List<PgdSettings> attacks, Progress progress) {
        ImageSet images = pipeline.images();
        int per = pipeline.floatsPerImage();
        int size = pipeline.size();
        PgdAttack attack = new PgdAttack(block, store, manager, pipeline.normalisation());
        AdversarialAccuracy accuracy = new AdversarialAccuracy(attack, attacks);
        for (int from = 0; from < images.size(); from += BATCH) {
            progress.checkCancelled();
            int n = Math.min(BATCH, images.size() - from);
            float[] pixels = new float[n * per];
            int[] labels = new int[n];
            long t0 = System.nanoTime();
            for (int k = 0; k < n; k++) {
                pipeline.unitPixels(from + k, pixels, k * per);
                labels[k] = images.label(from + k);
            }
            long t1 = System.nanoTime();
            accuracy.add(pixels, labels, size, size, from);
            transformNanos += t1 - t0;
            modelNanos += System.nanoTime() - t1;
        }
        pgdGradientSteps += attack.gradientSteps();
        String norm = attacks.get(0).norm() == PgdSettings.Norm.L2 ? "l2" : "linf";
        return accuracy.result().rows().stream().map(row -> PerturbedAccuracy.pgd(row.settings().description()
                + " worst case over radii ≤ ε", row.worstCaseAccuracy(), norm, row.settings().epsilon())).toList();
    }

    /** Top-1 accuracy in percent of the model on the pipeline's images as {@code writer} prepares them. */
    double accuracy(TestImagePipeline pipeline, ImageWriter writer, Progress progress) {
        ImageSet images = pipeline.images();
        int per = pipeline.floatsPerImage();
        int size = pipeline.size();
        long correct = 0;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < images.size(); from += BATCH) {
                progress.checkCancelled();
                int n = Math.min(BATCH, images.size() - from);
                float[] pixels = new float[n * per];
                int first = from;
                long t0 = System.nanoTime();
                IntStream.range(0, n).parallel().forEach(k -> writer.write(first + k, pixels, k * per));
                long t1 = System.nanoTime();
                long[] predicted = predict(pixels, n, size);
                transformNanos += t1 - t0;
                modelNanos += System.nanoTime() - t1;
                for (int k = 0; k < n; k++) {
                    if (predicted[k] == images.label(from + k)) {
                        correct++;
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return 100.0 * correct / images.size();
    }

    long[] predict(float[] pixels, int n, int size) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(pixels, new Shape(n, 3, size, size));
            return block.forward(store, new NDList(x), false).singletonOrThrow().argMax(1).toLongArray();
        }
    }
}
