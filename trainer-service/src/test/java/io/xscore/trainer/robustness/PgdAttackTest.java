package io.xscore.trainer.robustness;

import static io.xscore.trainer.robustness.RobustnessFixtures.NORMALISATION;
import static io.xscore.trainer.robustness.RobustnessFixtures.l2Distances;
import static io.xscore.trainer.robustness.RobustnessFixtures.maxAbsDifference;
import static io.xscore.trainer.robustness.RobustnessFixtures.percent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.xscore.trainer.model.OneTorchThread;
import io.xscore.trainer.robustness.PgdSettings.Norm;
import io.xscore.trainer.robustness.RobustnessFixtures.Images;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PGD on linear models, where the answers can be worked out: the gradient against finite differences through the
 * normalisation, the ε-ball and the [0, 1] box, replay by seed, that the attack hurts, and that the model and its
 * parameter gradients are untouched.
 */
@ExtendWith(OneTorchThread.class)
class PgdAttackTest {

    private static final int SIZE = 16;
    private static final int N = 64;

    private static NDManager manager;
    private static Block model;
    private static PgdAttack attack;
    private static Images images;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        // contrast 0.1 with noise ±0.1: every image is classified correctly, an ℓ∞ step of 0.05 per value beats the margin
        model = RobustnessFixtures.topVersusBottom(manager, SIZE, 0.01f);
        attack = new PgdAttack(model, new ParameterStore(manager, false), manager, NORMALISATION);
        images = RobustnessFixtures.images(N, SIZE, 0.1, 3);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static PgdAttack.BatchResult run(PgdSettings s) {
        return attack.attack(s, images.pixels(), images.labels(), SIZE, SIZE, 0);
    }

    @Test
    void epsilonZeroIsTheCleanAccuracyAndTheCleanPixels() {
        for (Norm norm : Norm.values()) {
            PgdAttack.BatchResult r = run(PgdSettings.madry(norm, 0, 10, 1));
            assertArrayEquals(r.cleanCorrect(), r.adversarialCorrect());
            assertArrayEquals(images.pixels(), r.adversarialPixels());
            assertEquals(100.0, percent(r.cleanCorrect()), "the linear model separates the images");
        }
    }

    @ParameterizedTest
    @EnumSource(Norm.class)
    void theAttackHurtsALinearModelAtALargeRadius(Norm norm) {
        // ℓ∞: the margin is about 0.05 per value; ℓ2: about 0.05·√768 ≈ 1.4
        PgdSettings small = PgdSettings.madry(norm, norm == Norm.LINF ? 1 / 255.0 : 0.1, 10, 1);
        PgdSettings large = PgdSettings.madry(norm, norm == Norm.LINF ? 0.1 : 3.0, 10, 1);
        assertEquals(100.0, percent(run(small).adversarialCorrect()), "a small radius does not reach the margin");
        assertTrue(percent(run(large).adversarialCorrect()) < 10, "accuracy " + percent(run(large).adversarialCorrect()));
    }

