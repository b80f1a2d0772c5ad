package io.xscore.scoring.xscore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The xScore of docs/benchmark.md §1: Â[i,d] = (A[i,d] − min_d)/(max_d − min_d); G_i = mean_d Â[i,d];
 * V_i = variance_d Â[i,d] (divisor D − 1 or D); xScore_i = G_i − λ·V_i; ranked by xScore descending.
 *
 * <p>Edge cases never yield NaN: a dataset without anchors or with a zero anchor range leaves every xScore null
 * (G is a mean over all datasets, so one unusable column makes every G undefined), and says which dataset in the
 * notes. With a single dataset the sample variance (divisor D − 1 = 0) is undefined: V is then reported as 0 (the
 * spread of one value), which makes xScore = G, and a note says so.
 */
public final class XScoreCalculator {

    public static final double DEFAULT_LAMBDA = 0.5;
    /** Two xScores closer than this are a tie (they differ only by floating-point rounding). */
    public static final double TIE_TOLERANCE = 1e-12;

    private final double lambda;
    private final VarianceDivisor divisor;

    public XScoreCalculator(double lambda, VarianceDivisor divisor) {
        if (!Double.isFinite(lambda) || lambda < 0) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.divisor = java.util.Objects.requireNonNull(divisor, "divisor");
    }

    public static XScoreCalculator defaults() {
        return new XScoreCalculator(DEFAULT_LAMBDA, VarianceDivisor.SAMPLE);
    }

    public double lambda() {
        return lambda;
    }

    public VarianceDivisor divisor() {
        return divisor;
    }

    /**
     * Scores the table on anchors recomputed from the table itself (scale {@code recomputed}); needs at least two
     * models, since with one model every column has zero range.
     */
    public XScoreTable scoreRecomputed(AccuracyTable table) {
        if (table.modelCount() < 2) {
            Anchors anchors = table.modelCount() == 0
                    ? new Anchors(Anchors.SCALE_RECOMPUTED, java.util.Map.of()) : Anchors.recomputed(table);
            String note = "anchors need at least 2 models (" + table.modelCount() + " complete)";
            return unscored(table, anchors, List.of(note));
        }
        return score(table, Anchors.recomputed(table));
    }

    /** Scores the table on the given anchors (recomputed or fixed reference anchors). */
    public XScoreTable score(AccuracyTable table, Anchors anchors) {
        List<String> problems = new ArrayList<>();
        for (String dataset : table.datasets()) {
            Anchors.Range range = anchors.range(dataset);
            if (range == null) {
                problems.add("no anchors for dataset " + dataset + " on the " + anchors.scale() + " scale");
            } else if (!(range.width() > 0)) {
                problems.add("dataset " + dataset + " has zero range across models (min = max = "
                        + format(range.min()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            return unscored(table, anchors, problems);
        }
        List<String> notes = new ArrayList<>();
        int d = table.datasets().size();
        if (d == 1 && divisor == VarianceDivisor.SAMPLE) {
            notes.add("only 1 dataset: the sample variance (divisor D-1) is undefined, V is reported as 0");
        }
        List<String> models = table.models();
        List<Double> xscores = new ArrayList<>();
        List<double[]> normalisedRows = new ArrayList<>();
        double[] gs = new double[models.size()];
        double[] vs = new double[models.size()];
        for (int i = 0; i < models.size(); i++) {
            double[] a = table.row(models.get(i));
            double[] n = new double[d];
            for (int j = 0; j < d; j++) {
                n[j] = anchors.range(table.datasets().get(j)).normalise(a[j]);
            }
            normalisedRows.add(n);
            gs[i] = mean(n);
            vs[i] = variance(n, divisor);
            xscores.add(gs[i] - lambda * vs[i]);
        }
        List<Integer> ranks = Ranks.competition(xscores, TIE_TOLERANCE);
        List<ModelXScore> out = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            List<Double> n = java.util.Arrays.stream(normalisedRows.get(i)).boxed().toList();
            out.add(new ModelXScore(models.get(i), n, gs[i], vs[i], xscores.get(i), ranks.get(i)));
        }
        return new XScoreTable(table.datasets(), anchors, lambda, divisor, out, notes);
    }

    private XScoreTable unscored(AccuracyTable table, Anchors anchors, List<String> notes) {
        List<ModelXScore> out = table.models().stream().map(ModelXScore::unscored).toList();
        return new XScoreTable(table.datasets(), anchors, lambda, divisor, out, notes);
    }

    public static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * Variance around the mean with divisor n − 1 (sample) or n (population); 0 for a single value under either
     * divisor (see the class comment).
     */
    public static double variance(double[] values, VarianceDivisor divisor) {
        int n = values.length;
        if (n < 2) {
            return 0.0;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return ss / (divisor == VarianceDivisor.SAMPLE ? n - 1 : n);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}
