package io.xscore.trainer.robustness;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.xscore.augment.CorruptionScale;
import io.xscore.augment.Corruptions;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.robustness.RobustnessSuites;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.model.ModelThroughputBenchmark;
import io.xscore.trainer.service.DjlEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Cost of the robustness suites (issue 15) per 1,000 test images, item by item, through the trainer's own code
 * ({@link RobustnessEvaluation}'s plan and measurement loops, batch 128): the clean pass, each low-resolution side n
 * below the input size, each corruption of {@link Corruptions#NAMES} (its five severities together) and PGD per ε
 * (ℓ∞, 10 steps, α = 2.5 ε / k, random start) — the defaults of {@link RobustnessSuites#resolve}. Each item's wall time
 * is split into image preparation in Java and the model ({@link RobustnessEvaluation.Timing}).
 *
 * <p>The model is initialised, not trained: weights change no cost (the same operations on the same shapes), with one
 * exception handled here: PGD stops a batch early once every image of it is fooled. The labels are therefore the
 * model's own clean predictions (clean accuracy 100 %), and the gradient steps actually taken are printed beside the
 * full count, so a PGD figure is the full 10-step cost when they match. The images are synthetic (smooth gradients,
 * shapes and noise) at the model's input size, as a CIFAR-style dataset served at its native resolution.
 *
 * <p>Not a test: {@code ./xscore bench robustness [--images N] [--models a,b] [--resolution R] [--repeats K]
 * [--threads T] [--no-training]}. Defaults: 128 images (one batch; figures are scaled to 1,000), models
 * {@code convmixer-32-2,mobilevit} (a small custom ConvMixer and the zoo's largest model in parameters;
 * {@code convmixer}, the largest in MACs, takes 17× mobilevit's model time), 32 px, 3 repeats per item (the median
 * counts), 2 PyTorch threads (the trainer's default). Unless {@code --no-training},
 * it also times the model's training step (batch 32, as {@link ModelThroughputBenchmark}) to set the suites beside a
 * quick-protocol job.
 */
public final class RobustnessBenchmark {

    private static final Normalisation NORM = new Normalisation(new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.25f, 0.25f, 0.25f});
    private static final int CLASSES = 10;

    private RobustnessBenchmark() {
    }

    /** One measured item: median wall time and its split, over the repeats. */
    record Item(String suite, String name, double seconds, double transformSeconds, double modelSeconds,
                long gradientSteps, long fullGradientSteps) {
    }

    public static void main(String[] args) throws Exception {
        int images = 128;
        List<String> models = List.of("convmixer-32-2", "mobilevit");
        int resolution = 32;
        int repeats = 3;
        int threads = 2;
        boolean training = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--images" -> images = Integer.parseInt(args[++i]);
                case "--models" -> models = List.of(args[++i].split(","));
                case "--resolution" -> resolution = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--no-training" -> training = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --images N --models a,b --resolution R --repeats K --threads T --no-training");
            }
        }
        DjlEnvironment.configure(threads);
        Engine engine = Engine.getInstance();
        System.out.printf(Locale.ROOT, "# robustness suites: %s %s on %s, %d intra-op threads, %d cores, %d images"
                + " (batch 128), %d px (%s corruption parameters), median of %d repeats; load average %s%n",
                engine.getEngineName(), engine.getVersion(), engine.defaultDevice(), JniUtils.getNumThreads(),
                Runtime.getRuntime().availableProcessors(), images, resolution,
                CorruptionScale.forSize(resolution, resolution) == CorruptionScale.CIFAR ? "CIFAR" : "ImageNet",
                repeats, loadAverage());
        for (String model : models) {
            run(model, images, resolution, repeats, training);
        }
        System.out.printf("# load average at the end: %s%n", loadAverage());
    }

    private static void run(String id, int images, int resolution, int repeats, boolean training) {
        ModelRegistry.ModelInfo info = ModelRegistry.info(id, CLASSES, resolution);
        System.out.printf(Locale.ROOT, "%n## %s at %d px: %,d parameters, %,.1f MMACs per image%n%n", id, resolution,
                info.parameters(), info.macs() / 1e6);
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelRegistry.ModelSpec spec = ModelRegistry.spec(id, CLASSES, resolution);
            Block block = ModelRegistry.build(spec);
            block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
            ParameterStore store = new ParameterStore(manager, false);
            RobustnessEvaluation evaluation = new RobustnessEvaluation(manager, block, store);
            RobustnessEvaluation.Progress quiet = (done, total, eta) -> { };

            byte[] pixels = syntheticPixels(images, resolution);
            ImageSet unlabelled = imageSet(new short[images], pixels, resolution);
            short[] labels = predictions(evaluation, new TestImagePipeline(unlabelled, resolution, NORM), images);
            TestImagePipeline pipeline = new TestImagePipeline(imageSet(labels, pixels, resolution), resolution, NORM);
            RobustnessSpec defaults = RobustnessSuites.resolve(new RobustnessSpec(RobustnessSpec.SUITES, images, 0L,
                    null, null, null), List.of(id), Corruptions.NAMES);
            // warm-up, untimed: the JIT and PyTorch's first allocations of the forward and of the backward pass (the
            // first attack would otherwise carry them)
            evaluation.accuracy(pipeline, pipeline::clean, quiet);
            RobustnessSpec.PgdSettings pgd = defaults.pgd();
            measure(evaluation, pipeline, new RobustnessSpec(List.of(RobustnessSpec.PGD), images, 0L, null, null,
                    new RobustnessSpec.PgdSettings(pgd.norm(), pgd.epsilons().subList(0, 1), 2,
                            pgd.relativeStepSize(), pgd.randomStart())), 1, 0, "warm-up", "pgd, 2 steps", quiet);
            List<Item> items = new ArrayList<>();
            items.add(time(evaluation, repeats, 0, "clean", "test transform",
                    () -> evaluation.accuracy(pipeline, pipeline::clean, quiet)));
            for (int n : defaults.lowResolution().shorterSides()) {
                if (n >= resolution) {
                    continue;
                }
                RobustnessSpec one = new RobustnessSpec(List.of(RobustnessSpec.LOW_RESOLUTION), images, 0L,
                        new RobustnessSpec.LowResolutionSettings(List.of(n)), null, null);
                items.add(measure(evaluation, pipeline, one, repeats, 0, "low-resolution", "n = " + n, quiet));
            }
            for (String name : defaults.corruptions().names()) {
                RobustnessSpec one = new RobustnessSpec(List.of(RobustnessSpec.CORRUPTIONS), images, 0L, null,
                        new RobustnessSpec.CorruptionSettings(List.of(name), defaults.corruptions().severities(), id),
                        null);
                items.add(measure(evaluation, pipeline, one, repeats, 0, "corruptions", name + " (severities 1-5)",
                        quiet));
            }
            long batches = (images + 127) / 128;
            for (double eps : pgd.epsilons()) {
                RobustnessSpec one = new RobustnessSpec(List.of(RobustnessSpec.PGD), images, 0L, null, null,
                        new RobustnessSpec.PgdSettings(pgd.norm(), List.of(eps), pgd.steps(),
                                pgd.relativeStepSize(), pgd.randomStart()));
                items.add(measure(evaluation, pipeline, one, repeats, batches * pgd.steps(), "pgd",
                        String.format(Locale.ROOT, "ℓ∞ ε = %d/255, %d steps", Math.round(eps * 255), pgd.steps()),
                        quiet));
            }
            print(items, images);
            if (training) {
                double trainRate = ModelThroughputBenchmark.imagesPerSecond(id, resolution, 32, 2, 8);
                double cleanPer1000 = items.get(0).seconds() * 1000 / images;
                double quick = 6000 / trainRate + 3 * cleanPer1000;
                System.out.printf(Locale.ROOT, "%ntraining step (batch 32, forward + backward + Adam): %,.1f images/s;"
                        + " quick protocol (3 epochs × 2,000 training images + 3 test passes of 1,000) ≈ %,.1f s"
                        + " (model time only, estimated from the step rate and the clean pass)%n", trainRate, quick);
            }
        }
    }

    /** Times {@code plan(spec)}'s measurements, {@code repeats} times; the median run and its split count. */
    private static Item measure(RobustnessEvaluation evaluation, TestImagePipeline pipeline, RobustnessSpec spec,
                                int repeats, long fullSteps, String suite, String name,
                                RobustnessEvaluation.Progress quiet) {
        List<RobustnessEvaluation.Measurement> plan = RobustnessEvaluation.plan(spec, pipeline, new ArrayList<>());
        return time(evaluation, repeats, fullSteps, suite, name, () -> {
            for (RobustnessEvaluation.Measurement m : plan) {
                m.measure(evaluation, pipeline, quiet);
            }
        });
    }

    private static Item time(RobustnessEvaluation evaluation, int repeats, long fullSteps, String suite, String name,
                             Runnable work) {
        double[][] runs = new double[repeats][];
        long steps = 0;
        for (int r = 0; r < repeats; r++) {
            RobustnessEvaluation.Timing before = evaluation.timing();
            long t0 = System.nanoTime();
            work.run();
            double wall = (System.nanoTime() - t0) / 1e9;
            RobustnessEvaluation.Timing after = evaluation.timing();
            runs[r] = new double[] {wall, (after.transformNanos() - before.transformNanos()) / 1e9,
                (after.modelNanos() - before.modelNanos()) / 1e9};
            steps = after.pgdGradientSteps() - before.pgdGradientSteps();
        }
        Arrays.sort(runs, (a, b) -> Double.compare(a[0], b[0]));
        double[] median = runs[repeats / 2];
        Item item = new Item(suite, name, median[0], median[1], median[2], steps, fullSteps);
        System.err.printf(Locale.ROOT, "  %s %s: %.2f s (runs %s)%n", suite, name, median[0],
                Arrays.stream(runs).map(x -> String.format(Locale.ROOT, "%.2f", x[0])).toList());
        return item;
    }

    private static void print(List<Item> items, int images) {
        double scale = 1000.0 / images;
        System.out.println("| suite | item | s per 1,000 images | Java images | model | PGD gradient steps |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (Item it : items) {
            System.out.printf(Locale.ROOT, "| %s | %s | %,.2f | %.0f %% | %.0f %% | %s |%n", it.suite(), it.name(),
                    it.seconds() * scale, share(it.transformSeconds(), it), share(it.modelSeconds(), it),
                    it.fullGradientSteps() == 0 ? "" : it.gradientSteps() + " of " + it.fullGradientSteps());
        }
        System.out.println();
        System.out.println("| suite (defaults) | items | s per 1,000 images | Java images | model |");
        System.out.println("|---|---:|---:|---:|---:|");
        double total = 0;
        double transform = 0;
        double model = 0;
        for (String suite : List.of("clean", "low-resolution", "corruptions", "pgd")) {
            List<Item> of = items.stream().filter(it -> it.suite().equals(suite)).toList();
            double s = of.stream().mapToDouble(Item::seconds).sum();
            double t = of.stream().mapToDouble(Item::transformSeconds).sum();
            double m = of.stream().mapToDouble(Item::modelSeconds).sum();
            total += s;
            transform += t;
            model += m;
            System.out.printf(Locale.ROOT, "| %s | %d | %,.2f | %.0f %% | %.0f %% |%n", suite, of.size(), s * scale,
                    100 * t / s, 100 * m / s);
        }
        System.out.printf(Locale.ROOT, "| **all (clean + the three suites)** | %d | **%,.2f** | %.0f %% | %.0f %% |%n",
                items.size(), total * scale, 100 * transform / total, 100 * model / total);
    }

    private static double share(double part, Item it) {
        return 100 * part / it.seconds();
    }

    /** The model's clean predictions as labels: every image starts correctly classified. */
    private static short[] predictions(RobustnessEvaluation evaluation, TestImagePipeline pipeline, int images) {
        short[] labels = new short[images];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        int per = pipeline.floatsPerImage();
        int size = pipeline.size();
        for (int from = 0; from < images; from += 128) {
            int n = Math.min(128, images - from);
            float[] x = new float[n * per];
            for (int k = 0; k < n; k++) {
                pipeline.clean(from + k, x, k * per);
            }
            long[] predicted = evaluation.predict(x, n, size);
            for (int k = 0; k < n; k++) {
                labels[from + k] = (short) predicted[k];
            }
        }
        JniUtils.setGradMode(grad);
        return labels;
    }

    private static ImageSet imageSet(short[] labels, byte[] pixels, int size) {
        return ImageSet.of(List.of(new ImageShard(size, size, 3, CLASSES, labels, pixels)));
    }

    /** Smooth colour gradients with a few filled rectangles and mild noise, HWC. */
    static byte[] syntheticPixels(int images, int size) {
        Random rng = new Random(1);
        byte[] pixels = new byte[images * size * size * 3];
        for (int i = 0; i < images; i++) {
            int base = i * size * size * 3;
            int[] c0 = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
            int[][] rects = new int[3][];
            for (int r = 0; r < rects.length; r++) {
                int x0 = rng.nextInt(size);
                int y0 = rng.nextInt(size);
                rects[r] = new int[] {x0, y0, x0 + 1 + rng.nextInt(size / 2), y0 + 1 + rng.nextInt(size / 2),
                    rng.nextInt(256)};
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 3; c++) {
                        int v = c0[c] + (c == 0 ? x : c == 1 ? y : x + y) * 128 / size + rng.nextInt(9) - 4;
                        for (int[] r : rects) {
                            if (x >= r[0] && x < r[2] && y >= r[1] && y < r[3]) {
                                v = r[4] + 40 * c;
                            }
                        }
                        pixels[base + (y * size + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v & 0xff));
                    }
                }
            }
        }
        return pixels;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
