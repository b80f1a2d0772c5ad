package io.xscore.scoring.xscore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The xScore math on tables small enough to check by hand. */
class XScoreCalculatorTest {

    private static final double EPS = 1e-12;

    /**
     * Three models, two datasets. Anchors recomputed: d1 in [70, 90], d2 in [60, 80] (width 20 each).
     * <pre>
     *        A(d1) A(d2)   Â(d1) Â(d2)   G      V sample  V population
     *  m1     90    60      1     0      0.5    0.5       0.25
     *  m2     80    80      0.5   1      0.75   0.125     0.0625
     *  m3     70    70      0     0.5    0.25   0.125     0.0625
     * </pre>
     * (m2: deviations ±0.25 → sum of squares 0.125; divided by D−1 = 1 or by D = 2.)
     */
    private static AccuracyTable threeByTwo() {
        return AccuracyTable.builder(List.of("d1", "d2"))
                .row("m1", 90, 60)
                .row("m2", 80, 80)
                .row("m3", 70, 70)
                .build();
    }

    @Test
    void sampleVarianceDefaultLambda() {
        XScoreTable t = XScoreCalculator.defaults().scoreRecomputed(threeByTwo());
        // xScore = G − 0.5·V: m1 0.5 − 0.25 = 0.25; m2 0.75 − 0.0625 = 0.6875; m3 0.25 − 0.0625 = 0.1875
        assertModel(t, "m1", 0.5, 0.5, 0.25, 2);
        assertModel(t, "m2", 0.75, 0.125, 0.6875, 1);
        assertModel(t, "m3", 0.25, 0.125, 0.1875, 3);
        assertEquals(List.of(1.0, 0.0), t.model("m1").orElseThrow().normalised());
        assertEquals(List.of(0.5, 1.0), t.model("m2").orElseThrow().normalised());
        assertEquals(new Anchors.Range(70, 90), t.anchors().range("d1"));
        assertEquals(new Anchors.Range(60, 80), t.anchors().range("d2"));
        assertEquals(Anchors.SCALE_RECOMPUTED, t.anchors().scale());
        assertTrue(t.notes().isEmpty());
        assertTrue(t.scored());
    }

    @Test
    void populationVariance() {
        XScoreTable t = new XScoreCalculator(0.5, VarianceDivisor.POPULATION).scoreRecomputed(threeByTwo());
        // m1 0.5 − 0.5·0.25 = 0.375; m2 0.75 − 0.5·0.0625 = 0.71875; m3 0.25 − 0.03125 = 0.21875
        assertModel(t, "m1", 0.5, 0.25, 0.375, 2);
        assertModel(t, "m2", 0.75, 0.0625, 0.71875, 1);
        assertModel(t, "m3", 0.25, 0.0625, 0.21875, 3);
    }

    @Test
    void lambdaZeroRanksByMeanOnly() {
        XScoreTable t = new XScoreCalculator(0, VarianceDivisor.SAMPLE).scoreRecomputed(threeByTwo());
        // xScore = G: m2 0.75 > m1 0.5 > m3 0.25
        assertModel(t, "m1", 0.5, 0.5, 0.5, 2);
        assertModel(t, "m2", 0.75, 0.125, 0.75, 1);
        assertModel(t, "m3", 0.25, 0.125, 0.25, 3);
    }

    @Test
    void lambdaTwoPenalisesTheUnevenModel() {
        XScoreTable t = new XScoreCalculator(2, VarianceDivisor.SAMPLE).scoreRecomputed(threeByTwo());
        // m1 0.5 − 2·0.5 = −0.5; m2 0.75 − 2·0.125 = 0.5; m3 0.25 − 2·0.125 = 0.0: m1 drops from 2nd to 3rd
        assertModel(t, "m1", 0.5, 0.5, -0.5, 3);
        assertModel(t, "m2", 0.75, 0.125, 0.5, 1);
        assertModel(t, "m3", 0.25, 0.125, 0.0, 2);
    }

    /**
     * d1 in [70, 90], d2 in [60, 80]. a (1, 0) and b (0, 1): G 0.5, V 0.5, xScore 0.25; c and d (0.5, 0.5): G 0.5,
     * V 0, xScore 0.5. Competition ranking: c 1, d 1, a 3, b 3.
     */
    @Test
    void tiesShareARankAndTheNextRankSkips() {
        AccuracyTable table = AccuracyTable.builder(List.of("d1", "d2"))
                .row("a", 90, 60).row("b", 70, 80).row("c", 80, 70).row("d", 80, 70).build();
        XScoreTable t = XScoreCalculator.defaults().scoreRecomputed(table);
        assertModel(t, "a", 0.5, 0.5, 0.25, 3);
        assertModel(t, "b", 0.5, 0.5, 0.25, 3);
        assertModel(t, "c", 0.5, 0.0, 0.5, 1);
        assertModel(t, "d", 0.5, 0.0, 0.5, 1);
    }

    @Test
    void zeroRangeColumnLeavesEveryScoreNullWithANote() {
        AccuracyTable table = AccuracyTable.builder(List.of("d1", "d2"))
                .row("m1", 90, 50).row("m2", 70, 50).build();
        XScoreTable t = XScoreCalculator.defaults().scoreRecomputed(table);
        assertEquals(List.of("dataset d2 has zero range across models (min = max = 50.0)"), t.notes());
        for (ModelXScore m : t.models()) {
            assertNull(m.g());
            assertNull(m.v());
            assertNull(m.xscore());
            assertNull(m.rank());
        }
    }

