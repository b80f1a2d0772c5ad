package io.xscore.scoring.service;

import io.xscore.common.hash.Sha256;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.ScoreSet.DatasetAccuracy;
import io.xscore.common.messaging.ScoreSet.ModelScore;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.robustness.RobustnessScorer;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.Anchors;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.SeedStatistics;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns an evaluation plan and the stored results of its jobs into a {@link ScoreSet} (pure; no I/O).
 *
 * <ul>
 *   <li>Results are matched to the plan by job id only (a reused job's result carries the evaluation id of the
 *       evaluation that trained it). A result whose model, dataset, seed or protocol contradicts its planned job is
 *       ignored and the note says so.</li>
 *   <li>A model is <em>complete</em> when every planned (dataset, seed) job for it has a SUCCEEDED result; its
 *       accuracy per dataset is the mean over seeds with standard error and seed count. A model with a FAILED job
 *       is <em>failed</em>: it can never complete, is listed with a note naming the failed job(s) and has no score.
 *       Any other model is <em>pending</em>. Failed and pending models are listed with empty accuracies so that the
 *       score set only changes when a model completes or fails.</li>
 *   <li>Non-paper protocols (and paper protocols without reference data): xScores over the complete models only, on
 *       anchors recomputed from them (scale {@code recomputed}).</li>
 *   <li>A paper-protocol evaluation whose protocol has reference data is placed on the fixed reference scale (scale
 *       {@code reference}, {@link ReferencePlacement}): a complete model with all reference datasets gets the full
 *       xScore on the paper's anchors, one with the proxy datasets only gets the proxy xScore (note starting with
 *       {@code proxy:}, g and v absent), others get a note. Ranks are within the evaluation.</li>
 *   <li>{@code complete} is true once no model is pending.</li>
 *   <li>Scores are ordered by rank, then unscored models in plan order.</li>
 *   <li>An evaluation with robustness suites gets its robustness board ({@link RobustnessScorer}), updated as reports
 *       arrive.</li>
 * </ul>
 */
public final class EvaluationScorer {

    static final String PENDING_NOTE = "pending: waiting for training results";

    private final XScoreCalculator calculator;
    private final RobustnessScorer robustness;
    private final Map<String, ReferenceScale> referenceScales = new LinkedHashMap<>();

    /** With the paper's reference scale (paper-v1, proxy subset of size 4). */
    public EvaluationScorer(XScoreCalculator calculator) {
        this(calculator, List.of(ReferenceScale.of(ReferenceData.paper(), calculator, 4)));
    }

    public EvaluationScorer(XScoreCalculator calculator, List<ReferenceScale> scales) {
        this.calculator = calculator;
        this.robustness = new RobustnessScorer(calculator);
        scales.forEach(s -> referenceScales.put(s.protocol(), s.withCalculator(calculator)));
    }

    public ScoreSet score(EvaluationPlan plan, Collection<TrainingResult> results, Instant computedAt) {
        return scoreAccuracies(plan, results, computedAt).withRobustness(robustness.board(plan, results));
    }

    private ScoreSet scoreAccuracies(EvaluationPlan plan, Collection<TrainingResult> results, Instant computedAt) {
        Map<String, TrainingResult> byJob = results.stream()
                .collect(Collectors.toMap(TrainingResult::jobId, Function.identity(), (a, b) -> a));
        List<String> notes = new ArrayList<>();
        Map<String, List<PlannedJob>> jobsByModel = new LinkedHashMap<>();
        plan.models().forEach(m -> jobsByModel.put(m, new ArrayList<>()));
        plan.jobs().forEach(j -> jobsByModel.computeIfAbsent(j.model(), m -> new ArrayList<>()).add(j));

        Map<String, Map<String, DatasetAccuracy>> completeModels = new LinkedHashMap<>();
        Map<String, String> unscoredNotes = new LinkedHashMap<>();
        for (var entry : jobsByModel.entrySet()) {
            String model = entry.getKey();
            List<String> failures = new ArrayList<>();
            Map<String, List<Double>> accuracies = new LinkedHashMap<>();
            boolean pending = entry.getValue().isEmpty();
            for (PlannedJob job : entry.getValue()) {
                TrainingResult r = byJob.get(job.jobId());
                String mismatch = r == null ? null : mismatch(plan, job, r);
                if (mismatch != null) {
                    notes.add("result of job " + job.jobId() + " ignored: " + mismatch);
                    r = null;
                }
                if (r == null) {
                    pending = true;
                } else if (r.status() == TrainingResult.Status.FAILED) {
                    failures.add("job " + job.jobId() + " (" + job.dataset() + ", seed " + job.seed() + ") failed: "
                            + (r.failureReason() == null ? "no reason given" : r.failureReason()));
                } else {
                    accuracies.computeIfAbsent(job.dataset(), d -> new ArrayList<>()).add(r.testAccuracy());
                }
            }
            if (!failures.isEmpty()) {
                unscoredNotes.put(model, "failed, no score: " + String.join("; ", failures));
            } else if (pending) {
                unscoredNotes.put(model, PENDING_NOTE);
            } else {
                Map<String, DatasetAccuracy> cells = new LinkedHashMap<>();
                for (String dataset : plan.datasets()) {
                    List<Double> values = accuracies.get(dataset);
                    if (values != null) {
                        SeedStatistics s = SeedStatistics.of(values);
                        cells.put(dataset, new DatasetAccuracy(s.mean(), s.stderr(), s.seeds()));
                    }
                }
                completeModels.put(model, cells);
            }
        }

        ReferenceScale scale = plan.paperProtocol() ? referenceScales.get(plan.protocol()) : null;
        if (scale != null) {
            return onReferenceScale(plan, scale, completeModels, unscoredNotes, notes, computedAt);
        }
        XScoreTable table = calculator.scoreRecomputed(tableOf(plan.datasets(), completeModels));
        notes.addAll(0, table.notes());
        if (completeModels.isEmpty()) {
            notes.add(0, "no model is complete yet");
        }
        List<ModelScore> scores = new ArrayList<>();
        table.models().stream()
                .sorted(Comparator.comparing(ModelXScore::rank, Comparator.nullsLast(Comparator.naturalOrder())))
                .forEach(m -> scores.add(new ModelScore(m.model(), completeModels.get(m.model()), m.g(), m.v(),
                        m.xscore(), m.rank(), null)));
        return assemble(plan, Anchors.SCALE_RECOMPUTED, scores, unscoredNotes, notes, computedAt);
    }

