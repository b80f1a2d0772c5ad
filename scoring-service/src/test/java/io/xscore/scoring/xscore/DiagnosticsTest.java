package io.xscore.scoring.xscore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.scoring.reference.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    @Test
    void correlationsOnATinyTableMatchHandValues() {
        // x = 1, 2, 3; y = 1, 3, 2: deviations (−1, 0, 1) and (−1, 1, 0): r = 1 / √(2·2) = 0.5; same ranks → ρ = 0.5.
        Diagnostics.Correlation c = Diagnostics.correlate("imagenette", new double[] {1, 2, 3}, new double[] {1, 3, 2});
        assertEquals(0.5, c.pearson(), 1e-12);
        assertEquals(0.5, c.spearman(), 1e-12);
        // monotone but not linear: Spearman 1, Pearson by hand: x = 1, 2, 3, y = 1, 2, 10;
        // dy = (−10/3, −7/3, 17/3): Σdx·dy = 9, Σdy² = 438/9 = 146/3 → r = 9 / √(2·146/3) = 0.91224...
        Diagnostics.Correlation m = Diagnostics.correlate("imagenette", new double[] {1, 2, 3}, new double[] {1, 2, 10});
        assertEquals(9 / Math.sqrt(2 * (146.0 / 3)), m.pearson(), 1e-12);
        assertEquals(1.0, m.spearman(), 1e-12);
        Diagnostics.Correlation flat = Diagnostics.correlate("imagenette", new double[] {1, 2, 3}, new double[] {4, 4, 4});
        assertNull(flat.pearson());
        assertNull(flat.spearman());
        assertTrue(flat.note().contains("undefined"));
        assertNull(Diagnostics.correlate("imagenette", new double[] {1, 2}, new double[] {2, 1}).pearson());
    }

    @Test
    void sweepRanksAndBestWorstOnASmallTable() {
        // Anchors a [0, 100], b [0, 100]. p: Â (0.5, 0.5) → G 0.5, V 0; q: Â (1, 0.2) → G 0.6, V 0.32 (sample).
        // xScore(λ): p = 0.5; q = 0.6 − 0.32λ: q leads for λ < 0.3125, p from λ = 0.5 on.
        AccuracyTable t = AccuracyTable.builder(List.of("a", "b"))
                .row("p", 50, 50).row("q", 100, 20).row("r", 0, 100).row("s", 0, 0).build();
        Anchors anchors = Anchors.recomputed(t);
        Diagnostics.LambdaSweep sweep = Diagnostics.sweep(t, anchors, VarianceDivisor.SAMPLE);
        assertEquals(Diagnostics.SWEEP, sweep.lambdas());
        Diagnostics.SweepRow q = sweep.models().get(1);
        assertEquals("q", q.model());
        assertEquals(0.6, q.xscores().get(0), 1e-12);
        assertEquals(0.6 - 0.32 * 2, q.xscores().get(5), 1e-12);
        assertEquals(1, q.ranks().get(0));
        assertEquals(2, q.ranks().get(2));
        assertEquals(-1, q.rankChanges().get(0), "one place better at λ = 0 than at λ = 0.5");
        assertEquals(0, q.rankChanges().get(2));
        assertFalse(sweep.stable());
        var extremes = Diagnostics.bestWorst(t);
        assertEquals(List.of("q"), extremes.get("a").best());
        assertEquals(List.of("r", "s"), extremes.get("a").worst());
        assertEquals(List.of("r"), extremes.get("b").best());
        assertEquals(0.0, extremes.get("b").worstAccuracy());
    }

    @Test
    void referenceTableDiagnostics() {
        AccuracyTable t = ReferenceData.paper().table();
        Anchors anchors = Anchors.reference(t);
        XScoreTable scores = XScoreCalculator.defaults().score(t, anchors);
        Diagnostics.Correlation c = Diagnostics.correlation(t, scores, "imagenette");
        assertEquals(11, c.models());
        assertTrue(c.pearson() > 0 && c.pearson() < 1, c.toString());
        var extremes = Diagnostics.bestWorst(t);
        assertEquals(List.of("efficientnet"), extremes.get("stanford_dogs").best());
        assertEquals(List.of("tinynet"), extremes.get("stanford_dogs").worst());
        assertEquals(List.of("convmixer"), extremes.get("imagenette").best());
        System.out.printf("reference: ImageNette vs xScore Pearson=%.4f Spearman=%.4f; sweep stable=%s max|Δrank|=%d%n",
                c.pearson(), c.spearman(), Diagnostics.sweep(t, anchors, VarianceDivisor.SAMPLE).stable(),
                Diagnostics.sweep(t, anchors, VarianceDivisor.SAMPLE).maxAbsRankChange());
    }
}
