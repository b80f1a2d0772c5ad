package io.xscore.common.robustness;

import java.util.Arrays;

/**
 * Fits the per-dataset weights of WAR ({@link LowResolutionMetrics#war}). LR0.FM chooses weights so that the models'
 * ranking by the weighted aggregate agrees with each dataset's own ranking of the models (Spearman ρ), so that no
 * dataset is ignored by the aggregate as it can be by SAR; the weights are fitted once (at n = 16 in the paper), then
 * frozen and reused at every resolution. The paper's objective (its Eq. 2) has a 0.95 factor whose role we could not
 * confirm and its optimiser is not described in the text available to us; this fit maximises the plain mean ρ over
 * the datasets (a replaceable {@link RankCorrelation}) by deterministic coordinate search over a fixed grid in
 * [0.01, 1], the range of the released weights.
 */
public final class WarWeights {

    /** The values each weight may take, before normalisation: LR0.FM's released weights lie in [0.01, 1]. */
    static final double[] GRID = {0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    static final int MAX_PASSES = 50;

    private WarWeights() {
    }

    /** Agreement between two score vectors over the same models, higher is better. */
    @FunctionalInterface
    public interface RankCorrelation {
        double between(double[] x, double[] y);
    }

    /** Spearman's ρ with average ranks for ties; 0 when either vector is constant (no ranking to agree with). */
    public static final RankCorrelation SPEARMAN = WarWeights::spearman;

    /**
     * @param weights    per dataset, summing to 1
     * @param agreement  the mean correlation over the datasets at these weights
     * @param perDataset each dataset's correlation with the aggregate
     */
    public record Fit(double[] weights, double agreement, double[] perDataset) {
    }

    /** {@link #fit(double[][], RankCorrelation)} with Spearman's ρ. */
    public static Fit fit(double[][] robustness) {
        return fit(robustness, SPEARMAN);
    }

    /**
     * Weights maximising the mean over datasets D of corr(WAR over the models, Γ_D over the models). Starts from equal
     * weights (SAR) and, dataset by dataset in order, moves each weight to the grid value that raises the mean most
     * (a weight moves only for a strict gain, to the lowest such value), until a full pass changes nothing. Deterministic: the same table gives the
     * same weights. A local optimum of a step function, not a global one; it never does worse than SAR.
     *
     * @param robustness [model][dataset] robustness (Γ at the fitting resolution), at least two models
     */
    public static Fit fit(double[][] robustness, RankCorrelation correlation) {
        int datasets = requireTable(robustness);
        double[] w = new double[datasets];
        Arrays.fill(w, 1.0);
        double best = agreement(robustness, w, correlation);
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            boolean changed = false;
            for (int d = 0; d < datasets; d++) {
                double keep = w[d];
                double bestValue = keep;
                for (double v : GRID) {
                    w[d] = v;
                    double a = agreement(robustness, w, correlation);
                    if (a > best + 1e-12) {
                        best = a;
                        bestValue = v;
                    }
                }
                w[d] = bestValue;
                changed |= bestValue != keep;
            }
            if (!changed) {
                break;
            }
        }
        double total = Arrays.stream(w).sum();
        double[] normalised = Arrays.stream(w).map(v -> v / total).toArray();
        return new Fit(normalised, best, perDataset(robustness, normalised, correlation));
    }

    /** The mean correlation over the datasets between the weighted aggregate and each dataset's column. */
    public static double agreement(double[][] robustness, double[] weights, RankCorrelation correlation) {
        return Arrays.stream(perDataset(robustness, weights, correlation)).average().orElseThrow();
    }

    static double[] perDataset(double[][] robustness, double[] weights, RankCorrelation correlation) {
        int datasets = requireTable(robustness);
        requireWeights(weights, datasets);
        double[] aggregate = new double[robustness.length];
        for (int m = 0; m < robustness.length; m++) {
            aggregate[m] = LowResolutionMetrics.war(robustness[m], weights);
        }
        double[] rho = new double[datasets];
        for (int d = 0; d < datasets; d++) {
            double[] column = new double[robustness.length];
            for (int m = 0; m < robustness.length; m++) {
                column[m] = robustness[m][d];
            }
            rho[d] = correlation.between(aggregate, column);
        }
        return rho;
    }

    /** Spearman's ρ: Pearson's correlation of the average ranks. */
    public static double spearman(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need two vectors of the same length ≥ 2, got " + x.length + " and "
                    + y.length);
        }
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mean = (x.length + 1) / 2.0;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mean) * (ry[i] - mean);
            sxx += (rx[i] - mean) * (rx[i] - mean);
            syy += (ry[i] - mean) * (ry[i] - mean);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Ranks 1..n, ascending, ties sharing the mean of their positions. */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length;) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    private static int requireTable(double[][] robustness) {
        if (robustness == null || robustness.length < 2) {
            throw new IllegalArgumentException("fitting weights needs at least two models to rank");
        }
        int datasets = robustness[0] == null ? 0 : robustness[0].length;
        for (double[] row : robustness) {
            LowResolutionMetrics.requireValues(row);
            if (row.length != datasets) {
                throw new IllegalArgumentException("every model needs a value for each of the " + datasets
                        + " datasets, got " + row.length);
            }
        }
        return datasets;
    }

    static void requireWeights(double[] weights, int datasets) {
        if (weights == null || weights.length != datasets) {
            throw new IllegalArgumentException("need one weight per dataset (" + datasets + "), got "
                    + (weights == null ? "none" : weights.length));
        }
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and non-negative, got " + w);
            }
            total += w;
        }
        if (total == 0) {
            throw new IllegalArgumentException("at least one weight must be positive");
        }
    }
}