    /** Appends the unscored models (failed / pending) and builds the set. */
    private ScoreSet assemble(EvaluationPlan plan, String scale, List<ModelScore> scores,
                              Map<String, String> unscoredNotes, List<String> notes, Instant computedAt) {
        unscoredNotes.forEach((model, note) -> scores.add(new ModelScore(model, Map.of(), null, null, null, null,
                note)));
        boolean complete = unscoredNotes.values().stream().noneMatch(PENDING_NOTE::equals);
        return new ScoreSet(ScoreSet.SCHEMA_VERSION, plan.evaluationId(), plan.protocol(), plan.paperProtocol(),
                scale, calculator.lambda(), calculator.divisor().wireName(), plan.datasets(),
                scores, complete, notes.isEmpty() ? null : String.join("; ", notes), computedAt);
    }

    private ScoreSet onReferenceScale(EvaluationPlan plan, ReferenceScale scale,
                                      Map<String, Map<String, DatasetAccuracy>> completeModels,
                                      Map<String, String> unscoredNotes, List<String> notes, Instant computedAt) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        completeModels.forEach((model, cells) -> rows.put(model, means(cells)));
        if (completeModels.isEmpty()) {
            notes.add(0, "no model is complete yet");
        }
        List<ModelScore> scores = new ArrayList<>();
        ReferencePlacement.place(scale, scale.datasets(), rows).stream()
                .sorted(Comparator.comparing(ReferencePlacement.Placement::rank,
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .forEach(p -> scores.add(new ModelScore(p.key(), completeModels.get(p.key()), p.g(), p.v(),
                        p.xscore(), p.rank(), p.note())));
        return assemble(plan, Anchors.SCALE_REFERENCE, scores, unscoredNotes, notes, computedAt);
    }

    /** True when at least one model is complete or failed, i.e. there is something to publish. */
    public static boolean hasScoredContent(ScoreSet set) {
        return set.scores().stream().anyMatch(s -> !PENDING_NOTE.equals(s.note()));
    }

    /** SHA-256 of the score set's wire form without its computation time: equal content, equal fingerprint. */
    public static String fingerprint(ScoreSet set) {
        ScoreSet timeless = new ScoreSet(set.schemaVersion(), set.evaluationId(), set.protocol(), set.paperProtocol(),
                set.scale(), set.lambda(), set.varianceDivisor(), set.datasets(), set.scores(), set.complete(),
                set.note(), Instant.EPOCH, set.robustness());
        return Sha256.hex(MessageCodec.encode(timeless));
    }

    /** {@link PlanChecks} guarantees a job per (model, dataset), so a complete model has every cell. */
    private static AccuracyTable tableOf(List<String> datasets, Map<String, Map<String, DatasetAccuracy>> models) {
        AccuracyTable.Builder builder = AccuracyTable.builder(datasets);
        models.forEach((model, cells) -> builder.row(model, means(cells)));
        return builder.build();
    }

    private static Map<String, Double> means(Map<String, DatasetAccuracy> cells) {
        Map<String, Double> means = new LinkedHashMap<>();
        cells.forEach((d, a) -> means.put(d, a.mean()));
        return means;
    }

    private static String mismatch(EvaluationPlan plan, PlannedJob job, TrainingResult r) {
        if (!r.model().equals(job.model()) || !r.dataset().equals(job.dataset()) || r.seed() != job.seed()) {
            return "it is for (" + r.model() + ", " + r.dataset() + ", seed " + r.seed() + ") but the plan expects ("
                    + job.model() + ", " + job.dataset() + ", seed " + job.seed() + ")";
        }
        if (!r.protocol().equals(plan.protocol()) || r.paperProtocol() != plan.paperProtocol()) {
            return "it was trained under protocol " + r.protocol() + " but the evaluation uses " + plan.protocol();
        }
        return null;
    }
}
