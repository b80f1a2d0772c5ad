package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.xscore.common.protocol.AdversarialTraining;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.ModelRegistry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One step of classic adversarial training and of TRADES on a small ConvMixer (with BatchNorm). */
class RobustTrainingTest {

    private static final Normalisation NORM = Normalisation.of(List.of(0.4, 0.5, 0.6), List.of(0.2, 0.25, 0.3));
    private static final int SIZE = 16;
    private static final int N = 8;
    private static final double EPS = 4 / 255.0;

    private NDManager manager;
    private Block block;
    private ParameterStore store;
    private Map<String, Parameter> trainable;

    @BeforeEach
    void model() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(3);
        ModelRegistry.ModelSpec spec = ModelRegistry.spec("convmixer-32-2", 2, SIZE);
        block = ModelRegistry.build(spec);
        block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
        store = new ParameterStore(manager, false);
        trainable = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.put(p.getKey(), p.getValue());
            }
        }
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static AdversarialTraining at(double eps) {
        return new AdversarialTraining("at", "linf", eps, 10, 2.5, null, "none", null, "ce", null).resolved();
    }

    private static AdversarialTraining trades(double eps, double beta, String inner, String start) {
        return new AdversarialTraining("trades", "linf", eps, 10, 2.5, null, start, beta, inner, null).resolved();
    }

    private RobustTraining training(AdversarialTraining settings) {
        return new RobustTraining(settings, block, store, NORM);
    }

    /** A normalised batch of two-class images (brighter top or bottom half) and its smoothed one-hot targets. */
    private NDArray[] batch(NDManager sub, long seed) {
        Random rng = new Random(seed);
        int d = 3 * SIZE * SIZE;
        float[] z = new float[N * d];
        float[] targets = new float[N * 2];
        for (int i = 0; i < N; i++) {
            int label = i % 2;
            targets[i * 2 + label] = 0.975f;
            targets[i * 2 + 1 - label] = 0.025f;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIZE; y++) {
                    boolean bright = (y < SIZE / 2) == (label == 0);
                    for (int x = 0; x < SIZE; x++) {
                        double v = (bright ? 0.6 : 0.4) + 0.3 * (rng.nextDouble() - 0.5);
                        z[i * d + (c * SIZE + y) * SIZE + x] = (float) ((v - NORM.mean()[c]) / NORM.std()[c]);
                    }
                }
            }
        }
        return new NDArray[] {sub.create(z, new Shape(N, 3, SIZE, SIZE)), sub.create(targets, new Shape(N, 2))};
    }

    /** The step's loss and the parameter gradients it leaves (then zeroed), without an optimiser step. */
    private record Step(float loss, Float kl, Map<String, float[]> gradients) {
    }

    private Step step(RobustTraining training, NDManager sub, NDArray images, NDArray targets) {
        NDArray adversarial = training.adversarialExamples(sub, images, targets, 17);
        Step out;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            RobustTraining.Loss loss = training.loss(images, adversarial, targets);
            collector.backward(loss.loss());
            out = new Step(loss.loss().getFloat(), loss.kl() == null ? null : loss.kl().getFloat(), gradients());
        }
        zeroGradients();
        return out;
    }

    private Map<String, float[]> gradients() {
        Map<String, float[]> out = new LinkedHashMap<>();
        trainable.forEach((name, p) -> out.put(name, p.getArray().getGradient().toFloatArray()));
        return out;
    }

    private void zeroGradients() {
        trainable.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
    }

    private Map<String, float[]> everyParameter() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static void assertSameValues(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> assertTrue(Arrays.equals(e, actual.get(name)), what + ": " + name));
    }

    @Test
    void atWithZeroEpsilonIsTheStandardStepAndTradesKlIsZero() {
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] b = batch(sub, 1);
            Step standard = step(training(null), sub, b[0], b[1]);
            assertSame(b[0], training(at(0)).adversarialExamples(sub, b[0], b[1], 1), "ε = 0: x' is x itself");
            Step at = step(training(at(0)), sub, b[0], b[1]);
            assertEquals(standard.loss(), at.loss());
            assertSameValues(standard.gradients(), at.gradients(), "gradient of AT at ε = 0");
            Step trades = step(training(trades(0, 6, "kl", "gaussian")), sub, b[0], b[1]);
            assertEquals(0f, trades.kl());
            assertEquals(standard.loss(), trades.loss());
            assertNull(standard.kl());
        }
    }

    @Test
    void theAttackLeavesParametersGradientsAndBatchNormStatisticsAlone() {
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] b = batch(sub, 2);
            Step clean = step(training(null), sub, b[0], b[1]);
            Map<String, float[]> before = everyParameter();
            for (AdversarialTraining settings : List.of(at(EPS), trades(EPS, 6, "kl", "gaussian"),
                    trades(EPS, 1, "ce", "uniform"))) {
                NDArray adversarial = training(settings).adversarialExamples(sub, b[0], b[1], 5);
                assertNotSame(b[0], adversarial);
                assertSameValues(before, everyParameter(), "parameters and running statistics after the attack");
                trainable.forEach((name, p) -> {
                    assertTrue(p.getArray().hasGradient(), "requires_grad restored: " + name);
                    assertTrue(Arrays.equals(new float[(int) p.getArray().size()], p.getArray().getGradient()
                            .toFloatArray()), "no gradient left behind: " + name);
                });
            }
            // the clean loss's gradient is what it was without any attack in between
            Step again = step(training(null), sub, b[0], b[1]);
            assertEquals(clean.loss(), again.loss());
            assertSameValues(clean.gradients(), again.gradients(), "clean gradient after the attacks");
        }
    }

    @Test
    void adversarialExamplesStayInTheBallAndRaiseTheirObjective() {
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] b = batch(sub, 3);
            float[] x0 = pixels(b[0]);
            for (AdversarialTraining settings : List.of(at(EPS), trades(EPS, 6, "kl", "gaussian"))) {
                NDArray adversarial = training(settings).adversarialExamples(sub, b[0], b[1], 9);
                float[] x = pixels(adversarial);
                double worst = 0;
                for (int i = 0; i < x.length; i++) {
                    worst = Math.max(worst, Math.abs(x[i] - x0[i]));
                    assertTrue(x[i] >= -1e-6 && x[i] <= 1 + 1e-6, "in [0, 1]");
                }
                assertTrue(worst <= EPS + 1e-5, "within ε: " + worst);
                assertTrue(worst > EPS / 2, "moved: " + worst);
                NDArray cleanLogits = eval(b[0]);
                NDArray advLogits = eval(adversarial);
                if (settings.trades()) {
                    assertTrue(RobustTraining.klDivergence(cleanLogits, advLogits).getFloat() > 1e-6, "KL rises");
                } else {
                    assertTrue(SoftTargets.crossEntropy(advLogits, b[1]).getFloat()
                            > SoftTargets.crossEntropy(cleanLogits, b[1]).getFloat(), "CE rises");
                }
            }
        }
    }

    @Test
    void oneAtAndOneTradesStepTrainTheModel() {
        Adam adam = new Adam(manager, trainable, 0.9, 0.999, 1e-8);
        for (AdversarialTraining settings : List.of(at(EPS), trades(EPS, 1, "ce", "none"),
                trades(EPS, 6, "kl", "gaussian"))) {
            Map<String, float[]> before = everyParameter();
            try (NDManager sub = manager.newSubManager()) {
                NDArray[] b = batch(sub, 4);
                RobustTraining training = training(settings);
                NDArray adversarial = training.adversarialExamples(sub, b[0], b[1], 11);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    RobustTraining.Loss loss = training.loss(b[0], adversarial, b[1]);
                    float value = loss.loss().getFloat();
                    assertTrue(Float.isFinite(value) && value > 0, settings.method() + " loss " + value);
                    if (settings.trades()) {
                        float kl = loss.kl().getFloat();
                        assertTrue(kl > 0 && Float.isFinite(kl), "KL term " + kl);
                    }
                    collector.backward(loss.loss());
                }
                adam.step(1e-3);
            }
            Map<String, float[]> after = everyParameter();
            for (String name : trainable.keySet()) {
                assertTrue(!Arrays.equals(before.get(name), after.get(name)), settings.method() + " moves " + name);
            }
        }
    }

    private NDArray eval(NDArray normalised) {
        return block.forward(store, new NDList(normalised), false).singletonOrThrow();
    }

    private static float[] pixels(NDArray normalised) {
        float[] z = normalised.toFloatArray();
        int plane = SIZE * SIZE;
        for (int i = 0; i < z.length; i++) {
            int c = (i / plane) % 3;
            z[i] = z[i] * NORM.std()[c] + NORM.mean()[c];
        }
        return z;
    }
}
