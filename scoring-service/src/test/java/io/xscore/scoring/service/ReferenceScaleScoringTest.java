package io.xscore.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.ScoreSet.ModelScore;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.Protocols;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.VarianceDivisor;
import io.xscore.scoring.xscore.XScoreCalculator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paper-protocol evaluations on the fixed reference scale (pure). */
class ReferenceScaleScoringTest {

    static final List<String> SEVEN = List.of("imagenette", "cifar10", "cifar100", "ham10000", "stanford_dogs",
            "mit_indoor67", "miniplaces");
    static final List<String> PROXY = List.of("cifar10", "ham10000", "stanford_dogs", "mit_indoor67");
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** A straightforward computation: anchors = column min/max of the CSV; Â, G, V (divisor), G − λV. */
    static double[] direct(Map<String, Double> row, double lambda, VarianceDivisor divisor) {
        AccuracyTable ref = ReferenceData.paper().table();
        double[] n = new double[SEVEN.size()];
        double g = 0;
        for (int j = 0; j < n.length; j++) {
            double min = 101;
            double max = -1;
            for (String m : ref.models()) {
                min = Math.min(min, ref.get(m, SEVEN.get(j)));
                max = Math.max(max, ref.get(m, SEVEN.get(j)));
            }
            n[j] = (row.get(SEVEN.get(j)) - min) / (max - min);
            g += n[j] / n.length;
        }
        double ss = 0;
        for (double v : n) {
            ss += (v - g) * (v - g);
        }
        double v = ss / (divisor == VarianceDivisor.SAMPLE ? n.length - 1 : n.length);
        return new double[] {g, v, g - lambda * v};
    }

    static EvaluationPlan plan(String id, List<String> models, List<String> datasets, List<Long> seeds) {
        List<PlannedJob> jobs = new ArrayList<>();
        for (String m : models) {
            for (String d : datasets) {
                for (long s : seeds) {
                    jobs.add(new PlannedJob(String.format("%032x", Math.abs((id + m + d + s).hashCode())), m, d, s,
                            false));
                }
            }
        }
        return new EvaluationPlan(1, id, "paper-v1", true, models, datasets, seeds, jobs, NOW);
    }

    static TrainingResult ok(EvaluationPlan plan, PlannedJob j, double accuracy) {
        return new TrainingResult(1, plan.evaluationId(), j.jobId(), j.model(), j.dataset(), j.seed(), "paper-v1", true,
                TrainingResult.Status.SUCCEEDED, accuracy, null, null, null, null, null, null, null, null, null, null,
                Protocols.get("paper-v1"), NOW);
    }

    @Test
    void aFullPaperModelGetsItsFixedAnchorXScoreWithSeedStatistics() {
        for (double lambda : new double[] {0, 0.5, 2}) {
            for (VarianceDivisor divisor : VarianceDivisor.values()) {
                XScoreCalculator calc = new XScoreCalculator(lambda, divisor);
                EvaluationScorer scorer = new EvaluationScorer(calc,
                        List.of(ReferenceScale.of(ReferenceData.paper(), calc, 4)));
                EvaluationPlan plan = plan("p1", List.of("convmixer-128-4"), SEVEN, List.of(0L, 1L));
                double[] base = {91, 96, 80, 81, 66, 60, 62}; // better than every reference model on several
                List<TrainingResult> rs = new ArrayList<>();
                for (PlannedJob j : plan.jobs()) {
                    rs.add(ok(plan, j, base[SEVEN.indexOf(j.dataset())] + (j.seed() == 0 ? -0.5 : 0.5)));
                }
                ScoreSet set = scorer.score(plan, rs, NOW);
                MessageCodec.encode(set); // valid against the schema
                assertEquals("reference", set.scale());
                ModelScore m = set.scores().get(0);
                Map<String, Double> means = new LinkedHashMap<>();
                for (int j = 0; j < 7; j++) {
                    means.put(SEVEN.get(j), base[j]);
                }
                double[] expected = direct(means, lambda, divisor);
                assertEquals(expected[0], m.g(), 1e-9);
                assertEquals(expected[1], m.v(), 1e-9);
                assertEquals(expected[2], m.xscore(), 1e-9);
                assertTrue(m.g() > 1.0, "Â > 1 above the best reference model");
                assertEquals(2, m.accuracies().get("cifar10").seeds());
                assertEquals(0.5, m.accuracies().get("cifar10").stderr(), 1e-12); // sd √0.5 / √2
                assertNull(m.note());
            }
        }
    }

    @Test
    void aProxyPaperModelGetsTheLabelledProxyXScoreAndOthersANote() {
        EvaluationScorer scorer = new EvaluationScorer(XScoreCalculator.defaults());
        ReferenceScale scale = ReferenceScale.of(ReferenceData.paper(), XScoreCalculator.defaults(), 4);
        EvaluationPlan plan = plan("p2", List.of("convmixer-64-2", "convmixer-32-2"), PROXY, List.of(0L));
        Map<String, Double> a = Map.of("cifar10", 93.0, "ham10000", 78.0, "stanford_dogs", 50.0, "mit_indoor67", 45.0);
        List<TrainingResult> rs = new ArrayList<>();
        for (PlannedJob j : plan.jobs()) {
            rs.add(ok(plan, j, a.get(j.dataset()) - (j.model().equals("convmixer-32-2") ? 5 : 0)));
        }
        ScoreSet set = scorer.score(plan, rs, NOW);
        MessageCodec.encode(set);
        assertEquals("reference", set.scale());
        ModelScore first = set.scores().get(0);
        assertEquals("convmixer-64-2", first.model());
        assertEquals(scale.proxy().predict(a), first.xscore(), 1e-12);
        assertEquals(1, first.rank());
        assertNull(first.g());
        assertTrue(first.note().startsWith("proxy: 4-dataset proxy xScore from cifar10, ham10000, stanford_dogs, "
                + "mit_indoor67"), first.note());
        // intercept + Σ coefficient · accuracy, by hand
        double byHand = scale.proxy().intercept();
        for (String d : PROXY) {
            byHand += scale.proxy().coefficients().get(d) * a.get(d);
        }
        assertEquals(byHand, first.xscore(), 1e-12);

        EvaluationPlan single = plan("p3", List.of("convmixer-32-2", "convmixer-64-2"), List.of("cifar10"),
                List.of(0L));
        ScoreSet none = scorer.score(single, single.jobs().stream().map(j -> ok(single, j, 90)).toList(), NOW);
        assertEquals("reference", none.scale());
        assertTrue(none.scores().stream().allMatch(s -> s.xscore() == null
                && s.note().startsWith("not on the reference scale")), none.toString());
    }
}
