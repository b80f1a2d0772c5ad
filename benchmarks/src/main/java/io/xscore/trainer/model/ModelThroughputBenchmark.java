package io.xscore.trainer.model;

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
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.xscore.common.catalog.ModelCatalog;
import io.xscore.trainer.training.SoftTargets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Training throughput of every model (a benchmark, not a test): images per second of full training steps (forward
 * in training mode, soft-target cross-entropy, backward, Adam update) with batch 32 at 32 px and at 224 px on the
 * default device, after warm-up steps. Prints one Markdown row per model as soon as it is measured.
 *
 * <pre>
 *   ./mvnw -q -o -pl trainer-service test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *       -Dmdep.includeScope=test
 *   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
 *       -cp trainer-service/target/test-classes:trainer-service/target/classes:$(cat /tmp/cp.txt) \
 *       io.xscore.trainer.model.ModelThroughputBenchmark [ids...]
 * </pre>
 * System properties: {@code bench.batch} (32), {@code bench.steps32} (4), {@code bench.steps224} (2),
 * {@code bench.warmup} (1), {@code bench.resolutions} ("32,224").
 */
public final class ModelThroughputBenchmark {

    private ModelThroughputBenchmark() {
    }

    public static void main(String[] args) {
        int batch = Integer.getInteger("bench.batch", 32);
        int warmup = Integer.getInteger("bench.warmup", 1);
        List<Integer> resolutions = new ArrayList<>();
        for (String r : System.getProperty("bench.resolutions", "32,224").split(",")) {
            resolutions.add(Integer.parseInt(r.trim()));
        }
        List<String> ids = args.length > 0 ? List.of(args)
                : ModelCatalog.fixed().stream().map(ModelCatalog.ModelInfo::id)
                        .filter(id -> !"convmixer-256-8".equals(id)).toList();
        Engine engine = Engine.getInstance();
        System.out.printf(Locale.ROOT, "# %s, device %s, intra-op threads %d, batch %d%n", engine.getEngineName(),
                engine.defaultDevice(), JniUtils.getNumThreads(), batch);
        StringBuilder header = new StringBuilder("| model | parameters (10 classes) |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (int r : resolutions) {
            header.append(" MMACs @").append(r).append(" | train img/s @").append(r).append(" |");
            rule.append("---:|---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (String id : ids) {
            StringBuilder row = new StringBuilder("| " + id + " | ");
            row.append(String.format(Locale.ROOT, "%,d", ModelRegistry.info(id, 10, resolutions.get(0))
                    .parameters())).append(" |");
            for (int r : resolutions) {
                int steps = Integer.getInteger(r >= 128 ? "bench.steps224" : "bench.steps32", r >= 128 ? 2 : 4);
                long macs = ModelRegistry.info(id, 10, r).macs();
                double ips = imagesPerSecond(id, r, batch, warmup, steps);
                row.append(String.format(Locale.ROOT, " %,.1f | %,.1f |", macs / 1e6, ips));
            }
            System.out.println(row);
        }
    }

    /** Images per second of timed training steps after {@code warmup} untimed ones. */
    public static double imagesPerSecond(String id, int resolution, int batch, int warmup, int steps) {
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelRegistry.ModelSpec spec = ModelRegistry.spec(id, 10, resolution);
            Block block = ModelRegistry.build(spec);
            block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(spec.inputShape(batch));
            NDArray targets = manager.randomUniform(0f, 1f, new Shape(batch, 10)).softmax(1);
            long start = 0;
            for (int step = 0; step < warmup + steps; step++) {
                if (step == warmup) {
                    start = System.nanoTime();
                }
                try (NDManager sub = manager.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(sub);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray logits = block.forward(store, new NDList(xs), true).singletonOrThrow();
                        NDArray loss = SoftTargets.crossEntropy(logits, targets);
                        gc.backward(loss);
                    }
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        if (p.getValue().requiresGradient()) {
                            adam.update(p.getValue().getId(), p.getValue().getArray(),
                                    p.getValue().getArray().getGradient());
                        }
                    }
                }
            }
            return (double) batch * steps / ((System.nanoTime() - start) / 1e9);
        }
    }
}
