package io.xscore.trainer.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.trainer.robustness.PgdSettings.Norm;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgdSettingsTest {

    @Test
    void madryDefaults() {
        List<PgdSettings> linf = PgdSettings.linfDefaults(3);
        assertEquals(4, linf.size());
        double[] expected = {1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0};
        for (int i = 0; i < 4; i++) {
            PgdSettings s = linf.get(i);
            assertEquals(Norm.LINF, s.norm());
            assertEquals(expected[i], s.epsilon(), 1e-15);
            assertEquals(10, s.steps());
            assertEquals(2.5 * expected[i] / 10, s.stepSize(), 1e-15);
            assertTrue(s.randomStart());
            assertEquals(3, s.seed());
        }
        List<PgdSettings> l2 = PgdSettings.l2Defaults(3);
        assertEquals(List.of(0.125, 0.25, 0.5, 1.0), l2.stream().map(PgdSettings::epsilon).toList());
        assertEquals(0.125, l2.get(2).stepSize(), 1e-15);
    }

    @Test
    void description() {
        assertEquals("pgd-linf-10(eps=0.0157, step=0.0039, random-start)",
                PgdSettings.madry(Norm.LINF, 4 / 255.0, 10, 0).description());
        assertEquals("pgd-l2-5(eps=0.5000, step=0.1000)", new PgdSettings(Norm.L2, 0.5, 5, 0.1, false, 0).description());
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new PgdSettings(null, 0.1, 1, 0.1, true, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PgdSettings(Norm.LINF, -0.1, 1, 0.1, true, 0));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PgdSettings(Norm.LINF, Double.NaN, 1, 0.1, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new PgdSettings(Norm.LINF, 0.1, -1, 0.1, true, 0));
        e = assertThrows(IllegalArgumentException.class, () -> new PgdSettings(Norm.LINF, 0.1, 3, 0, true, 0));
        assertTrue(e.getMessage().contains("stepSize must be > 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PgdSettings(Norm.L2, 0.1, 3, Double.NaN, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new PgdSettings(Norm.L2, 0.1, 3, -1, true, 0));
        // no steps, or no radius: the step size is unused and may be 0
        assertFalse(PgdSettings.madry(Norm.LINF, 0, 10, 0).perturbs());
        assertTrue(PgdSettings.madry(Norm.LINF, 0.1, 0, 0).perturbs(), "a random start alone perturbs");
        assertFalse(new PgdSettings(Norm.LINF, 0.1, 0, 0, false, 0).perturbs());
        assertEquals(0.05, PgdSettings.madry(Norm.LINF, 0.1, 5, 0).withEpsilon(0.2).stepSize() / 2, 1e-15);
    }
}