    @ParameterizedTest
    @EnumSource(Norm.class)
    void thePerturbationStaysInTheBallAndTheBox(Norm norm) {
        for (double eps : norm == Norm.LINF ? new double[] {1 / 255.0, 8 / 255.0, 0.05, 0.3}
                : new double[] {0.1, 0.5, 1.0, 3.0}) {
            for (boolean randomStart : new boolean[] {false, true}) {
                // a large step size makes every step overshoot: the projection has to do the work
                PgdSettings s = new PgdSettings(norm, eps, 5, eps, randomStart, 7);
                float[] adv = run(s).adversarialPixels();
                for (float v : adv) {
                    assertTrue(v >= 0 && v <= 1, "pixel " + v + " outside [0,1] for " + s.description());
                }
                if (norm == Norm.LINF) {
                    double max = maxAbsDifference(adv, images.pixels());
                    assertTrue(max <= eps + 1e-6, "max |δ| " + max + " for " + s.description());
                    assertTrue(max > eps * 0.5, "the attack moves: max |δ| " + max);
                } else {
                    double max = 0;
                    for (double d : l2Distances(adv, images.pixels(), N)) {
                        assertTrue(d <= eps * (1 + 1e-5), "‖δ‖ " + d + " for " + s.description());
                        max = Math.max(max, d);
                    }
                    assertTrue(max > eps * 0.5, "the attack moves: ‖δ‖ " + max);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Norm.class)
    void theSameSeedReplaysTheSamePixelsAndBatchingDoesNotMatter(Norm norm) {
        PgdSettings s = PgdSettings.madry(norm, norm == Norm.LINF ? 0.03 : 1.0, 3, 42);
        PgdAttack.BatchResult a = run(s);
        PgdAttack.BatchResult b = run(s);
        assertArrayEquals(a.adversarialPixels(), b.adversarialPixels());
        assertArrayEquals(a.adversarialCorrect(), b.adversarialCorrect());
        // after three ℓ∞ steps a linear model's iterates all reach the same corner of the ball: compare one short step
        PgdSettings short42 = new PgdSettings(norm, s.epsilon(), 1, s.stepSize() / 10, true, 42);
        PgdSettings short43 = new PgdSettings(norm, s.epsilon(), 1, s.stepSize() / 10, true, 43);
        assertArrayEquals(run(short42).adversarialPixels(), run(short42).adversarialPixels());
        assertFalse(Arrays.equals(run(short42).adversarialPixels(), run(short43).adversarialPixels()));
        // the same examples as two batches, each told where it starts: the same random starts, the same outcome
        Images first = images.slice(0, 24);
        Images second = images.slice(24, N - 24);
        PgdAttack.BatchResult r1 = attack.attack(s, first.pixels(), first.labels(), SIZE, SIZE, 0);
        PgdAttack.BatchResult r2 = attack.attack(s, second.pixels(), second.labels(), SIZE, SIZE, 24);
        float[] joined = new float[images.pixels().length];
        System.arraycopy(r1.adversarialPixels(), 0, joined, 0, r1.adversarialPixels().length);
        System.arraycopy(r2.adversarialPixels(), 0, joined, r1.adversarialPixels().length, r2.adversarialPixels().length);
        assertTrue(maxAbsDifference(joined, a.adversarialPixels()) < 1e-6);
        float[] start = PgdAttack.randomStart(s, images.pixels(), N, 0);
        float[] startSecond = PgdAttack.randomStart(s, second.pixels(), N - 24, 24);
        int d = 3 * SIZE * SIZE;
        for (int j = 0; j < startSecond.length; j++) {
            assertEquals(start[24 * d + j], startSecond[j]);
        }
    }

    /**
     * One step without projection or clipping against a finite-difference gradient, worked out here in double, of the
     * cross-entropy of a 3-class linear model on (x − mean)/std. The ℓ2 step's direction depends on the per-channel
     * 1/std factors, so a normalisation left out of the differentiated function (or applied twice) fails it.
     */
    @Test
    void oneStepFollowsTheFiniteDifferenceGradientThroughTheNormalisation() {
        int size = 4;
        int d = 3 * size * size;
        int classes = 3;
        Random rng = new Random(9);
        float[] weight = new float[classes * d];
        float[] bias = new float[classes];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) rng.nextGaussian() * 0.3f;
        }
        for (int k = 0; k < classes; k++) {
            bias[k] = (float) rng.nextGaussian() * 0.1f;
        }
        int n = 6;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.3f + 0.4f * rng.nextFloat(); // interior: a step of 0.01 cannot reach the box
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = argMax(logits(weight, bias, x, i, d, size, classes, null)); // correct: the attack moves it
        }
        try (NDManager local = NDManager.newBaseManager()) {
            Block linear = RobustnessFixtures.linear(local, classes, size, weight, bias);
            PgdAttack oneStep = new PgdAttack(linear, new ParameterStore(local, false), local, NORMALISATION);
            double alpha = 0.01;
            float[] l2 = oneStep.adversarialPixels(new PgdSettings(Norm.L2, 100, 1, alpha, false, 0), x, labels, size, size);
            float[] linf = oneStep.adversarialPixels(new PgdSettings(Norm.LINF, 100, 1, alpha, false, 0), x, labels, size,
                    size);
            for (int i = 0; i < n; i++) {
                double[] g = finiteDifferenceGradient(weight, bias, x, labels[i], i, d, size, classes);
                double[] ignoringStd = g.clone();
                for (int j = 0; j < d; j++) {
                    ignoringStd[j] *= NORMALISATION.std()[j / (size * size)];
                }
                double gNorm = norm(g);
                double wrongNorm = norm(ignoringStd);
                double worstRight = 0;
                double worstWrong = 0;
                for (int j = 0; j < d; j++) {
                    double step = (l2[i * d + j] - x[i * d + j]) / alpha;
                    worstRight = Math.max(worstRight, Math.abs(step - g[j] / gNorm));
                    worstWrong = Math.max(worstWrong, Math.abs(step - ignoringStd[j] / wrongNorm));
                    double signStep = (linf[i * d + j] - x[i * d + j]) / alpha;
                    assertEquals(Math.signum(g[j]), signStep, 1e-4, "ℓ∞ step of example " + i + " value " + j);
                }
                assertTrue(worstRight < 1e-3, "ℓ2 step against the finite-difference direction: " + worstRight);
                assertTrue(worstWrong > 1e-2, "the test tells a missing 1/std apart: " + worstWrong);
            }
        }
    }