    @Test
    void singleModelCannotAnchor() {
        AccuracyTable table = AccuracyTable.builder(List.of("d1", "d2")).row("only", 90, 50).build();
        XScoreTable t = XScoreCalculator.defaults().scoreRecomputed(table);
        assertEquals(List.of("anchors need at least 2 models (1 complete)"), t.notes());
        assertNull(t.model("only").orElseThrow().xscore());
        XScoreTable empty = XScoreCalculator.defaults().scoreRecomputed(AccuracyTable.builder(List.of("d1")).build());
        assertTrue(empty.models().isEmpty());
        assertEquals(List.of("anchors need at least 2 models (0 complete)"), empty.notes());
    }

    @Test
    void singleDatasetReportsZeroVariance() {
        // d1 in [70, 90]: Â 1 and 0, G = Â, V = 0 by convention, xScore = G
        AccuracyTable table = AccuracyTable.builder(List.of("d1")).row("m1", 90).row("m2", 70).build();
        XScoreTable sample = XScoreCalculator.defaults().scoreRecomputed(table);
        assertModel(sample, "m1", 1.0, 0.0, 1.0, 1);
        assertModel(sample, "m2", 0.0, 0.0, 0.0, 2);
        assertEquals(1, sample.notes().size());
        assertTrue(sample.notes().get(0).contains("V is reported as 0"), sample.notes().toString());
        XScoreTable population = new XScoreCalculator(0.5, VarianceDivisor.POPULATION).scoreRecomputed(table);
        assertTrue(population.notes().isEmpty());
        assertModel(population, "m1", 1.0, 0.0, 1.0, 1);
    }

    /** Fixed anchors (the later reference scale): a model above every anchor max gets Â &gt; 1. */
    @Test
    void fixedAnchorsAllowScoresAboveOne() {
        Anchors fixed = new Anchors(Anchors.SCALE_REFERENCE,
                Map.of("d1", new Anchors.Range(70, 90), "d2", new Anchors.Range(60, 80)));
        AccuracyTable table = AccuracyTable.builder(List.of("d1", "d2")).row("new", 95, 85).build();
        XScoreTable t = XScoreCalculator.defaults().score(table, fixed);
        // Â = (25/20, 25/20) = (1.25, 1.25): G 1.25, V 0, xScore 1.25 (a single model is fine on fixed anchors)
        assertModel(t, "new", 1.25, 0.0, 1.25, 1);
        XScoreTable missing = XScoreCalculator.defaults().score(
                AccuracyTable.builder(List.of("d1", "d3")).row("new", 95, 85).build(), fixed);
        assertNull(missing.model("new").orElseThrow().xscore());
        assertEquals(List.of("no anchors for dataset d3 on the reference scale"), missing.notes());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new XScoreCalculator(-0.1, VarianceDivisor.SAMPLE));
        assertThrows(IllegalArgumentException.class, () -> new XScoreCalculator(Double.NaN, VarianceDivisor.SAMPLE));
        assertThrows(IllegalArgumentException.class,
                () -> AccuracyTable.builder(List.of("d1", "d2")).row("m", 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> AccuracyTable.builder(List.of("d1")).row("m", Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> AccuracyTable.builder(List.of("d1")).row("m", 1).row("m", 2));
        assertThrows(IllegalArgumentException.class,
                () -> AccuracyTable.builder(List.of("d1", "d2")).row("m", Map.of("d1", 1.0)));
        assertEquals(VarianceDivisor.POPULATION, VarianceDivisor.parse("Population"));
        assertThrows(IllegalArgumentException.class, () -> VarianceDivisor.parse("n-2"));
    }

    @Test
    void seedStatistics() {
        // 80, 82, 84: mean 82, sample sd sqrt((4 + 0 + 4)/2) = 2, stderr 2/√3
        SeedStatistics three = SeedStatistics.of(List.of(80.0, 82.0, 84.0));
        assertEquals(82.0, three.mean(), EPS);
        assertEquals(2 / Math.sqrt(3), three.stderr(), EPS);
        assertEquals(3, three.seeds());
        // 70, 71: mean 70.5, sd sqrt(0.5), stderr sqrt(0.5)/sqrt(2) = 0.5
        assertEquals(new SeedStatistics(70.5, 0.5, 2).mean(), SeedStatistics.of(List.of(70.0, 71.0)).mean(), EPS);
        assertEquals(0.5, SeedStatistics.of(List.of(70.0, 71.0)).stderr(), EPS);
        assertEquals(new SeedStatistics(75.0, 0.0, 1), SeedStatistics.of(List.of(75.0)));
        assertThrows(IllegalArgumentException.class, () -> SeedStatistics.of(List.of()));
    }

    @Test
    void competitionRanks() {
        assertEquals(List.of(2, 1, 2, 4), Ranks.competition(List.of(0.5, 0.9, 0.5, 0.1), 1e-12));
        assertEquals(List.of(1, 1), Ranks.competition(List.of(0.3, 0.3 + 1e-15), 1e-12));
        assertEquals(List.of(), Ranks.competition(List.of(), 1e-12));
    }

    private static void assertModel(XScoreTable t, String model, double g, double v, double x, int rank) {
        ModelXScore m = t.model(model).orElseThrow();
        assertEquals(g, m.g(), EPS, model + " G");
        assertEquals(v, m.v(), EPS, model + " V");
        assertEquals(x, m.xscore(), EPS, model + " xScore");
        assertEquals(rank, m.rank(), model + " rank");
    }
}
