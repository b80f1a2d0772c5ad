package io.xscore.scoring.xscore;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * The paper's diagnostics (docs/benchmark.md §1.3, §1.5) over a complete accuracy table and its anchors: correlation of
 * one dataset's accuracy (ImageNette) with xScore, the λ sweep with rank changes relative to λ = 0.5, and the
 * per-dataset best / worst models. Correlations use Apache Commons Math (Spearman with average ranks for ties); a
 * correlation that is undefined (fewer than 3 models or a constant series) is null with a note, never NaN.
 */
public final class Diagnostics {

    public static final List<Double> SWEEP = List.of(0.0, 0.25, 0.5, 0.75, 1.0, 2.0);
    public static final double SWEEP_BASE = 0.5;

    private Diagnostics() {
    }

    /** Pearson and Spearman correlation of {@code dataset} accuracy with xScore. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Correlation(String dataset, int models, Double pearson, Double spearman, String note) {
    }

    /** One model across the sweep: xScore and rank per λ, rank change = rank(λ) − rank(0.5) (negative = better). */
    public record SweepRow(String model, List<Double> xscores, List<Integer> ranks, List<Integer> rankChanges) {
    }

    /** @param stable true when every λ gives the same ranking */
    public record LambdaSweep(List<Double> lambdas, double baseLambda, List<SweepRow> models, boolean stable,
                              int maxAbsRankChange) {
    }

    /** Best (highest accuracy, green) and worst (lowest, red) models of a dataset; ties list every model. */
    public record Extremes(List<String> best, double bestAccuracy, List<String> worst, double worstAccuracy) {
    }

    public static Correlation correlation(AccuracyTable table, XScoreTable scores, String dataset) {
        int n = table.modelCount();
        if (!table.datasets().contains(dataset)) {
            return new Correlation(dataset, n, null, null, "dataset " + dataset + " is not in the table");
        }
        if (!scores.scored()) {
            return new Correlation(dataset, n, null, null, "xScores are undefined: " + String.join("; ", scores.notes()));
        }
        if (n < 3) {
            return new Correlation(dataset, n, null, null, "a correlation needs at least 3 models");
        }
        double[] x = table.column(dataset);
        double[] y = table.models().stream().mapToDouble(m -> scores.model(m).orElseThrow().xscore()).toArray();
        return correlate(dataset, x, y);
    }

    /** Pearson and Spearman correlation of two series of at least 3 values; null (with a note) where undefined. */
    public static Correlation correlate(String dataset, double[] x, double[] y) {
        int n = x.length;
        if (n < 3) {
            return new Correlation(dataset, n, null, null, "a correlation needs at least 3 models");
        }
        Double pearson = finite(new PearsonsCorrelation().correlation(x, y));
        Double spearman = finite(new SpearmansCorrelation().correlation(x, y));
        String note = pearson == null || spearman == null
                ? "undefined: the accuracy or the xScore is the same for every model" : null;
        return new Correlation(dataset, n, pearson, spearman, note);
    }

    public static LambdaSweep sweep(AccuracyTable table, Anchors anchors, VarianceDivisor divisor) {
        List<XScoreTable> tables = new ArrayList<>();
        for (double lambda : SWEEP) {
            tables.add(new XScoreCalculator(lambda, divisor).score(table, anchors));
        }
        XScoreTable base = tables.get(SWEEP.indexOf(SWEEP_BASE));
        List<SweepRow> rows = new ArrayList<>();
        boolean stable = true;
        int maxChange = 0;
        for (String model : table.models()) {
            List<Double> xs = new ArrayList<>();
            List<Integer> ranks = new ArrayList<>();
            List<Integer> changes = new ArrayList<>();
            Integer baseRank = base.model(model).orElseThrow().rank();
            for (XScoreTable t : tables) {
                ModelXScore m = t.model(model).orElseThrow();
                xs.add(m.xscore());
                ranks.add(m.rank());
                Integer change = m.rank() == null || baseRank == null ? null : m.rank() - baseRank;
                changes.add(change);
                if (change != null) {
                    stable &= change == 0;
                    maxChange = Math.max(maxChange, Math.abs(change));
                }
            }
            rows.add(new SweepRow(model, xs, ranks, changes));
        }
        return new LambdaSweep(SWEEP, SWEEP_BASE, rows, stable, maxChange);
    }

    public static Map<String, Extremes> bestWorst(AccuracyTable table) {
        Map<String, Extremes> out = new LinkedHashMap<>();
        if (table.modelCount() == 0) {
            return out;
        }
        Anchors extremes = Anchors.recomputed(table);
        for (String d : table.datasets()) {
            double[] col = table.column(d);
            double max = extremes.range(d).max();
            double min = extremes.range(d).min();
            List<String> best = new ArrayList<>();
            List<String> worst = new ArrayList<>();
            List<String> models = table.models();
            for (int i = 0; i < col.length; i++) {
                if (col[i] == max) {
                    best.add(models.get(i));
                }
                if (col[i] == min) {
                    worst.add(models.get(i));
                }
            }
            out.put(d, new Extremes(best, max, worst, min));
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
