package io.xscore.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.ScoreSet.ModelScore;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.scoring.xscore.XScoreCalculator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Assembling score sets from plans and results (pure, no Quarkus). */
class EvaluationScorerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final EvaluationScorer scorer = new EvaluationScorer(XScoreCalculator.defaults());

    /** Plan with models × datasets × seeds, job id = hex of (model, dataset, seed) position. */
    static EvaluationPlan plan(String evaluationId, List<String> models, List<String> datasets, List<Long> seeds) {
        List<PlannedJob> jobs = new ArrayList<>();
        for (String m : models) {
            for (String d : datasets) {
                for (long s : seeds) {
                    jobs.add(new PlannedJob(jobId(m, d, s), m, d, s, false));
                }
            }
        }
        return new EvaluationPlan(1, evaluationId, "quick", false, models, datasets, seeds, jobs, NOW);
    }

    static String jobId(String model, String dataset, long seed) {
        return String.format("%032x", Math.abs((model + "/" + dataset + "/" + seed).hashCode()));
    }

    static TrainingResult ok(String evaluationId, String model, String dataset, long seed, double accuracy) {
        return new TrainingResult(1, evaluationId, jobId(model, dataset, seed), model, dataset, seed, "quick", false,
                TrainingResult.Status.SUCCEEDED, accuracy, null, null, 1000L, 1.0, null, null, null, null, null, null,
                io.xscore.common.protocol.Protocols.get("quick"), NOW);
    }

    static TrainingResult failed(String evaluationId, String model, String dataset, long seed, String reason) {
        return new TrainingResult(1, evaluationId, jobId(model, dataset, seed), model, dataset, seed, "quick", false,
                TrainingResult.Status.FAILED, null, null, null, null, null, null, null, null, null, null, reason,
                null, NOW);
    }

    @Test
    void multiSeedMeansAndStandardErrorsFeedTheScore() {
        EvaluationPlan plan = plan("e1", List.of("a", "b"), List.of("d1", "d2"), List.of(0L, 1L, 2L));
        List<TrainingResult> rs = new ArrayList<>();
        // a: d1 80/82/84 (mean 82, stderr 2/√3), d2 70/70/70 (mean 70, stderr 0)
        rs.add(ok("old", "a", "d1", 0, 80)); rs.add(ok("old", "a", "d1", 1, 82)); rs.add(ok("old", "a", "d1", 2, 84));
        rs.add(ok("e1", "a", "d2", 0, 70)); rs.add(ok("e1", "a", "d2", 1, 70)); rs.add(ok("e1", "a", "d2", 2, 70));
        // b: d1 mean 72, d2 mean 90
        rs.add(ok("e1", "b", "d1", 0, 71)); rs.add(ok("e1", "b", "d1", 1, 72)); rs.add(ok("e1", "b", "d1", 2, 73));
        rs.add(ok("e1", "b", "d2", 0, 90)); rs.add(ok("e1", "b", "d2", 1, 90)); rs.add(ok("e1", "b", "d2", 2, 90));
        ScoreSet set = scorer.score(plan, rs, NOW);
        MessageCodec.encode(set); // schema-valid
        assertTrue(set.complete());
        assertNull(set.note());
        assertEquals("recomputed", set.scale());
        assertEquals("sample", set.varianceDivisor());
        assertEquals(0.5, set.lambda());
        assertEquals("quick", set.protocol());
        ModelScore a = model(set, "a");
        assertEquals(82.0, a.accuracies().get("d1").mean(), 1e-12);
        assertEquals(2 / Math.sqrt(3), a.accuracies().get("d1").stderr(), 1e-12);
        assertEquals(3, a.accuracies().get("d1").seeds());
        assertEquals(0.0, a.accuracies().get("d2").stderr(), 1e-12);
        // anchors d1 [72, 82], d2 [70, 90]: a Â (1, 0) → G 0.5, V 0.5, x 0.25; b Â (0, 1) → same: tie at rank 1
        assertEquals(0.25, a.xscore(), 1e-12);
        assertEquals(0.25, model(set, "b").xscore(), 1e-12);
        assertEquals(1, a.rank());
        assertEquals(1, model(set, "b").rank());
    }

    @Test
    void failedAndPendingModels() {
        EvaluationPlan plan = plan("e2", List.of("a", "b", "c"), List.of("d1", "d2"), List.of(0L));
        List<TrainingResult> rs = new ArrayList<>(List.of(ok("e2", "a", "d1", 0, 90), ok("e2", "a", "d2", 0, 60),
                failed("e2", "b", "d2", 0, "CUDA out of memory"), ok("e2", "c", "d1", 0, 70)));
        ScoreSet partial = scorer.score(plan, rs, NOW);
        assertFalse(partial.complete());
        assertTrue(EvaluationScorer.hasScoredContent(partial));
        assertEquals("anchors need at least 2 models (1 complete)", partial.note());
        ModelScore b = model(partial, "b");
        assertNull(b.xscore());
        assertEquals("failed, no score: job " + jobId("b", "d2", 0) + " (d2, seed 0) failed: CUDA out of memory",
                b.note());
        assertEquals(EvaluationScorer.PENDING_NOTE, model(partial, "c").note());
        assertTrue(model(partial, "c").accuracies().isEmpty());

        rs.add(ok("e2", "c", "d2", 0, 80));
        ScoreSet done = scorer.score(plan, rs, NOW);
        MessageCodec.encode(done);
        assertTrue(done.complete());
        // a (90, 60), c (70, 80): a Â (1, 0), c Â (0, 1): both 0.25, tie
        assertEquals(0.25, model(done, "a").xscore(), 1e-12);
        assertEquals(0.25, model(done, "c").xscore(), 1e-12);
        assertNull(model(done, "b").xscore());
        assertEquals(List.of("a", "c", "b"), done.scores().stream().map(ModelScore::model).toList());
        assertNotEquals(EvaluationScorer.fingerprint(partial), EvaluationScorer.fingerprint(done));
    }

    @Test
    void nothingToPublishBeforeTheFirstModelFinishes() {
        EvaluationPlan plan = plan("e3", List.of("a", "b"), List.of("d1"), List.of(0L));
        ScoreSet set = scorer.score(plan, List.of(ok("e3", "a", "d9", 0, 50)), NOW);
        assertFalse(EvaluationScorer.hasScoredContent(set));
        assertFalse(set.complete());
        assertTrue(set.note().startsWith("no model is complete yet"), set.note());
    }

    @Test
    void resultsContradictingThePlanAreIgnored() {
        EvaluationPlan plan = plan("e4", List.of("a", "b"), List.of("d1"), List.of(0L));
        TrainingResult wrongModel = ok("e4", "zzz", "d1", 0, 50);
        TrainingResult disguised = new TrainingResult(1, "e4", jobId("a", "d1", 0), "a", "d1", 0, "paper-v1", true,
                TrainingResult.Status.SUCCEEDED, 90.0, null, null, 1L, 1.0, null, null, null, null, null, null,
                io.xscore.common.protocol.Protocols.get("quick"), NOW);
        TrainingResult misfiled = new TrainingResult(1, "e4", jobId("b", "d1", 0), "zzz", "d1", 0, "quick", false,
                TrainingResult.Status.SUCCEEDED, 90.0, null, null, 1L, 1.0, null, null, null, null, null, null,
                io.xscore.common.protocol.Protocols.get("quick"), NOW);
        ScoreSet set = scorer.score(plan, List.of(wrongModel, disguised, misfiled), NOW);
        assertFalse(EvaluationScorer.hasScoredContent(set));
        assertTrue(set.note().contains("trained under protocol paper-v1 but the evaluation uses quick"), set.note());
        assertTrue(set.note().contains("but the plan expects (b, d1, seed 0)"), set.note());
    }

    @Test
    void fingerprintIgnoresOnlyTheComputationTime() {
        EvaluationPlan plan = plan("e5", List.of("a", "b"), List.of("d1"), List.of(0L));
        List<TrainingResult> rs = List.of(ok("e5", "a", "d1", 0, 50), ok("e5", "b", "d1", 0, 60));
        String first = EvaluationScorer.fingerprint(scorer.score(plan, rs, NOW));
        assertEquals(first, EvaluationScorer.fingerprint(scorer.score(plan, rs, NOW.plusSeconds(60))));
        ScoreSet other = new EvaluationScorer(new XScoreCalculator(1, io.xscore.scoring.xscore.VarianceDivisor.SAMPLE))
                .score(plan, rs, NOW);
        assertNotEquals(first, EvaluationScorer.fingerprint(other));
    }

    @Test
    void planChecks() {
        EvaluationPlan good = plan("e6", List.of("a"), List.of("d1", "d2"), List.of(0L));
        assertEquals(good, PlanChecks.check(good));
        EvaluationPlan missingCell = new EvaluationPlan(1, "e6", "quick", false, List.of("a"), List.of("d1", "d2"),
                List.of(0L), good.jobs().subList(0, 1), NOW);
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> PlanChecks.check(missingCell));
        assertEquals("EvaluationPlan e6 is inconsistent: no job for model a on dataset d2", e.getMessage());
        List<PlannedJob> twice = List.of(good.jobs().get(0), good.jobs().get(0), good.jobs().get(1));
        assertThrows(InvalidMessageException.class, () -> PlanChecks.check(new EvaluationPlan(1, "e6", "quick", false,
                List.of("a"), List.of("d1", "d2"), List.of(0L), twice, NOW)));
        List<PlannedJob> stray = List.of(good.jobs().get(0), good.jobs().get(1),
                new PlannedJob(jobId("x", "d1", 0), "x", "d1", 0, false));
        assertThrows(InvalidMessageException.class, () -> PlanChecks.check(new EvaluationPlan(1, "e6", "quick", false,
                List.of("a"), List.of("d1", "d2"), List.of(0L), stray, NOW)));
    }

    private static ModelScore model(ScoreSet set, String model) {
        return set.scores().stream().filter(s -> s.model().equals(model)).findFirst().orElseThrow();
    }
}