    @Test
    void theModelAndItsParameterGradientsAreUntouched() {
        Map<String, float[]> before = RobustnessFixtures.parameters(model);
        Map<String, float[]> gradientsBefore = RobustnessFixtures.parameterGradients(model);
        assertFalse(gradientsBefore.isEmpty(), "the linear model's parameters take gradients");
        run(PgdSettings.madry(Norm.LINF, 0.05, 5, 1));
        run(PgdSettings.madry(Norm.L2, 1.0, 5, 1));
        Map<String, float[]> after = RobustnessFixtures.parameters(model);
        Map<String, float[]> gradientsAfter = RobustnessFixtures.parameterGradients(model);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, v) -> assertArrayEquals(v, after.get(name), name));
        // requires_grad was switched back on, and nothing accumulated into the gradients a training step would read
        assertEquals(gradientsBefore.keySet(), gradientsAfter.keySet());
        gradientsBefore.forEach((name, g) -> assertArrayEquals(g, gradientsAfter.get(name), name));
    }

    @Test
    void badBatchesAreRefused() {
        PgdSettings s = PgdSettings.madry(Norm.LINF, 0.03, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> attack.attack(s, new float[5], new int[] {0}, SIZE, SIZE, 0));
        assertThrows(IllegalArgumentException.class, () -> attack.attack(s, new float[0], new int[0], SIZE, SIZE, 0));
        assertThrows(IllegalArgumentException.class,
                () -> attack.attack(s, new float[3 * SIZE * SIZE], new int[] {7}, SIZE, SIZE, 0));
    }

    private static double[] finiteDifferenceGradient(float[] weight, float[] bias, float[] x, int label, int example,
                                                     int d, int size, int classes) {
        double h = 1e-5;
        double[] g = new double[d];
        for (int j = 0; j < d; j++) {
            double[] delta = new double[d];
            delta[j] = h;
            double up = crossEntropy(logits(weight, bias, x, example, d, size, classes, delta), label);
            delta[j] = -h;
            double down = crossEntropy(logits(weight, bias, x, example, d, size, classes, delta), label);
            g[j] = (up - down) / (2 * h);
        }
        return g;
    }

    /** W·((x + δ − mean)/std) + b in double. */
    private static double[] logits(float[] weight, float[] bias, float[] x, int example, int d, int size, int classes,
                                   double[] delta) {
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            double s = bias[k];
            for (int j = 0; j < d; j++) {
                int c = j / (size * size);
                double v = x[example * d + j] + (delta == null ? 0 : delta[j]);
                s += weight[k * d + j] * (v - NORMALISATION.mean()[c]) / NORMALISATION.std()[c];
            }
            out[k] = s;
        }
        return out;
    }

    private static double crossEntropy(double[] logits, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return -(logits[label] - max - Math.log(sum));
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double a : v) {
            s += a * a;
        }
        return Math.sqrt(s);
    }
}
