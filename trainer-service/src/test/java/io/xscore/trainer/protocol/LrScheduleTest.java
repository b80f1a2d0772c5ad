package io.xscore.trainer.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void paperV1MatchesAnIndependentEvaluationForAllHundredEpochs() {
        ProtocolSpec paper = Protocols.get("paper-v1");
        LrSchedule schedule = LrSchedule.of(paper, "convmixer");
        assertEquals(100, schedule.epochs());
        for (int e = 0; e < 100; e++) {
            // Independent evaluation: BigDecimal for the warm-up fraction, StrictMath for the cosine.
            double expected;
            if (e < 5) {
                expected = new BigDecimal("1e-3").multiply(BigDecimal.valueOf(e + 1))
                        .divide(BigDecimal.valueOf(5), MathContext.DECIMAL64).doubleValue();
            } else {
                double p = (e + 1 - 5) / 95.0;
                expected = 1e-5 + (1e-3 - 1e-5) * (1 + StrictMath.cos(StrictMath.PI * p)) / 2;
            }
            assertEquals(expected, schedule.lr(e), 1e-15, "epoch " + e);
        }
        assertEquals(2e-4, schedule.lr(0), 1e-15);
        assertEquals(1e-3, schedule.lr(4), 1e-15);
        assertEquals(1e-5, schedule.lr(99), 1e-15);
        // half way through the cosine part: p = 0.5 → mean of lr_max and lr_min
        assertEquals((1e-3 + 1e-5) / 2, new LrSchedule(105, 5, 1e-3, 1e-5).lr(54), 1e-15);
    }

    @Test
    void mobileVitUsesItsOwnPeak() {
        LrSchedule schedule = LrSchedule.of(Protocols.get("paper-v1"), "mobilevit");
        assertEquals(1e-4, schedule.lr(4), 1e-15);
        assertEquals(1e-5, schedule.lr(99), 1e-15);
    }

    @Test
    void quickProtocolEndsAtLrMin() {
        LrSchedule schedule = LrSchedule.of(Protocols.get("quick"), "convmixer-128-4");
        assertEquals(1e-3, schedule.lr(0), 1e-15);
        assertEquals(1e-5, schedule.lr(2), 1e-15);
    }
}
