package io.xscore.common.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Spearman's ρ and the WAR weight fit on tables small enough to check by hand. */
class WarWeightsTest {

    /**
     * Three models (rows), three datasets (columns). A spreads the models widely and ranks m0 &gt; m1 &gt; m2; B and C
     * barely separate them and rank m1 &gt; m2 &gt; m0. SAR follows A: means 0.633, 0.513, 0.373.
     */
    private static final double[][] TABLE = {
        {0.90, 0.50, 0.50},
        {0.50, 0.52, 0.52},
        {0.10, 0.51, 0.51},
    };

    @Test
    void spearmanOnHandCheckedVectors() {
        assertEquals(1.0, WarWeights.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-15);
        assertEquals(-1.0, WarWeights.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-15);
        // ties: ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4), centred on 2.5:
        // Σdxdy = 2.25 + 0 + 0 + 2.25 = 4.5, Σdx² = 4.5, Σdy² = 5 → 4.5 / √22.5 = 0.948683
        assertEquals(0.948683, WarWeights.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}), 1e-6);
        // a constant vector ranks nothing
        assertEquals(0.0, WarWeights.spearman(new double[] {5, 5, 5}, new double[] {1, 2, 3}), 0);
        // 0, 0, 4, 9 in order: the two zeros share positions 1 and 2
        assertArrayEquals(new double[] {4, 1.5, 3, 1.5}, WarWeights.ranks(new double[] {9, 0, 4, 0}), 0);
    }

    @Test
    void sarIgnoresTheDatasetsThatBarelySeparateTheModels() {
        // SAR ranks (3, 2, 1): ρ with A = 1; with B, whose ranks are (1, 3, 2): Σd² = 4 + 1 + 1 = 6,
        // ρ = 1 − 6·6/(3·8) = −0.5; mean (1 − 0.5 − 0.5)/3 = 0
        assertEquals(0.0, WarWeights.agreement(TABLE, new double[] {1, 1, 1}, WarWeights.SPEARMAN), 1e-12);
    }

    @Test
    void theFitLowersTheDominantDatasetUntilTheOthersAreHeard() {
        // w_A = 0.01, w_B = w_C = 1: means (0.009 + 1.00)/2.01 = 0.502, (0.005 + 1.04)/2.01 = 0.520,
        // (0.001 + 1.02)/2.01 = 0.508, ranking B's (1, 3, 2): ρ_A = −0.5, ρ_B = ρ_C = 1, mean 0.5, the best any
        // ranking of three models gets here. The first grid value tried (0.01) reaches it; later values and the other
        // datasets' weights gain nothing strictly, so they stay.
        WarWeights.Fit fit = WarWeights.fit(TABLE);
        assertArrayEquals(new double[] {0.01 / 2.01, 1 / 2.01, 1 / 2.01}, fit.weights(), 1e-12);
        assertEquals(0.5, fit.agreement(), 1e-12);
        assertArrayEquals(new double[] {-0.5, 1, 1}, fit.perDataset(), 1e-12);
    }

    @Test
    void theFitIsDeterministicSumsToOneAndNeverLosesToSar() {
        Random rng = new Random(15);
        double[][] table = new double[11][7];
        for (double[] row : table) {
            for (int d = 0; d < row.length; d++) {
                row[d] = rng.nextDouble();
            }
        }
        WarWeights.Fit a = WarWeights.fit(table);
        WarWeights.Fit b = WarWeights.fit(table);
        assertArrayEquals(a.weights(), b.weights(), 0);
        assertEquals(1.0, Arrays.stream(a.weights()).sum(), 1e-12);
        double[] equal = new double[7];
        Arrays.fill(equal, 1);
        assertTrue(a.agreement() >= WarWeights.agreement(table, equal, WarWeights.SPEARMAN));
        assertEquals(a.agreement(), WarWeights.agreement(table, a.weights(), WarWeights.SPEARMAN), 1e-12);
    }

    @Test
    void tablesThatCannotBeRankedAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WarWeights.fit(new double[][] {{0.5, 0.6}}));
        assertThrows(IllegalArgumentException.class, () -> WarWeights.fit(new double[][] {{0.5, 0.6}, {0.5}}));
        assertThrows(IllegalArgumentException.class, () -> WarWeights.fit(new double[][] {{}, {}}));
        assertThrows(IllegalArgumentException.class, () -> WarWeights.spearman(new double[] {1}, new double[] {1}));
    }
}
