package io.xscore.scoring.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.RobustnessBoard;
import io.xscore.common.messaging.RobustnessBoard.ModelRobustness;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessReport.PerturbedAccuracy;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.Protocols;
import io.xscore.common.robustness.RobustnessSuites;
import io.xscore.scoring.xscore.XScoreCalculator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The robustness board on a small, hand-checked table. */
class RobustnessScorerTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final String F = "fashion-mnist";
    static final String S = "synthetic-shapes";
    static final List<String> MODELS = List.of("a", "b", "c", "d");
    static final RobustnessSpec SPEC = RobustnessSuites.resolve(new RobustnessSpec(
            List.of("low-resolution", "corruptions", "pgd"), 100, 0L,
            new RobustnessSpec.LowResolutionSettings(List.of(16)),
            new RobustnessSpec.CorruptionSettings(List.of("contrast"), null, "a"),
            new RobustnessSpec.PgdSettings("linf", List.of(4 / 255.0), null, null, null)), MODELS,
            List.of("contrast"));

    final RobustnessScorer scorer = new RobustnessScorer(XScoreCalculator.defaults());

    static EvaluationPlan plan(RobustnessSpec spec) {
        List<PlannedJob> jobs = new ArrayList<>();
        for (String m : MODELS) {
            for (String d : List.of(F, S)) {
                for (long s : List.of(0L, 1L)) {
                    jobs.add(new PlannedJob(jobId(m, d, s), m, d, s, false));
                }
            }
        }
        return new EvaluationPlan(1, "e", "quick", false, MODELS, List.of(F, S), List.of(0L, 1L), jobs, NOW, spec);
    }

    static String jobId(String model, String dataset, long seed) {
        return String.format("%032x", Math.abs((model + "/" + dataset + "/" + seed).hashCode()));
    }

    /** clean, LR n=16, contrast at severities 1..5, PGD at 4/255 (percent). */
    static TrainingResult result(String model, String dataset, long seed, double clean, double low,
                                 double[] contrast, double pgd) {
        List<PerturbedAccuracy> a = new ArrayList<>();
        a.add(PerturbedAccuracy.lowResolution("lr0fm-16@32", low, 16));
        for (int s = 1; s <= 5; s++) {
            a.add(PerturbedAccuracy.corruption("contrast/" + s, contrast[s - 1], "contrast", s));
        }
        a.add(PerturbedAccuracy.pgd("pgd-linf-10", pgd, "linf", 4 / 255.0));
        return new TrainingResult(1, "e", jobId(model, dataset, seed), model, dataset, seed, "quick", false,
                TrainingResult.Status.SUCCEEDED, clean, null, null, 1000L, 1.0, null, null, null, null, null, null,
                Protocols.get("quick"), NOW).withRobustness(new RobustnessReport(SPEC, 100, "stratified", clean, a,
                null, 1.0));
    }

    static double[] flat(double v) {
        return new double[] {v, v, v, v, v};
    }

    static List<TrainingResult> results() {
        List<TrainingResult> r = new ArrayList<>();
        // a: seeds differ on F (means 85 / 65 / 75..35 / 25), equal on S
        r.add(result("a", F, 0, 80, 60, new double[] {70, 60, 50, 40, 30}, 20));
        r.add(result("a", F, 1, 90, 70, new double[] {80, 70, 60, 50, 40}, 30));
        for (long s : List.of(0L, 1L)) {
            r.add(result("a", S, s, 50, 40, new double[] {40, 30, 20, 10, 0}, 10));
            // b: does not degrade under contrast at all
            r.add(result("b", F, s, 80, 40, flat(80), 50));
            r.add(result("b", S, s, 60, 30, flat(60), 5));
            // c: worst everywhere
            r.add(result("c", F, s, 40, 20, flat(20), 1));
            r.add(result("c", S, s, 30, 10, flat(10), 1));
        }
        // d: one job has no report yet
        r.add(result("d", F, 0, 70, 50, flat(50), 10));
        return r;
    }

    @Test
    void theBoardOnAHandCheckedTable() {
        RobustnessBoard board = scorer.board(plan(SPEC), results());
        assertEquals(List.of("a", "b", "c"), board.models().stream().map(ModelRobustness::model).toList());
        assertTrue(board.notes().stream().anyMatch(n -> n.startsWith("d: not on the board")), board.notes().toString());

        ModelRobustness a = board.models().get(0);
        assertEquals(85.0, a.cleanAccuracy().get(F), 1e-12, "mean over seeds");
        RobustnessBoard.LowResolutionRow lr = a.lowResolution().get(0);
        assertEquals(16, lr.shorterSide());
        assertEquals(65.0, lr.accuracy().get(F), 1e-12);
        assertEquals(65.0 / 85, lr.gamma().get(F), 1e-12);
        assertEquals(0.8, lr.gamma().get(S), 1e-12);
        assertEquals((65.0 / 85 + 0.8) / 2, lr.sarGamma(), 1e-12);
        // far above chance (1/10), the gate is 1 to 1e-12: Γ = γ
        assertEquals(lr.gamma().get(F), lr.improvedGamma().get(F), 1e-12);
        assertNotNull(lr.warImprovedGamma(), "three models: WAR weights fitted");

        RobustnessBoard.CorruptionSummary ca = a.corruptions();
        assertEquals(55.0, ca.meanAccuracy().get(F), 1e-12);
        assertEquals(20.0, ca.meanAccuracy().get(S), 1e-12);
        assertEquals(37.5, ca.meanCorruptionAccuracy(), 1e-12);
        assertEquals(1.0, ca.mce().get(F), 1e-12, "the baseline against itself");
        assertEquals("a", ca.baseline());
        RobustnessBoard.CorruptionSummary cb = board.models().get(1).corruptions();
        // Σ_s E_b = 5 · 0.2 over Σ_s E_a = .25 + .35 + .45 + .55 + .65
        assertEquals(1.0 / 2.25, cb.mce().get(F), 1e-12);
        // b does not degrade: Σ (E_s − E_clean) = 0
        assertEquals(0.0, cb.relativeMce().get(F), 1e-12);
        assertEquals(25.0, a.pgd().get(0).accuracy().get(F), 1e-12);
        assertEquals("linf", a.pgd().get(0).norm());
        assertEquals(4 / 255.0, a.pgd().get(0).epsilon(), 0.0, "the radius as reported, not as the key rounds it");

        assertEquals(1, board.warWeights().size());
        double sum = board.warWeights().get(0).weights().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, sum, 1e-9);

        List<String> measures = board.robustXScores().stream().map(RobustnessBoard.RobustXScore::measure).toList();
        assertEquals(List.of("lr0fm-16", "corruptions-mean", "pgd-linf-0.0156863"), measures);
        RobustnessBoard.RobustXScore pgd = board.robustXScores().get(2);
        // PGD: b is best on F (50), a on S (10): c is last on both datasets
        assertEquals("c", pgd.scores().get(2).model());
        assertEquals(3, pgd.scores().get(2).rank());
        assertEquals("1-exp(-200.0*eps) (provisional)", board.chanceGate(), "the gate is named on the board");
    }

    @Test
    void aBaselineThatDoesNotDegradeLeavesRelativeMceUndefinedWithOneNote() {
        RobustnessSpec baselineB = RobustnessSuites.resolve(new RobustnessSpec(List.of("corruptions"), 100, 0L, null,
                new RobustnessSpec.CorruptionSettings(List.of("contrast"), null, "b"), null), MODELS,
                List.of("contrast"));
        RobustnessBoard board = scorer.board(plan(baselineB), results());
        RobustnessBoard.CorruptionSummary ca = board.models().get(0).corruptions();
        // a against b on F: Σ_s E_a = 2.25 over Σ_s E_b = 5 · 0.2
        assertEquals(2.25, ca.mce().get(F), 1e-12);
        assertNull(ca.relativeMce(), "b's errors do not grow under contrast on either dataset: undefined");
        for (String d : List.of(F, S)) {
            long notes = board.notes().stream().filter(n -> n.startsWith("relative mCE on " + d + ":")).count();
            assertEquals(1, notes, "said once per dataset, not once per model: " + board.notes());
        }
    }

    @Test
    void noSuitesNoBoard() {
        assertNull(scorer.board(plan(null), results()));
    }

    @Test
    void partialSeveritiesGiveNoMce() {
        RobustnessSpec three = RobustnessSuites.resolve(new RobustnessSpec(List.of("corruptions"), 100, 0L, null,
                new RobustnessSpec.CorruptionSettings(List.of("contrast"), List.of(1, 3, 5), "a"), null), MODELS,
                List.of("contrast"));
        RobustnessBoard board = scorer.board(plan(three), results());
        RobustnessBoard.CorruptionSummary ca = board.models().get(0).corruptions();
        assertNull(ca.mce());
        assertEquals(List.of("contrast/1", "contrast/3", "contrast/5"), List.copyOf(ca.accuracy().keySet()));
        assertEquals((75 + 55 + 35) / 3.0, ca.meanAccuracy().get(F), 1e-12);
        assertTrue(board.notes().stream().anyMatch(n -> n.contains("all five severities")), board.notes().toString());
        assertNull(board.models().get(0).lowResolution(), "a suite that did not run has no rows");
    }
}
