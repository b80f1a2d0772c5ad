package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {

    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void twoStepsMatchAHandComputedUpdate() {
        float[] w0 = {1.0f, -2.0f, 0.5f};
        double[][] grads = {{0.1, -0.4, 2.0}, {-0.3, 0.2, 1.0}};
        double[] lrs = {1e-2, 5e-3};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = manager.create(w0);
            array.setRequiresGradient(true);
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(array).build();
            Adam adam = new Adam(manager, Map.of("w", w), B1, B2, EPS);
            for (int s = 0; s < 2; s++) {
                try (NDManager sub = manager.newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    // loss = Σ w·g  ⇒  ∂loss/∂w = g
                    NDArray g = sub.create(toFloat(grads[s]));
                    collector.backward(w.getArray().mul(g).sum());
                }
                adam.step(lrs[s]);
            }
            // Independent textbook form: m̂ = m/(1−β1^t), v̂ = v/(1−β2^t), θ −= lr·m̂/(√v̂+ε)
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) {
                double theta = w0[i];
                double m = 0;
                double v = 0;
                for (int t = 1; t <= 2; t++) {
                    double g = grads[t - 1][i];
                    m = B1 * m + (1 - B1) * g;
                    v = B2 * v + (1 - B2) * g * g;
                    double mHat = m / (1 - Math.pow(B1, t));
                    double vHat = v / (1 - Math.pow(B2, t));
                    theta -= lrs[t - 1] * mHat / (Math.sqrt(vHat) + EPS);
                }
                expected[i] = theta;
            }
            float[] actual = w.getArray().toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], actual[i], 1e-6, "element " + i);
            }
            Adam.State state = adam.exportState();
            assertEquals(2, state.step());
            assertArrayEquals(new float[] {(float) (0.9 * 0.01 + 0.1 * -0.3), (float) (0.9 * -0.04 + 0.1 * 0.2),
                    (float) (0.9 * 0.2 + 0.1 * 1.0)}, state.m().get("w"), 1e-6f);
            // gradients are zeroed after the step
            assertArrayEquals(new float[3], w.getArray().getGradient().toFloatArray());
        }
    }

    @Test
    void stateRoundTrips() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = manager.create(new float[] {1f, 2f});
            array.setRequiresGradient(true);
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(array).build();
            Adam adam = new Adam(manager, Map.of("w", w), B1, B2, EPS);
            Adam.State state = new Adam.State(7, Map.of("w", new float[] {0.5f, -0.5f}), Map.of("w", new float[] {1f, 2f}));
            adam.importState(state);
            Adam.State back = adam.exportState();
            assertEquals(7, back.step());
            assertArrayEquals(new float[] {0.5f, -0.5f}, back.m().get("w"));
            assertArrayEquals(new float[] {1f, 2f}, back.v().get("w"));
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
