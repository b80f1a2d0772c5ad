package io.xscore.common.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** LR0.FM's γ, Γ, SAR and WAR on hand-checked values (the arithmetic is in the comments). */
class LowResolutionMetricsTest {

    @Test
    void relativeRobustnessIsTheRatioAndMayExceedOne() {
        assertEquals(0.75, LowResolutionMetrics.relativeRobustness(0.45, 0.60), 1e-15); // 45 / 60
        assertEquals(62.0 / 60, LowResolutionMetrics.relativeRobustness(0.62, 0.60), 1e-15); // LR better: 1.033
        assertEquals(0.0, LowResolutionMetrics.relativeRobustness(0.0, 0.60), 0);
    }

    @Test
    void improvedRobustnessIsGammaFarFromChance() {
        // ε = 0.60 − 0.10 = 0.5, αε = 100: g = 1 − e^−100, γ = 0.75 to double precision
        assertEquals(0.75, LowResolutionMetrics.improvedRobustness(0.45, 0.60, 0.10), 1e-15);
    }

    @Test
    void improvedRobustnessIsDampedNearChance() {
        // 10 classes, clean 10.5 %, LR 10 %: γ = 0.10/0.105 = 0.952381; ε = 0.005, αε = 1
        // exponential gate 1 − e^−1 = 0.632121 → Γ = 0.602020; logistic gate tanh(0.5) = 0.462117 → Γ = 0.440112
        double chance = LowResolutionMetrics.uniformChance(10);
        assertEquals(0.602020, LowResolutionMetrics.improvedRobustness(0.10, 0.105, chance), 1e-6);
        assertEquals(0.440112, LowResolutionMetrics.improvedRobustness(0.10, 0.105, chance,
                ChanceGate.logistic(ChanceGate.LR0FM_ALPHA)), 1e-6);
        // one point above chance, ε = 0.01, αε = 2: g = 1 − e^−2 = 0.864665
        assertEquals(0.864665, ChanceGate.PROVISIONAL.at(0.01), 1e-6);
    }

    @Test
    void improvedRobustnessIsZeroAtOrBelowChance() {
        // γ would be 1 (or undefined): a model that guesses keeps guessing at low resolution
        assertEquals(0.0, LowResolutionMetrics.improvedRobustness(0.10, 0.10, 0.10), 0);
        assertEquals(0.0, LowResolutionMetrics.improvedRobustness(0.09, 0.08, 0.10), 0);
        assertEquals(0.0, LowResolutionMetrics.improvedRobustness(0.0, 0.0, 0.10), 0);
        // LR above HR near chance: γ = 0.12/0.11 = 1.0909, ε = 0.01, g = 0.864665 → 0.943271
        assertEquals(0.943271, LowResolutionMetrics.improvedRobustness(0.12, 0.11, 0.10), 1e-6);
    }

    @Test
    void theGateIsNamedAndReplaceable() {
        assertTrue(ChanceGate.PROVISIONAL.name().contains("provisional"));
        ChanceGate step = new ChanceGate("step at 0.05", eps -> eps >= 0.05 ? 1 : 0);
        assertEquals(0.75, LowResolutionMetrics.improvedRobustness(0.45, 0.60, 0.10, step), 1e-15);
        assertEquals(0.0, LowResolutionMetrics.improvedRobustness(0.12, 0.13, 0.10, step), 0);
        assertThrows(IllegalArgumentException.class, () -> ChanceGate.exponential(0));
        assertThrows(IllegalArgumentException.class, () -> new ChanceGate(" ", eps -> 1));
    }

    @Test
    void sarIsTheMeanAndWarTheWeightedMean() {
        // (0.75 + 0.5 + 1.0) / 3 = 0.75
        assertEquals(0.75, LowResolutionMetrics.sar(new double[] {0.75, 0.5, 1.0}), 1e-15);
        // (1·0.8 + 0.5·0.4 + 0.5·0.6) / (1 + 0.5 + 0.5) = 1.3 / 2 = 0.65; scaling the weights changes nothing
        double[] gamma = {0.8, 0.4, 0.6};
        assertEquals(0.65, LowResolutionMetrics.war(gamma, new double[] {1, 0.5, 0.5}), 1e-15);
        assertEquals(0.65, LowResolutionMetrics.war(gamma, new double[] {10, 5, 5}), 1e-15);
        // equal weights: WAR = SAR = 0.6; a zero weight drops a dataset: (0.8 + 0.4) / 2
        assertEquals(0.6, LowResolutionMetrics.war(gamma, new double[] {1, 1, 1}), 1e-15);
        assertEquals(0.6, LowResolutionMetrics.war(gamma, new double[] {1, 1, 0}), 1e-15);
    }

    @Test
    void badInputsAreRejectedWithAReason() {
        var empty = assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.sar(new double[0]));
        assertTrue(empty.getMessage().contains("no datasets"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.war(new double[0], new double[0]));
        var zero = assertThrows(IllegalArgumentException.class,
                () -> LowResolutionMetrics.relativeRobustness(0.1, 0.0));
        assertTrue(zero.getMessage().contains("A_HR = 0"), zero.getMessage());
        var percent = assertThrows(IllegalArgumentException.class,
                () -> LowResolutionMetrics.relativeRobustness(45, 60));
        assertTrue(percent.getMessage().contains("[0, 1]"), percent.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.improvedRobustness(0.1, 0.5, -0.1));
        assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.improvedRobustness(Double.NaN, 0.5,
                0.1));
        assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.war(new double[] {0.5, 0.6},
                new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.war(new double[] {0.5, 0.6},
                new double[] {1, -1}));
        var allZero = assertThrows(IllegalArgumentException.class,
                () -> LowResolutionMetrics.war(new double[] {0.5, 0.6}, new double[] {0, 0}));
        assertTrue(allZero.getMessage().contains("positive"), allZero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.sar(new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> LowResolutionMetrics.uniformChance(0));
    }
}
