package io.xscore.scoring.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySearchTest {

    /** y = 1 + 0.5·a − 0.2·b exactly; c is unrelated. */
    private static final AccuracyTable SMALL = AccuracyTable.builder(List.of("a", "b", "c"))
            .row("m1", 10, 20, 7)
            .row("m2", 20, 10, 3)
            .row("m3", 30, 50, 9)
            .row("m4", 40, 30, 1)
            .row("m5", 50, 60, 4)
            .build();
    private static final double[] Y = {1 + 5 - 4, 1 + 10 - 2, 1 + 15 - 10, 1 + 20 - 6, 1 + 25 - 12};

    @Test
    void exactFitIsFoundWithItsCoefficientsAndRSquaredOne() {
        ProxySearchResult r = ProxySearch.search(SMALL, Y, 2);
        assertTrue(r.found(), r.note());
        assertEquals(3, r.subsets().size(), "C(3,2) subsets");
        assertEquals(List.of("a", "b"), r.best().datasets());
        assertEquals(1.0, r.best().r2(), 1e-12);
        assertEquals(0.5, r.best().coefficients().get("a"), 1e-12);
        assertEquals(-0.2, r.best().coefficients().get("b"), 1e-12);
        assertEquals(1.0, r.best().intercept(), 1e-10);
        for (int i = 0; i < Y.length; i++) {
            assertEquals(Y[i], r.proxy().get("m" + (i + 1)), 1e-10);
        }
        for (SubsetFit f : r.subsets().subList(1, 3)) {
            assertTrue(f.r2() < r.best().r2(), f.toString());
        }
    }

    @Test
    void singleRegressorRSquaredMatchesTheSquaredCorrelation() {
        // y on a alone: r² of (a, y) by hand. a = 10..50, y = 2, 9, 6, 15, 14.
        ProxySearchResult r = ProxySearch.search(SMALL.select(List.of("a")), Y, 1);
        double ma = 30;
        double my = (2 + 9 + 6 + 15 + 14) / 5.0;
        double[] a = {10, 20, 30, 40, 50};
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < 5; i++) {
            sxy += (a[i] - ma) * (Y[i] - my);
            sxx += (a[i] - ma) * (a[i] - ma);
            syy += (Y[i] - my) * (Y[i] - my);
        }
        assertEquals(sxy * sxy / (sxx * syy), r.best().r2(), 1e-12);
        assertEquals(sxy / sxx, r.best().coefficients().get("a"), 1e-12);
        assertEquals(my - sxy / sxx * ma, r.best().intercept(), 1e-12);
    }

    @Test
    void rankDeficientSubsetsAreSkippedWithAReason() {
        // d = 2·a: {a, d} is rank-deficient; e is constant: every subset with e is rank-deficient (with the intercept).
        AccuracyTable t = AccuracyTable.builder(List.of("a", "d", "e"))
                .row("m1", 10, 20, 5).row("m2", 20, 40, 5).row("m3", 30, 60, 5).row("m4", 45, 90, 5).build();
        ProxySearchResult r = ProxySearch.search(t, new double[] {0.1, 0.3, 0.2, 0.9}, 2);
        assertFalse(r.found());
        assertEquals(3, r.subsets().size());
        assertTrue(r.subsets().stream().allMatch(f -> f.skipped().startsWith("rank-deficient design")), r.toString());
        assertNotNull(r.note());
        // with k = 1, {a} and {d} fit; {e} is skipped and listed last
        ProxySearchResult one = ProxySearch.search(t, new double[] {0.1, 0.3, 0.2, 0.9}, 1);
        assertTrue(one.found());
        assertEquals(List.of("e"), one.subsets().get(2).datasets());
        assertNull(one.subsets().get(2).r2());
    }

    @Test
    void tooFewModelsOrAConstantTargetGiveNoProxy() {
        ProxySearchResult few = ProxySearch.search(SMALL, Y, 4);
        assertFalse(few.found());
        assertTrue(few.note().contains("k must be between 1 and the number of datasets"), few.note());
        AccuracyTable four = AccuracyTable.builder(List.of("a", "b", "c"))
                .row("m1", 10, 20, 7).row("m2", 20, 10, 3).row("m3", 30, 50, 9).row("m4", 40, 30, 1).build();
        ProxySearchResult exact = ProxySearch.search(four, new double[] {2, 9, 6, 15}, 3);
        assertFalse(exact.found());
        assertTrue(exact.note().contains("too few models"), exact.note());
        ProxySearchResult flat = ProxySearch.search(SMALL, new double[] {1, 1, 1, 1, 1}, 1);
        assertFalse(flat.found());
        assertTrue(flat.note().contains("R² is undefined"), flat.note());
    }

    @Test
    void theReferenceTablesBestFourSubsetIsThePapers() {
        AccuracyTable table = ReferenceData.paper().table();
        XScoreTable scores = XScoreCalculator.defaults().scoreRecomputed(table);
        double[] y = scores.models().stream().mapToDouble(ModelXScore::xscore).toArray();
        ProxySearchResult r = ProxySearch.search(table, y, 4);
        assertEquals(35, r.subsets().size());
        assertTrue(r.subsets().stream().allMatch(SubsetFit::fitted));
        assertEquals(List.of("cifar10", "ham10000", "stanford_dogs", "mit_indoor67"), r.best().datasets());
        for (SubsetFit other : r.subsets().subList(1, r.subsets().size())) {
            assertTrue(r.best().r2() > other.r2(), other.datasets() + " R² " + other.r2());
        }
        ReferenceScale scale = ReferenceScale.of(ReferenceData.paper(), XScoreCalculator.defaults(), 4);
        assertEquals(r.best().datasets(), scale.proxy().datasets());
        assertEquals(r.best().r2(), scale.proxy().r2(), 0);
        // the fit reproduces its own in-sample values
        Map<String, Double> effnet = Map.of("cifar10", 95.11, "ham10000", 79.44, "stanford_dogs", 63.78,
                "mit_indoor67", 59.70);
        assertEquals(r.proxy().get("efficientnet"), scale.proxy().predict(effnet), 1e-12);
        System.out.printf("reference best 4-subset %s R2=%.6f coefficients=%s intercept=%.6f%n",
                r.best().datasets(), r.best().r2(), r.best().coefficients(), r.best().intercept());
        scores.models().forEach(m -> System.out.printf("  %-13s G=%.6f V=%.6f xScore=%.6f rank=%d proxy=%.6f%n",
                m.model(), m.g(), m.v(), m.xscore(), m.rank(), r.proxy().get(m.model())));
    }
}
