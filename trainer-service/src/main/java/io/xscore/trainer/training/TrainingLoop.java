package io.xscore.trainer.training;

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
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.trainer.augment.Augmentation;
import io.xscore.trainer.augment.Resampler;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.protocol.LrSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training protocol of BENCHMARK.md §3 on DJL/PyTorch: seeded model initialisation, per-epoch shuffled batches
 * (last partial batch kept), per-image augmentation, CutMix with label smoothing on every batch, Adam with the
 * warm-up + cosine schedule set once per epoch, and a test evaluation after every epoch (recorded, never selected on;
 * the reported accuracy is the last epoch's).
 *
 * <p>Memory: parameters, BatchNorm statistics and optimiser moments live in one manager for the run; every training
 * step and evaluation batch runs in its own sub-manager that is closed right after, which frees its intermediates.
 *
 * <p>Reproducibility: the engine seed (initialisation) and separate streams for data order, augmentation and CutMix
 * all derive from the job seed, so the same seed on the same thread count and device gives the same loss curve.
 */
public final class TrainingLoop {

    /** Evaluation batch size: larger than training batches; does not change results (BatchNorm in eval mode). */
    private static final int EVAL_BATCH = 128;

    public TrainingOutcome run(TrainingSetup setup, TrainingListener listener) {
        ProtocolSpec protocol = setup.protocol();
        Augmentation augmentation = Augmentation.named(protocol.augmentation());
        ModelRegistry.ModelSpec spec = ModelRegistry.spec(setup.model(), setup.classes(), setup.resolution());
        LrSchedule schedule = LrSchedule.of(protocol, setup.model());
        long started = System.nanoTime();
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(Seeds.engineSeed(setup.seed()));
        Random order = new Random(Seeds.derive(setup.seed(), "order"));
        Random augment = new Random(Seeds.derive(setup.seed(), "augment"));
        CutMix cutMix = new CutMix(protocol.cutmixAlpha(), Seeds.derive(setup.seed(), "cutmix"));

        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelRegistry.build(spec);
            block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
            Map<String, Parameter> trainable = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    trainable.put(p.getKey(), p.getValue());
                }
            }
            long parameterCount = ModelRegistry.trainableParameters(block);
            Adam adam = new Adam(manager, trainable, protocol.adamBeta1(), protocol.adamBeta2(), protocol.adamEpsilon());
            ParameterStore store = new ParameterStore(manager, false);
            ImageSet train = setup.train();
            ImageSet test = setup.test();
            listener.onStart(parameterCount, train.size(), test.size(), setup.resolution());

            int batchSize = protocol.batchSize();
            int steps = (train.size() + batchSize - 1) / batchSize;
            List<Double> testAccuracies = new ArrayList<>();
            List<Double> trainLosses = new ArrayList<>();
            double trainSeconds = 0;
            long trainImagesSeen = 0;
            double epochSecondsSum = 0;
            long heartbeatNanos = (long) (setup.heartbeatSeconds() * 1e9);
            for (int epoch = 0; epoch < protocol.epochs(); epoch++) {
                double lr = schedule.lr(epoch);
                long epochStart = System.nanoTime();
                long lastBeat = epochStart;
                int[] perm = Seeds.permutation(train.size(), order);
                double lossSum = 0;
                long correct = 0;
                for (int step = 0; step < steps; step++) {
                    long stepStart = System.nanoTime();
                    int from = step * batchSize;
                    int n = Math.min(batchSize, train.size() - from);
                    int[] idx = new int[n];
                    int[] labels = new int[n];
                    for (int i = 0; i < n; i++) {
                        idx[i] = perm[from + i];
                        labels[i] = train.label(idx[i]);
                    }
                    float[] pixels = assemble(train, idx, augmentation, augment, setup.resolution(),
                            setup.normalisation());
                    double loss;
                    long[] predicted;
                    int[] dominant;
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray x = sub.create(pixels, new Shape(n, 3, setup.resolution(), setup.resolution()));
                        CutMix.Mixed mixed = cutMix.apply(sub, x, labels, setup.classes(), protocol.labelSmoothing());
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            NDArray logits = block.forward(store, new NDList(mixed.images()), true).singletonOrThrow();
                            NDArray lossArray = SoftTargets.crossEntropy(logits, mixed.targets());
                            loss = lossArray.getFloat();
                            if (!Double.isFinite(loss)) {
                                throw new TrainingFailedException("training loss became " + loss + " at epoch "
                                        + (epoch + 1) + ", step " + (step + 1) + " (learning rate " + lr + ")");
                            }
                            collector.backward(lossArray);
                            predicted = logits.argMax(1).toLongArray();
                        }
                        dominant = mixed.dominantLabels();
                        adam.step(lr);
                    }
                    lossSum += loss * n;
                    for (int i = 0; i < n; i++) {
                        if (predicted[i] == dominant[i]) {
                            correct++;
                        }
                    }
                    long now = System.nanoTime();
                    listener.onStep((now - stepStart) / 1e9);
                    if (heartbeatNanos > 0 && now - lastBeat >= heartbeatNanos && step + 1 < steps) {
                        lastBeat = now;
                        double elapsed = (now - epochStart) / 1e9;
                        double ips = (from + n) / elapsed;
                        double epochEstimate = elapsed * steps / (step + 1);
                        double eta = epochEstimate - elapsed + epochEstimate * (protocol.epochs() - epoch - 1);
                        listener.onHeartbeat(epoch, step + 1, steps, lossSum / (from + n), ips, eta);
                    }
                }
                double epochTrainSeconds = (System.nanoTime() - epochStart) / 1e9;
                trainSeconds += epochTrainSeconds;
                trainImagesSeen += train.size();
                double testAccuracy = evaluate(manager, block, store, test, setup);
                double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                epochSecondsSum += epochSeconds;
                double meanLoss = lossSum / train.size();
                trainLosses.add(meanLoss);
                testAccuracies.add(testAccuracy);
                double eta = epochSecondsSum / (epoch + 1) * (protocol.epochs() - epoch - 1);
                listener.onEpoch(new TrainingListener.EpochStats(epoch + 1, protocol.epochs(), lr, meanLoss,
                        100.0 * correct / train.size(), testAccuracy, train.size() / epochTrainSeconds, epochSeconds,
                        eta));
            }
            double wall = (System.nanoTime() - started) / 1e9;
            return new TrainingOutcome(parameterCount, testAccuracies.get(testAccuracies.size() - 1),
                    List.copyOf(testAccuracies), List.copyOf(trainLosses), trainLosses.get(trainLosses.size() - 1),
                    wall, trainImagesSeen / trainSeconds, train.size(), test.size(), setup.resolution());
        }
    }

    /** Test accuracy in percent: resize + centre crop, no augmentation, BatchNorm in inference mode. */
    private static double evaluate(NDManager manager, Block block, ParameterStore store, ImageSet test,
                                   TrainingSetup setup) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        long correct = 0;
        try {
            for (int from = 0; from < test.size(); from += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, test.size() - from);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = from + i;
                }
                float[] pixels = assemble(test, idx, Augmentation.NONE, null, setup.resolution(), setup.normalisation());
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.create(pixels, new Shape(n, 3, setup.resolution(), setup.resolution()));
                    long[] predicted = block.forward(store, new NDList(x), false).singletonOrThrow().argMax(1)
                            .toLongArray();
                    for (int i = 0; i < n; i++) {
                        if (predicted[i] == test.label(from + i)) {
                            correct++;
                        }
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return 100.0 * correct / test.size();
    }

    /** Float NCHW batch of the given images: crop/flip from the augmentation, bilinear resize, normalisation. */
    static float[] assemble(ImageSet set, int[] idx, Augmentation augmentation, Random rng, int size,
                            Normalisation norm) {
        int imageFloats = 3 * size * size;
        float[] out = new float[idx.length * imageFloats];
        for (int i = 0; i < idx.length; i++) {
            Augmentation.Choice choice = augmentation.sample(set.height(), set.width(), rng);
            Resampler.resample(set.pixels(idx[i]), set.pixelOffset(idx[i]), set.height(), set.width(), set.channels(),
                    choice.crop(), size, choice.flip(), norm.mean(), norm.std(), out, i * imageFloats);
        }
        return out;
    }

}
