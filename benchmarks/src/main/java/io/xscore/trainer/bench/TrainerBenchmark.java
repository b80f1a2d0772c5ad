package io.xscore.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.xscore.augment.Augmentation;
import io.xscore.augment.PaperPipeline;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.service.DjlEnvironment;
import io.xscore.trainer.training.Adam;
import io.xscore.trainer.training.BatchAssembler;
import io.xscore.trainer.training.NativeMemory;
import io.xscore.trainer.training.PhaseTimes;
import io.xscore.trainer.training.SoftTargets;
import io.xscore.trainer.training.TrainingListener;
import io.xscore.trainer.training.TrainingLoop;
import io.xscore.trainer.training.TrainingOutcome;
import io.xscore.trainer.training.TrainingSetup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./xscore bench trainer}: the trainer's speed and memory, beside PyTorch eager on the same machine.
 *
 * <ol>
 *   <li>Model step as the PyTorch reference does it ({@code tools/bench/convmixer_pytorch.py} of this repository):
 *       ConvMixer-256/8 (kernel 5, patch 2, 594,186 parameters) at 32 px, batch 32, one fixed random batch,
 *       label-smoothed cross-entropy, Adam; 5 warm-up + N timed steps; evaluation = N no-grad forward passes. Phase
 *       split forward / backward / optimiser.</li>
 *   <li>The real training loop ({@link TrainingLoop}) on synthetic 32 px images with the paper pipeline
 *       (cifar-style: crop, flip, RandAugment, ColorJitter) and CutMix: images/s and the data / forward / backward /
 *       optimiser split.</li>
 *   <li>The input pipeline alone on one core (decode of the 8-bit shard, augmentation, normalisation into a batch)
 *       at 32 px and 224 px (from 256 px sources, as Stanford Dogs' cache).</li>
 *   <li>Native memory over many epochs of a tiny model (VmRSS after each epoch).</li>
 *   <li>PyTorch: runs the reference script with Debian's /usr/bin/python3 (python3-torch) and prints both.</li>
 * </ol>
 * Options: {@code --steps N} (default 30), {@code --memory-epochs N} (default 40), {@code --no-python},
 * {@code --only-step} (just the model step, for profiling settings), {@code --only-memory}, {@code --repeats N} (default 3: the model
 * step and the PyTorch script alternate N times and the best figure of each counts, as the machine is shared),
 * {@code --threads N} (default 2), {@code --script PATH} (default: the repository's {@value #SCRIPT}).
 */
public final class TrainerBenchmark {

    private TrainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int steps = 30;
        int memoryEpochs = 40;
        int threads = 2;
        boolean python = true;
        boolean onlyStep = false;
        boolean onlyMemory = false;
        int repeats = 3;
        String script = defaultScript();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--memory-epochs" -> memoryEpochs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--no-python" -> python = false;
                case "--only-step" -> onlyStep = true;
                case "--only-memory" -> onlyMemory = true;
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--script" -> script = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        DjlEnvironment.configure(threads);
        Engine engine = Engine.getInstance();
        String loadStart = loadAverage();
        System.out.printf("machine: %s, %d cores, load average %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), loadStart);
        System.out.printf("engine: DJL %s %s %s on %s, %d threads, LD_PRELOAD=%s%n", Engine.getDjlVersion(),
                engine.getEngineName(), engine.getVersion(), engine.defaultDevice(), threads,
                System.getenv().getOrDefault("LD_PRELOAD", "(none)"));

        double[] memory = memory(memoryEpochs); // first, on a fresh process
        if (onlyMemory) {
            return;
        }
        double[] step = modelStep(steps);
        double[] torch = python ? pytorch(script, threads) : new double[] {Double.NaN, Double.NaN};
        for (int r = 1; r < repeats; r++) { // alternate, keep the best of each: the machine is shared
            double[] again = modelStep(steps);
            if (again[0] > step[0]) {
                step = again;
            }
            step[1] = Math.max(step[1], again[1]);
            if (python) {
                double[] t = pytorch(script, threads);
                torch = new double[] {Math.max(torch[0], t[0]), Math.max(torch[1], t[1])};
            }
        }
        if (onlyStep) {
            System.out.printf("model step: train %.1f img/s, eval %.1f img/s; forward %.1f %%, backward %.1f %%, "
                    + "optimizer %.1f %%%n", step[0], step[1], step[2], step[3], step[4]);
            return;
        }
        PhaseTimes loop = trainingLoop(steps);
        for (int r = 1; r < repeats; r++) {
            PhaseTimes again = trainingLoop(steps);
            if (again.trainSeconds() < loop.trainSeconds()) {
                loop = again;
            }
        }
        double[] pipe32 = pipeline(32, 32, 3, 2000);
        double[] pipe224 = pipeline(256, 224, 3, 64);
        String load = loadAverage();

        System.out.println();
        System.out.println("=== ConvMixer-256/8, 32 px, batch 32, " + threads + " threads, " + steps + " steps ===");
        System.out.printf("%-44s %12s %12s%n", "", "train img/s", "eval img/s");
        System.out.printf("%-44s %12.1f %12.1f%n", "DJL, model step (as the PyTorch script)", step[0], step[1]);
        System.out.printf("%-44s %12.1f %12.1f%n", "PyTorch eager (python3-torch), same step", torch[0], torch[1]);
        System.out.printf("%-44s %12.2f %12.2f%n", "DJL / PyTorch", step[0] / torch[0], step[1] / torch[1]);
        System.out.printf("%-44s %12.1f %12.1f%n", "DJL, full loop (paper pipeline + CutMix)",
                loop.trainImages() / loop.trainSeconds(), loop.evalImages() / loop.evalSeconds());
        System.out.printf("model step split: forward %.1f %%, backward %.1f %%, optimizer %.1f %%%n",
                step[2], step[3], step[4]);
        System.out.println("full loop split: " + loop);
        System.out.printf("input pipeline, 1 core: %.0f img/s at 32 px (%.1f× the loop's training rate), "
                + "%.0f img/s at 224 px%n", pipe32[0], pipe32[0] / (loop.trainImages() / loop.trainSeconds()),
                pipe224[0]);
        System.out.printf("memory (ConvMixer-32/2, 16 px, 512 images, %d epochs): VmRSS after epoch 1 %.1f MiB, at the "
                + "end %.1f MiB (max %.1f MiB); growth from epoch 5 to the end %.2f MiB, without the Java heap %.2f "
                + "MiB%n", memoryEpochs, memory[0] / 1048576, memory[1] / 1048576, memory[2] / 1048576,
                memory[3] / 1048576, memory[4] / 1048576);
        System.out.printf("peak RSS (VmHWM) of the benchmark JVM: %.1f MiB%n", NativeMemory.peakResidentBytes() / 1048576.0);
        System.out.printf("load average: at the start %s, at the end %s; best of %d alternating runs%n", loadStart,
                load, repeats);
    }

    /** {train img/s, eval img/s, forward %, backward %, optimizer %}. */
    static double[] modelStep(int steps) {
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(1);
        ModelRegistry.ModelSpec spec = ModelRegistry.spec("convmixer-256-8", 10, 32);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelRegistry.build(spec);
            block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
            Map<String, Parameter> trainable = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    trainable.put(p.getKey(), p.getValue());
                }
            }
            System.out.printf("model: %s, %,d parameters%n", spec.description(),
                    ModelRegistry.trainableParameters(block));
            Adam adam = new Adam(manager, trainable, 0.9, 0.999, 1e-8);
            ParameterStore store = new ParameterStore(manager, false);
            // one fixed batch, uploaded into each step's sub-manager (every op's result joins the manager of its
            // input, so this is what frees the step's intermediates)
            Random rng = new Random(1);
            float[] pixels = new float[32 * 3 * 32 * 32];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) rng.nextGaussian();
            }
            int[] labels = rng.ints(32, 0, 10).toArray();
            Shape shape = new Shape(32, 3, 32, 32);
            long fwd = 0;
            long bwd = 0;
            long opt = 0;
            for (int i = 0; i < 5 + steps; i++) {
                if (i == 5) {
                    fwd = 0;
                    bwd = 0;
                    opt = 0;
                }
                try (NDManager sub = manager.newSubManager()) {
                    long t0 = System.nanoTime();
                    long t1;
                    NDArray x = sub.create(pixels, shape);
                    NDArray targets = SoftTargets.smooth(SoftTargets.labels(sub, labels), 10, 0.05);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray logits = block.forward(store, new NDList(x), true).singletonOrThrow();
                        NDArray loss = SoftTargets.crossEntropy(logits, targets);
                        loss.getFloat();
                        t1 = System.nanoTime();
                        gc.backward(loss);
                    }
                    long t2 = System.nanoTime();
                    adam.step(1e-3);
                    long t3 = System.nanoTime();
                    fwd += t1 - t0;
                    bwd += t2 - t1;
                    opt += t3 - t2;
                }
            }
            double train = steps * 32 / ((fwd + bwd + opt) / 1e9);
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            long t = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                try (NDManager sub = manager.newSubManager()) {
                    block.forward(store, new NDList(sub.create(pixels, shape)), false).singletonOrThrow().toFloatArray();
                }
            }
            double eval = steps * 32 / ((System.nanoTime() - t) / 1e9);
            JniUtils.setGradMode(grad);
            double total = fwd + bwd + opt;
            return new double[] {train, eval, 100 * fwd / total, 100 * bwd / total, 100 * opt / total};
        }
    }

    private static ImageSet randomImages(int count, int size, int classes, long seed) {
        Random rng = new Random(seed);
        byte[] pixels = new byte[count * size * size * 3];
        rng.nextBytes(pixels);
        short[] labels = new short[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (short) rng.nextInt(classes);
        }
        return ImageSet.of(List.of(new ImageShard(size, size, 3, classes, labels, pixels)));
    }

    private static final Normalisation NORM = Normalisation.of(List.of(0.49, 0.48, 0.45), List.of(0.25, 0.24, 0.26));

    static PhaseTimes trainingLoop(int steps) {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", 1, "trainSubset", steps * 32,
                "testSubset", steps * 32, "resolution", 32));
        ProtocolSpec paper = new ProtocolSpec(quick.name(), quick.version(), false, 1, 0, quick.lrMax(), quick.lrMin(),
                null, 32, quick.labelSmoothing(), quick.cutmixAlpha(), quick.adamBeta1(), quick.adamBeta2(),
                quick.adamEpsilon(), 0.0, steps * 32, steps * 32, 32, "paper", quick.overrides());
        TrainingSetup setup = new TrainingSetup("bench", "convmixer-256-8", "synthetic-shapes", paper, 1, 32, 10,
                randomImages(steps * 32, 32, 10, 2), randomImages(steps * 32, 32, 10, 3), NORM, 0);
        TrainingOutcome out = new TrainingLoop(1).run(setup, TrainingListener.NONE);
        return out.phases();
    }

    /** Single-threaded paper pipeline (cifar-style) from 8-bit shards to a normalised batch: {images/s}. */
    static double[] pipeline(int source, int size, int channels, int images) {
        ImageSet set = randomImages(images, source, 10, 4);
        Augmentation paper = PaperPipeline.forDataset("cifar10");
        int[] idx = new int[32];
        try (BatchAssembler assembler = new BatchAssembler(0)) { // on this thread: one core
            for (int round = 0; round < 2; round++) { // first round: JIT warm-up
                long t = System.nanoTime();
                for (int from = 0; from + 32 <= images; from += 32) {
                    for (int i = 0; i < 32; i++) {
                        idx[i] = from + i;
                    }
                    assembler.build(new BatchAssembler.Request(set, idx, from, paper, round, size, NORM));
                }
                if (round == 1) {
                    return new double[] {(images / 32 * 32) / ((System.nanoTime() - t) / 1e9)};
                }
            }
        }
        throw new IllegalStateException();
    }

    /** Tiny model for many epochs: {RSS after epoch 1, RSS at the end, max, end − RSS after epoch 5}. */
    static double[] memory(int epochs) {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", epochs, "trainSubset", 512,
                "testSubset", 256, "resolution", 16));
        TrainingSetup setup = new TrainingSetup("bench-memory", "convmixer-32-2", "synthetic-shapes", quick, 1, 16, 10,
                randomImages(512, 16, 10, 6), randomImages(256, 16, 10, 7), NORM, 0);
        List<Long> rss = new ArrayList<>();
        List<Long> nonHeap = new ArrayList<>();
        new TrainingLoop().run(setup, new TrainingListener() {
            @Override
            public void onEpoch(EpochStats s) {
                long r = NativeMemory.residentBytes();
                rss.add(r);
                nonHeap.add(r - Runtime.getRuntime().totalMemory());
            }
        });
        System.out.println("VmRSS per epoch (MiB): " + rss.stream().map(b -> String.format("%.1f", b / 1048576.0))
                .toList());
        System.out.println("VmRSS minus committed Java heap per epoch (MiB): " + nonHeap.stream()
                .map(b -> String.format("%.1f", b / 1048576.0)).toList());
        long max = rss.stream().mapToLong(Long::longValue).max().orElse(-1);
        int fifth = Math.min(4, rss.size() - 1);
        int last = rss.size() - 1;
        return new double[] {rss.get(0), rss.get(last), max, rss.get(last) - rss.get(fifth),
            nonHeap.get(last) - nonHeap.get(fifth)};
    }

    /** The peer script's path inside the repository. */
    static final String SCRIPT = "tools/bench/convmixer_pytorch.py";

    /**
     * Where the peer script {@value #SCRIPT} is: relative to the repository root found from this class's location
     * ({@code trainer-service/target/test-classes}), else relative to the working directory (the module directory
     * under Maven and in the IDE: {@code ../tools/bench/...}; the repository root when started from there).
     */
    static String defaultScript() {
        List<Path> candidates = new ArrayList<>();
        try {
            Path classes = Path.of(TrainerBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path module = classes.toAbsolutePath().normalize().getParent().getParent();
            candidates.add(module.getParent().resolve(SCRIPT));
        } catch (Exception e) {
            // no usable code source (e.g. a jar elsewhere): fall back to the working directory
        }
        candidates.add(Path.of("..").resolve(SCRIPT));
        candidates.add(Path.of(SCRIPT));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(Path.of("..").resolve(SCRIPT))
                .normalize().toString();
    }

    /** Runs the PyTorch reference; {train img/s, eval img/s}. */
    static double[] pytorch(String script, int threads) throws Exception {
        if (!Files.isRegularFile(Path.of(script))) {
            System.out.println("PyTorch reference script not found: " + script);
            return new double[] {Double.NaN, Double.NaN};
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script, Integer.toString(threads), "32")
                .redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD"); // PyTorch as a researcher runs it
        Process p = pb.start();
        double train = Double.NaN;
        double eval = Double.NaN;
        Pattern trainLine = Pattern.compile("train \\d+px: ([0-9.]+) img/s");
        Pattern evalLine = Pattern.compile("^eval ([0-9.]+) img/s");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                System.out.println("python3: " + line);
                Matcher m = trainLine.matcher(line);
                if (m.find()) {
                    train = Double.parseDouble(m.group(1));
                }
                m = evalLine.matcher(line);
                if (m.find()) {
                    eval = Double.parseDouble(m.group(1));
                }
            }
        }
        p.waitFor();
        return new double[] {train, eval};
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
