package io.xscore.trainer.robustness;

import static io.xscore.trainer.robustness.RobustnessFixtures.NORMALISATION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.xscore.trainer.model.OneTorchThread;
import io.xscore.trainer.robustness.PgdSettings.Norm;
import io.xscore.trainer.robustness.RobustnessFixtures.Images;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A zoo model (ConvMixer-32/2 at 32 px, BatchNorm, GELU) trained for a few Adam steps: ε = 0 is the clean accuracy,
 * accuracy never rises with ε nor with more steps, the ball holds, and the model is unchanged.
 */
@ExtendWith(OneTorchThread.class)
class AdversarialAccuracyTest {

    private static final int SIZE = 32;

    private static NDManager manager;
    private static Block model;
    private static PgdAttack attack;
    private static Images test;

    @BeforeAll
    static void train() {
        manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, false);
        model = RobustnessFixtures.trainedConvMixer(manager, store, SIZE, 30, 4);
        attack = new PgdAttack(model, store, manager, NORMALISATION);
        test = RobustnessFixtures.images(64, SIZE, 0.3, 99);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static List<PgdSettings> radii(Norm norm, double... epsilons) {
        List<PgdSettings> out = new ArrayList<>();
        for (double e : epsilons) {
            out.add(PgdSettings.madry(norm, e, 10, 5));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Norm.class)
    void accuracyStartsAtCleanAndNeverRisesWithEpsilon(Norm norm) {
        List<PgdSettings> attacks = norm == Norm.LINF
                ? radii(norm, 0, 0.5 / 255, 1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0, 16 / 255.0, 32 / 255.0)
                : radii(norm, 0, 0.0625, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0);
        AdversarialAccuracy accuracy = new AdversarialAccuracy(attack, attacks);
        // two batches: the totals add up
        accuracy.add(test.slice(0, 40).pixels(), test.slice(0, 40).labels(), SIZE, SIZE, 0);
        boolean[][] robust = accuracy.add(test.slice(40, 24).pixels(), test.slice(40, 24).labels(), SIZE, SIZE, 40);
        assertEquals(attacks.size(), robust.length);
        AdversarialAccuracy.Result r = accuracy.result();
        assertEquals(64, r.examples());
        assertTrue(r.cleanAccuracy() >= 90, "the trained model is accurate: " + r.cleanAccuracy());
        assertEquals(r.cleanAccuracy(), r.rows().get(0).worstCaseAccuracy(), "ε = 0 is the clean accuracy");
        assertEquals(r.cleanAccuracy(), r.rows().get(0).attackAccuracy());
        for (int a = 1; a < r.rows().size(); a++) {
            AdversarialAccuracy.Row row = r.rows().get(a);
            assertTrue(row.worstCaseAccuracy() <= r.rows().get(a - 1).worstCaseAccuracy(), "monotone: " + r);
            assertTrue(row.worstCaseAccuracy() <= row.attackAccuracy());
        }
        for (int a = 1; a < robust.length; a++) {
            for (int i = 0; i < robust[a].length; i++) {
                assertTrue(!robust[a][i] || robust[a - 1][i], "robust at a larger ε only if robust at the smaller");
            }
        }
        AdversarialAccuracy.Row largest = r.rows().get(r.rows().size() - 1);
        assertTrue(largest.worstCaseAccuracy() < r.cleanAccuracy() - 40, "the attack hurts: " + r);
        System.out.printf("%s: clean %.1f %%%n", norm, r.cleanAccuracy());
        r.rows().forEach(row -> System.out.printf("  %s: attack %.1f %%, worst case %.1f %%%n",
                row.settings().description(), row.attackAccuracy(), row.worstCaseAccuracy()));
    }

    /**
     * With a fixed step size (not α = 2.5·ε/k, which changes with k), a k-step attack visits the first k iterates of
     * a longer one, and an example fooled by any iterate stays fooled: per example, fooled after k steps implies fooled
     * after every k' > k. That is a property of the construction, checked here per example on a non-linear model.
     */
    @ParameterizedTest
    @EnumSource(Norm.class)
    void moreStepsNeverFoolFewerExamples(Norm norm) {
        // radii where the trained model is partly fooled (see the ε test's output), so that the step count matters
        double eps = norm == Norm.LINF ? 24 / 255.0 : 3.0;
        int[] stepCounts = {0, 1, 2, 3, 5, 8};
        boolean[][] correct = new boolean[stepCounts.length][];
        for (int k = 0; k < stepCounts.length; k++) {
            PgdSettings s = new PgdSettings(norm, eps, stepCounts[k], eps / 4, true, 11);
            correct[k] = attack.correct(s, test.pixels(), test.labels(), SIZE, SIZE, 0);
        }
        for (int k = 1; k < stepCounts.length; k++) {
            for (int i = 0; i < test.count(); i++) {
                assertTrue(!correct[k][i] || correct[k - 1][i],
                        "example " + i + " fooled after " + stepCounts[k - 1] + " steps but not after " + stepCounts[k]);
            }
        }
        double first = RobustnessFixtures.percent(correct[0]);
        double lastSteps = RobustnessFixtures.percent(correct[stepCounts.length - 1]);
        System.out.printf("%s eps %.4f: accuracy after 0 steps %.1f %%, after 8 steps %.1f %%%n", norm, eps, first,
                lastSteps);
        assertTrue(lastSteps < first - 10, "not a vacuous check: steps fool more examples than the random start");
        // the same attacks through AdversarialAccuracy: equal ε, so every row reports the worst case over all of them
        List<PgdSettings> attacks = new ArrayList<>();
        for (int k : stepCounts) {
            attacks.add(new PgdSettings(norm, eps, k, eps / 4, true, 11));
        }
        AdversarialAccuracy accuracy = new AdversarialAccuracy(attack, attacks);
        accuracy.add(test.pixels(), test.labels(), SIZE, SIZE, 0);
        AdversarialAccuracy.Result r = accuracy.result();
        double last = RobustnessFixtures.percent(correct[stepCounts.length - 1]);
        for (AdversarialAccuracy.Row row : r.rows()) {
            assertEquals(last, row.worstCaseAccuracy(), "worst case over equal ε: " + r);
        }
        for (int k = 0; k < stepCounts.length; k++) {
            assertEquals(RobustnessFixtures.percent(correct[k]), r.rows().get(k).attackAccuracy());
        }
    }

    @ParameterizedTest
    @EnumSource(Norm.class)
    void defaultsStayInTheBallAndLeaveTheModelUnchanged(Norm norm) {
        Map<String, float[]> before = RobustnessFixtures.parameters(model);
        List<PgdSettings> defaults = norm == Norm.LINF ? PgdSettings.linfDefaults(1) : PgdSettings.l2Defaults(1);
        for (PgdSettings s : defaults) {
            float[] adv = attack.adversarialPixels(s, test.pixels(), test.labels(), SIZE, SIZE);
            for (float v : adv) {
                assertTrue(v >= 0 && v <= 1);
            }
            if (norm == Norm.LINF) {
                assertTrue(RobustnessFixtures.maxAbsDifference(adv, test.pixels()) <= s.epsilon() + 1e-6);
            } else {
                for (double d : RobustnessFixtures.l2Distances(adv, test.pixels(), test.count())) {
                    assertTrue(d <= s.epsilon() * (1 + 1e-5), "‖δ‖ " + d + " for " + s.description());
                }
            }
        }
        Map<String, float[]> after = RobustnessFixtures.parameters(model);
        before.forEach((name, v) -> assertArrayEquals(v, after.get(name), name));
    }

    /** Not a check: prints the time of PGD-10 on 256 images of 32 px (reported in docs/robustness.md). */
    @Test
    void timeOfPgd10On256Images() {
        Images batch = RobustnessFixtures.images(256, SIZE, 0.3, 7);
        PgdSettings s = PgdSettings.madry(Norm.LINF, 8 / 255.0, 10, 1);
        attack.correct(s, batch.slice(0, 32).pixels(), batch.slice(0, 32).labels(), SIZE, SIZE, 0); // warm-up
        // freezing fooled examples would make the time depend on how robust the model is: a tiny ε fools none
        PgdSettings unfooled = PgdSettings.madry(Norm.LINF, 0.1 / 255, 10, 1);
        long start = System.nanoTime();
        boolean[] correct = attack.correct(unfooled, batch.pixels(), batch.labels(), SIZE, SIZE, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("PGD-10 (linf, eps 0.1/255) on 256 images of 32 px, convmixer-32-2, one thread: %.2f s, "
                + "accuracy %.1f %%%n", seconds, RobustnessFixtures.percent(correct));
    }

    @Test
    void attacksOfSeveralNormsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AdversarialAccuracy(attack,
                List.of(PgdSettings.madry(Norm.LINF, 0.01, 1, 1), PgdSettings.madry(Norm.L2, 0.5, 1, 1))));
        assertThrows(IllegalArgumentException.class, () -> new AdversarialAccuracy(attack, List.of()));
    }
}
