package io.xscore.common.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hendrycks &amp; Dietterich's corruption metrics on a hand-checked table (errors E = 1 − accuracy):
 *
 * <pre>
 *                 clean E   severity 1..5 errors        Σ_s E   Σ_s (E − E_clean)
 * model    a      0.10      .20 .30 .40 .50 .60          2.0     2.0 − 0.5 = 1.5
 * model    b      0.10      .10 .15 .20 .25 .30          1.0     1.0 − 0.5 = 0.5
 * baseline a      0.20      .40 .50 .60 .70 .80          3.0     3.0 − 1.0 = 2.0
 * baseline b      0.20      .20 .30 .40 .50 .60          2.0     2.0 − 1.0 = 1.0
 * </pre>
 *
 * CE_a = 2/3, CE_b = 1/2, mCE = 7/12 = 0.583333; relative CE_a = 1.5/2 = 0.75, relative CE_b = 0.5/1 = 0.5, relative
 * mCE = 0.625; the model's mean corruption accuracy = 1 − 3.0/10 = 0.70.
 */
class CorruptionMetricsTest {

    static double[] acc(double... errors) {
        double[] a = new double[errors.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1 - errors[i];
        }
        return a;
    }

    static Map<String, double[]> table(double[] a, double[] b) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    static final CorruptionAccuracies MODEL = new CorruptionAccuracies("m", 0.90,
            table(acc(.20, .30, .40, .50, .60), acc(.10, .15, .20, .25, .30)));
    static final CorruptionAccuracies BASE = new CorruptionAccuracies("mobilenetv2-ref", 0.80,
            table(acc(.40, .50, .60, .70, .80), acc(.20, .30, .40, .50, .60)));

    @Test
    void accuracies() {
        assertEquals(0.70, CorruptionMetrics.corruptionAccuracy(MODEL, "a", 2), 1e-12);
        assertEquals(0.70, CorruptionMetrics.meanCorruptionAccuracy(MODEL), 1e-12);
        assertEquals(0.50, CorruptionMetrics.meanCorruptionAccuracy(BASE), 1e-12); // 1 − (3.0 + 2.0)/10
    }

    @Test
    void ceAndMce() {
        assertEquals(2.0 / 3, CorruptionMetrics.corruptionError(MODEL, BASE, "a"), 1e-12);
        assertEquals(0.5, CorruptionMetrics.corruptionError(MODEL, BASE, "b"), 1e-12);
        CorruptionMetrics.NormalisedError mce = CorruptionMetrics.meanCorruptionError(MODEL, BASE);
        assertEquals(7.0 / 12, mce.mean(), 1e-12);
        assertEquals("m", mce.model());
        assertEquals("mobilenetv2-ref", mce.baseline());
        assertEquals("mCE of m against baseline mobilenetv2-ref over 2 corruptions = 0.583333", mce.description());
        assertEquals(1.0, CorruptionMetrics.meanCorruptionError(BASE, BASE).mean(), 1e-12);
    }

    @Test
    void relativeCeAndMce() {
        assertEquals(0.75, CorruptionMetrics.relativeCorruptionError(MODEL, BASE, "a"), 1e-12);
        assertEquals(0.5, CorruptionMetrics.relativeCorruptionError(MODEL, BASE, "b"), 1e-12);
        CorruptionMetrics.NormalisedError rel = CorruptionMetrics.relativeMeanCorruptionError(MODEL, BASE);
        assertEquals(0.625, rel.mean(), 1e-12);
        assertEquals("relative CE", rel.metric());
        assertTrue(rel.description().startsWith("relative mCE of m against baseline mobilenetv2-ref"));
    }

    @Test
    void rejectsMissingCells() {
        assertThrows(IllegalArgumentException.class, () -> new CorruptionAccuracies("m", 0.9,
                Map.of("a", new double[] {.9, .8, .7, .6})));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> new CorruptionAccuracies(
                "m", 0.9, Map.of("a", new double[] {.9, .8, Double.NaN, .6, .5})));
        assertTrue(nan.getMessage().contains("a severity 3"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CorruptionAccuracies("m", Double.NaN,
                Map.of("a", new double[] {.9, .8, .7, .6, .5})));
        assertThrows(IllegalArgumentException.class, () -> new CorruptionAccuracies("m", 0.9,
                Map.of("a", new double[] {.9, .8, .7, .6, 1.5})));
        assertThrows(IllegalArgumentException.class, () -> new CorruptionAccuracies("m", 0.9, Map.of()));
        // the baseline lacks corruption b
        CorruptionAccuracies partial = new CorruptionAccuracies("base", 0.8, Map.of("a", acc(.4, .5, .6, .7, .8)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CorruptionMetrics.meanCorruptionError(MODEL, partial));
        assertTrue(missing.getMessage().contains("every cell"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CorruptionMetrics.relativeMeanCorruptionError(MODEL,
                partial));
        assertThrows(IllegalArgumentException.class, () -> CorruptionMetrics.corruptionAccuracy(MODEL, "a", 6));
        assertThrows(IllegalArgumentException.class, () -> CorruptionMetrics.corruptionError(MODEL, BASE, "c"));
    }

    @Test
    void rejectsUndefinedNormalisation() {
        // a baseline with no error under a, and one that does not degrade under a
        CorruptionAccuracies perfect = new CorruptionAccuracies("p", 1.0, table(acc(0, 0, 0, 0, 0),
                acc(.2, .3, .4, .5, .6)));
        assertThrows(IllegalArgumentException.class, () -> CorruptionMetrics.corruptionError(MODEL, perfect, "a"));
        CorruptionAccuracies flat = new CorruptionAccuracies("f", 0.8, table(acc(.2, .2, .2, .2, .2),
                acc(.2, .3, .4, .5, .6)));
        assertThrows(IllegalArgumentException.class, () -> CorruptionMetrics.relativeCorruptionError(MODEL, flat,
                "a"));
    }

    @Test
    void inputsAreCopied() {
        double[] row = acc(.2, .3, .4, .5, .6);
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("a", row);
        CorruptionAccuracies t = new CorruptionAccuracies("m", 0.9, m);
        row[0] = 0;
        assertEquals(0.8, t.accuracy("a", 1), 1e-12);
    }
}
