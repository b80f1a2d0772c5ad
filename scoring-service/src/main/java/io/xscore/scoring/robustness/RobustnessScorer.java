package io.xscore.scoring.robustness;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.RobustnessBoard;
import io.xscore.common.messaging.RobustnessBoard.CorruptionSummary;
import io.xscore.common.messaging.RobustnessBoard.LowResolutionRow;
import io.xscore.common.messaging.RobustnessBoard.ModelRobustness;
import io.xscore.common.messaging.RobustnessBoard.PgdRow;
import io.xscore.common.messaging.RobustnessBoard.RobustXScore;
import io.xscore.common.messaging.RobustnessBoard.WarFit;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessReport.PerturbedAccuracy;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.robustness.ChanceGate;
import io.xscore.common.robustness.CorruptionAccuracies;
import io.xscore.common.robustness.CorruptionMetrics;
import io.xscore.common.robustness.LowResolutionMetrics;
import io.xscore.common.robustness.WarWeights;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns an evaluation's plan and its jobs' robustness reports into its {@link RobustnessBoard} (pure; no I/O). A model
 * is on the board once every planned job of it has a successful result with a report; each value is the mean over the
 * model's seeds. Everything is computed among the models of this evaluation:
 * <ul>
 *   <li>low resolution: γ = A_n / A_HR and Γ = γ · g(A_HR − 1/K) per dataset (fractions; K the dataset's classes),
 *       SAR over γ and over Γ, and WAR over Γ with weights fitted among the evaluation's models at the smallest n and
 *       reused at the others, as LR0.FM fits at n = 16 (three models at least; fewer give no WAR);</li>
 *   <li>corruptions: accuracy per corruption and severity, their mean per dataset and over datasets, and mCE and
 *       relative mCE against the named baseline model (all five severities needed);</li>
 *   <li>PGD: accuracy per radius;</li>
 *   <li>robust xScores: the xScore formula (λ and divisor of the calculator) on one robust accuracy per dataset, anchors
 *       recomputed among the models present: each LR resolution, the mean corruption accuracy, each PGD radius.</li>
 * </ul>
 */
public final class RobustnessScorer {

    private final XScoreCalculator calculator;
    private final ChanceGate gate;

    public RobustnessScorer(XScoreCalculator calculator) {
        this(calculator, ChanceGate.PROVISIONAL);
    }

    public RobustnessScorer(XScoreCalculator calculator, ChanceGate gate) {
        this.calculator = calculator;
        this.gate = gate;
    }

    /** The board, or null for an evaluation without suites. */
    public RobustnessBoard board(EvaluationPlan plan, Collection<TrainingResult> results) {
        RobustnessSpec spec = plan.robustness();
        if (spec == null) {
            return null;
        }
        Map<String, TrainingResult> byJob = results.stream()
                .collect(Collectors.toMap(TrainingResult::jobId, Function.identity(), (a, b) -> a));
        List<String> notes = new ArrayList<>();
        Map<String, Cells> models = new LinkedHashMap<>();
        for (String model : plan.models()) {
            Cells cells = new Cells();
            boolean complete = true;
            for (EvaluationPlan.PlannedJob job : plan.jobs()) {
                if (!job.model().equals(model)) {
                    continue;
                }
                TrainingResult r = byJob.get(job.jobId());
                if (r == null || r.status() != TrainingResult.Status.SUCCEEDED || r.robustness() == null) {
                    complete = false;
                    break;
                }
                cells.add(job.dataset(), r.robustness());
            }
            if (complete) {
                models.put(model, cells);
            } else {
                notes.add(model + ": not on the board until every job has a robustness report");
            }
        }
        List<String> datasets = plan.datasets();
        List<ModelRobustness> rows = new ArrayList<>();
        List<WarFit> fits = new ArrayList<>();
        Map<Integer, double[]> warWeights = warWeights(spec, models, datasets, fits, notes);
        Map<String, Map<String, Double>> corruptionMeans = new LinkedHashMap<>();
        for (var e : models.entrySet()) {
            Cells c = e.getValue();
            List<LowResolutionRow> lr = spec.runs(RobustnessSpec.LOW_RESOLUTION)
                    ? lowResolution(e.getKey(), c, datasets, warWeights, notes) : null;
            CorruptionSummary corruptions = spec.runs(RobustnessSpec.CORRUPTIONS)
                    ? corruptions(e.getKey(), c, datasets, spec, models, notes) : null;
            if (corruptions != null) {
                corruptionMeans.put(e.getKey(), corruptions.meanAccuracy());
            }
            List<PgdRow> pgd = spec.runs(RobustnessSpec.PGD) ? pgd(c, datasets) : null;
            rows.add(new ModelRobustness(e.getKey(), c.clean(datasets), lr, corruptions, pgd));
        }
        List<RobustXScore> xscores = robustXScores(spec, models, datasets, corruptionMeans, notes);
        return new RobustnessBoard(spec, rows, fits.isEmpty() ? null : fits, xscores.isEmpty() ? null : xscores,
                gate.name(), notes.isEmpty() ? null : notes);
    }

    /** One model's report values, summed over seeds, per dataset and perturbation key. */
    static final class Cells {
        private final Map<String, List<Double>> clean = new LinkedHashMap<>();
        private final Map<String, Map<String, List<Double>>> perturbed = new LinkedHashMap<>();
        /** Each key's perturbation as reported (its n, norm and exact ε), so nothing is parsed back from the key. */
        private final Map<String, PerturbedAccuracy> reported = new LinkedHashMap<>();

        void add(String dataset, RobustnessReport report) {
            clean.computeIfAbsent(dataset, d -> new ArrayList<>()).add(report.cleanAccuracy());
            for (PerturbedAccuracy a : report.accuracies()) {
                reported.putIfAbsent(key(a), a);
                perturbed.computeIfAbsent(key(a), k -> new LinkedHashMap<>())
                        .computeIfAbsent(dataset, d -> new ArrayList<>()).add(a.accuracy());
            }
        }

        /** The reported perturbations of one suite, in report order. */
        List<PerturbedAccuracy> of(String suite) {
            return reported.values().stream().filter(a -> a.suite().equals(suite)).toList();
        }

        Map<String, Double> clean(List<String> datasets) {
            return means(clean, datasets);
        }

        /** Mean accuracy per dataset under the perturbation, or null when some dataset lacks it. */
        Map<String, Double> perturbed(String key, List<String> datasets) {
            Map<String, List<Double>> values = perturbed.get(key);
            if (values == null || !values.keySet().containsAll(datasets)) {
                return null;
            }
            return means(values, datasets);
        }

        Set<String> keys() {
            return perturbed.keySet();
        }

        private static Map<String, Double> means(Map<String, List<Double>> values, List<String> datasets) {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String d : datasets) {
                List<Double> v = values.get(d);
                if (v != null) {
                    out.put(d, v.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
                }
            }
            return out;
        }
    }

    static String key(PerturbedAccuracy a) {
        return switch (a.suite()) {
            case RobustnessSpec.LOW_RESOLUTION -> lrKey(a.shorterSide());
            case RobustnessSpec.CORRUPTIONS -> corruptionKey(a.corruption(), a.severity());
            default -> pgdKey(a.norm(), a.epsilon());
        };
    }

    static String lrKey(int n) {
        return "lr0fm-" + n;
    }

    static String corruptionKey(String name, int severity) {
        return name + "/" + severity;
    }

    static String pgdKey(String norm, double epsilon) {
        return "pgd-" + norm + "-" + String.format(Locale.ROOT, "%.6g", epsilon);
    }

    private List<Integer> resolutionsMeasured(RobustnessSpec spec, Map<String, Cells> models, List<String> datasets) {
        List<Integer> out = new ArrayList<>();
        for (int n : spec.lowResolution().shorterSides()) {
            if (!models.isEmpty() && models.values().stream()
                    .allMatch(c -> c.perturbed(lrKey(n), datasets) != null)) {
                out.add(n);
            }
        }
        return out;
    }

    private Map<Integer, double[]> warWeights(RobustnessSpec spec, Map<String, Cells> models, List<String> datasets,
                                              List<WarFit> fits, List<String> notes) {
        if (!spec.runs(RobustnessSpec.LOW_RESOLUTION)) {
            return Map.of();
        }
        List<Integer> resolutions = resolutionsMeasured(spec, models, datasets);
        if (resolutions.isEmpty()) {
            return Map.of();
        }
        if (models.size() < 3) {
            notes.add("WAR: weights are fitted among the models of the evaluation and need three at least ("
                    + models.size() + " complete); SAR only");
            return Map.of();
        }
        int fitAt = resolutions.get(0);
        double[][] improved = new double[models.size()][];
        int m = 0;
        try {
            for (var e : models.entrySet()) {
                improved[m++] = improvedRow(e.getValue(), fitAt, datasets);
            }
        } catch (IllegalArgumentException e) {
            notes.add("WAR: " + e.getMessage());
            return Map.of();
        }
        WarWeights.Fit fit = WarWeights.fit(improved);
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int d = 0; d < datasets.size(); d++) {
            weights.put(datasets.get(d), fit.weights()[d]);
        }
        Map<Integer, double[]> out = new LinkedHashMap<>();
        for (int n : resolutions) {
            fits.add(new WarFit(n, weights, fit.agreement()));
            out.put(n, fit.weights());
        }
        notes.add("WAR: weights fitted at n=" + fitAt + " among this evaluation's " + models.size()
                + " models and reused at every n (not frozen: another evaluation fits its own)");
        return out;
    }

    private double[] improvedRow(Cells c, int n, List<String> datasets) {
        Map<String, Double> clean = c.clean(datasets);
        Map<String, Double> low = c.perturbed(lrKey(n), datasets);
        double[] row = new double[datasets.size()];
        for (int d = 0; d < datasets.size(); d++) {
            row[d] = LowResolutionMetrics.improvedRobustness(low.get(datasets.get(d)) / 100,
                    clean.get(datasets.get(d)) / 100, chance(datasets.get(d)), gate);
        }
        return row;
    }

    private static double chance(String dataset) {
        return DatasetCatalog.find(dataset).map(DatasetInfo::classes)
                .map(LowResolutionMetrics::uniformChance)
                .orElseThrow(() -> new IllegalArgumentException("dataset " + dataset + " is not in the catalog"));
    }

    private List<LowResolutionRow> lowResolution(String model, Cells c, List<String> datasets,
                                                 Map<Integer, double[]> warWeights, List<String> notes) {
        List<LowResolutionRow> rows = new ArrayList<>();
        Map<String, Double> clean = c.clean(datasets);
        for (PerturbedAccuracy reported : c.of(RobustnessSpec.LOW_RESOLUTION)) {
            int n = reported.shorterSide();
            Map<String, Double> accuracy = c.perturbed(lrKey(n), datasets);
            if (accuracy == null) {
                continue;
            }
            Map<String, Double> gamma = new LinkedHashMap<>();
            Map<String, Double> improved = new LinkedHashMap<>();
            for (String d : datasets) {
                double low = accuracy.get(d) / 100;
                double high = clean.get(d) / 100;
                if (high == 0) {
                    notes.add(model + ", " + d + ", n=" + n + ": γ undefined, the clean accuracy is 0");
                    continue;
                }
                gamma.put(d, LowResolutionMetrics.relativeRobustness(low, high));
                improved.put(d, LowResolutionMetrics.improvedRobustness(low, high, chance(d), gate));
            }
            boolean whole = gamma.size() == datasets.size();
            Double sarGamma = whole ? LowResolutionMetrics.sar(values(gamma, datasets)) : null;
            Double sarImproved = whole ? LowResolutionMetrics.sar(values(improved, datasets)) : null;
            double[] w = warWeights.get(n);
            Double war = whole && w != null ? LowResolutionMetrics.war(values(improved, datasets), w) : null;
            rows.add(new LowResolutionRow(n, accuracy, gamma, improved, sarGamma, sarImproved, war));
        }
        rows.sort(Comparator.comparingInt(LowResolutionRow::shorterSide));
        return rows;
    }

    private CorruptionSummary corruptions(String model, Cells c, List<String> datasets, RobustnessSpec spec,
                                          Map<String, Cells> models, List<String> notes) {
        Map<String, Map<String, Double>> accuracy = new LinkedHashMap<>();
        for (String name : spec.corruptions().names()) {
            for (int severity : spec.corruptions().severities()) {
                Map<String, Double> a = c.perturbed(corruptionKey(name, severity), datasets);
                if (a != null) {
                    accuracy.put(corruptionKey(name, severity), a);
                }
            }
        }
        if (accuracy.isEmpty()) {
            return null;
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        for (String d : datasets) {
            mean.put(d, accuracy.values().stream().mapToDouble(a -> a.get(d)).average().orElseThrow());
        }
        double overall = mean.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        String baseline = spec.corruptions().baseline();
        Map<String, Double> mce = null;
        Map<String, Double> relative = null;
        Cells base = models.get(baseline);
        if (spec.corruptions().severities().size() != CorruptionAccuracies.SEVERITIES) {
            noteOnce(notes, "mCE: needs all five severities; the evaluation ran " + spec.corruptions().severities());
        } else if (base == null) {
            noteOnce(notes, "mCE: the baseline " + baseline + " is not on the board yet");
        } else {
            mce = new LinkedHashMap<>();
            relative = new LinkedHashMap<>();
            for (String d : datasets) {
                CorruptionAccuracies mine = table(model, c, d, spec);
                CorruptionAccuracies theirs = table(baseline, base, d, spec);
                try {
                    mce.put(d, CorruptionMetrics.meanCorruptionError(mine, theirs).mean());
                } catch (IllegalArgumentException e) {
                    noteOnce(notes, "mCE on " + d + ": " + e.getMessage());
                }
                try {
                    relative.put(d, CorruptionMetrics.relativeMeanCorruptionError(mine, theirs).mean());
                } catch (IllegalArgumentException e) {
                    // a property of the baseline, the same for every model: said once
                    noteOnce(notes, "relative mCE on " + d + ": " + e.getMessage());
                }
            }
        }
        return new CorruptionSummary(accuracy, mean, baseline, mce == null || mce.isEmpty() ? null : mce,
                relative == null || relative.isEmpty() ? null : relative, overall);
    }

    private static void noteOnce(List<String> notes, String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    private static CorruptionAccuracies table(String model, Cells c, String dataset, RobustnessSpec spec) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String name : spec.corruptions().names()) {
            double[] row = new double[CorruptionAccuracies.SEVERITIES];
            for (int s = 1; s <= CorruptionAccuracies.SEVERITIES; s++) {
                row[s - 1] = c.perturbed(corruptionKey(name, s), List.of(dataset)).get(dataset) / 100;
            }
            rows.put(name, row);
        }
        return new CorruptionAccuracies(model, c.clean(List.of(dataset)).get(dataset) / 100, rows);
    }

    private static List<PgdRow> pgd(Cells c, List<String> datasets) {
        List<PgdRow> rows = new ArrayList<>();
        for (PerturbedAccuracy reported : c.of(RobustnessSpec.PGD)) {
            Map<String, Double> a = c.perturbed(key(reported), datasets);
            if (a != null) {
                rows.add(new PgdRow(reported.norm(), reported.epsilon(), a));
            }
        }
        rows.sort(Comparator.comparing(PgdRow::norm).thenComparingDouble(PgdRow::epsilon));
        return rows;
    }

    private List<RobustXScore> robustXScores(RobustnessSpec spec, Map<String, Cells> models, List<String> datasets,
                                             Map<String, Map<String, Double>> corruptionMeans, List<String> notes) {
        List<RobustXScore> out = new ArrayList<>();
        if (models.isEmpty()) {
            return out;
        }
        Set<String> keys = new LinkedHashSet<>();
        models.values().forEach(c -> keys.addAll(c.keys()));
        if (spec.runs(RobustnessSpec.LOW_RESOLUTION)) {
            for (int n : resolutionsMeasured(spec, models, datasets)) {
                score(out, lrKey(n), "xScore of the accuracies at low resolution n=" + n + " (LR0.FM)",
                        perModel(models, c -> c.perturbed(lrKey(n), datasets)), datasets, notes);
            }
        }
        if (!corruptionMeans.isEmpty() && corruptionMeans.size() == models.size()) {
            score(out, "corruptions-mean", "xScore of the mean corruption accuracies (platform-generated "
                    + "corruptions)", corruptionMeans, datasets, notes);
        }
        if (spec.runs(RobustnessSpec.PGD)) {
            Set<String> pgdKeys = new TreeSet<>();
            keys.stream().filter(k -> k.startsWith("pgd-")).forEach(pgdKeys::add);
            for (String key : pgdKeys) {
                score(out, key, "xScore of the accuracies under " + key.replace("pgd-", "PGD ")
                        .replaceFirst("-", " ε=") + ", " + spec.pgd().steps() + " steps",
                        perModel(models, c -> c.perturbed(key, datasets)), datasets, notes);
            }
        }
        return out;
    }

    private static Map<String, Map<String, Double>> perModel(Map<String, Cells> models,
                                                             Function<Cells, Map<String, Double>> values) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (var e : models.entrySet()) {
            Map<String, Double> v = values.apply(e.getValue());
            if (v == null) {
                return Map.of();
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private void score(List<RobustXScore> out, String measure, String description,
                       Map<String, Map<String, Double>> accuracies, List<String> datasets, List<String> notes) {
        if (accuracies.isEmpty()) {
            return;
        }
        AccuracyTable.Builder builder = AccuracyTable.builder(datasets);
        accuracies.forEach((model, cells) -> builder.row(model, values(cells, datasets)));
        XScoreTable table = calculator.scoreRecomputed(builder.build());
        table.notes().forEach(n -> notes.add(measure + ": " + n));
        List<RobustXScore.Entry> entries = table.models().stream()
                .sorted(Comparator.comparing(ModelXScore::rank, Comparator.nullsLast(Comparator.naturalOrder())))
                .map(m -> new RobustXScore.Entry(m.model(), m.g(), m.v(), m.xscore(), m.rank())).toList();
        out.add(new RobustXScore(measure, description + "; anchors recomputed among this evaluation's models",
                entries));
    }

    private static double[] values(Map<String, Double> cells, List<String> datasets) {
        double[] out = new double[datasets.size()];
        for (int d = 0; d < datasets.size(); d++) {
            out[d] = cells.get(datasets.get(d));
        }
        return out;
    }
}
