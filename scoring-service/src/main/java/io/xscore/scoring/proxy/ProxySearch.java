package io.xscore.scoring.proxy;

import io.xscore.scoring.xscore.AccuracyTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The k-of-D proxy of docs/benchmark.md §1.3: for every subset of k datasets, ordinary least squares with intercept from
 * the raw accuracies (%) on those datasets to the full xScore, in-sample R² = 1 − SS_res / SS_tot; the best subset
 * has the highest R² (ties: first in enumeration order, datasets in table order).
 *
 * <p>The least-squares problem is solved with Apache Commons Math's Householder {@link QRDecomposition} (never by
 * inverting the normal equations). Before solving, the design [1 | A_S] is checked for full column rank with a
 * {@link SingularValueDecomposition} (rank tolerance max(n, p)·σ_max·ulp): a rank-deficient subset (e.g. a constant
 * column, or columns that are linear combinations of each other) is skipped with the reason.
 *
 * <p>Degenerate tables give no proxy, with a note: fewer than k + 2 models (k + 1 parameters need k + 1 models, and
 * an exactly determined fit has R² = 1 on every subset, which cannot choose one), k outside 1..D, or a target
 * xScore that is the same for every model (R² undefined).
 */
public final class ProxySearch {

    private ProxySearch() {
    }

    public static ProxySearchResult search(AccuracyTable table, double[] target, int k) {
        List<String> datasets = table.datasets();
        List<String> models = table.models();
        if (target.length != models.size()) {
            throw new IllegalArgumentException(target.length + " targets for " + models.size() + " models");
        }
        Map<String, Double> targetByModel = new LinkedHashMap<>();
        for (int i = 0; i < models.size(); i++) {
            targetByModel.put(models.get(i), target[i]);
        }
        String reason = null;
        if (k < 1 || k > datasets.size()) {
            reason = "k must be between 1 and the number of datasets (" + datasets.size() + "), got " + k;
        } else if (models.size() < k + 2) {
            reason = "too few models for a " + k + "-dataset proxy: " + (k + 1) + " parameters (k coefficients and "
                    + "an intercept) need at least " + (k + 2) + " models so that the fit is not exact, got "
                    + models.size();
        } else if (sumOfSquares(target) <= 0) {
            reason = "the full xScore is the same for every model: R² is undefined";
        }
        if (reason != null) {
            return new ProxySearchResult(k, datasets, models, List.of(), null, targetByModel, Map.of(), reason);
        }
        List<SubsetFit> fits = new ArrayList<>();
        for (int[] subset : combinations(datasets.size(), k)) {
            fits.add(fit(table, target, subset.length == 0 ? List.of() : names(datasets, subset)));
        }
        List<SubsetFit> sorted = new ArrayList<>(fits.stream().filter(SubsetFit::fitted)
                .sorted(Comparator.comparing(SubsetFit::r2).reversed()).toList());
        fits.stream().filter(f -> !f.fitted()).forEach(sorted::add);
        if (sorted.isEmpty() || !sorted.get(0).fitted()) {
            return new ProxySearchResult(k, datasets, models, sorted, null, targetByModel, Map.of(),
                    "every " + k + "-dataset subset has a rank-deficient design");
        }
        SubsetFit best = sorted.get(0);
        ProxyModel model = best.model(models.size());
        Map<String, Double> proxy = new LinkedHashMap<>();
        for (String m : models) {
            proxy.put(m, model.predict(rowMap(table, m)));
        }
        return new ProxySearchResult(k, datasets, models, sorted, best, targetByModel, proxy, null);
    }

    /** OLS with intercept from the accuracies on {@code subset} to {@code target}, or a skipped fit with the reason. */
    public static SubsetFit fit(AccuracyTable table, double[] target, List<String> subset) {
        List<String> models = table.models();
        int n = models.size();
        int p = subset.size() + 1;
        if (n < p) {
            return new SubsetFit(subset, null, null, null, "fewer models (" + n + ") than parameters (" + p + ")");
        }
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            x[i][0] = 1.0;
            for (int j = 0; j < subset.size(); j++) {
                x[i][j + 1] = table.get(models.get(i), subset.get(j));
            }
        }
        RealMatrix design = new Array2DRowRealMatrix(x, false);
        int rank = new SingularValueDecomposition(design).getRank();
        if (rank < p) {
            return new SubsetFit(subset, null, null, null, "rank-deficient design: rank " + rank + " < " + p
                    + " parameters (a constant column or linearly dependent accuracy columns)");
        }
        RealVector y = new ArrayRealVector(target, false);
        RealVector beta = new QRDecomposition(design).getSolver().solve(y);
        RealVector residual = y.subtract(design.operate(beta));
        double ssTot = sumOfSquares(target);
        double r2 = 1.0 - residual.dotProduct(residual) / ssTot;
        Map<String, Double> coefficients = new LinkedHashMap<>();
        for (int j = 0; j < subset.size(); j++) {
            coefficients.put(subset.get(j), beta.getEntry(j + 1));
        }
        if (!Double.isFinite(r2) || coefficients.values().stream().anyMatch(c -> !Double.isFinite(c))) {
            return new SubsetFit(subset, null, null, null, "numerically unstable fit (non-finite result)");
        }
        return new SubsetFit(subset, r2, coefficients, beta.getEntry(0), null);
    }

    /** All k-subsets of {0..n-1} in lexicographic order. */
    static List<int[]> combinations(int n, int k) {
        List<int[]> out = new ArrayList<>();
        int[] c = new int[k];
        for (int i = 0; i < k; i++) {
            c[i] = i;
        }
        while (true) {
            out.add(c.clone());
            int i = k - 1;
            while (i >= 0 && c[i] == n - k + i) {
                i--;
            }
            if (i < 0) {
                return out;
            }
            c[i]++;
            for (int j = i + 1; j < k; j++) {
                c[j] = c[j - 1] + 1;
            }
        }
    }

    private static List<String> names(List<String> datasets, int[] idx) {
        List<String> out = new ArrayList<>();
        for (int i : idx) {
            out.add(datasets.get(i));
        }
        return out;
    }

    private static Map<String, Double> rowMap(AccuracyTable table, String model) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String d : table.datasets()) {
            out.put(d, table.get(model, d));
        }
        return out;
    }

    private static double sumOfSquares(double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double ss = 0;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        return ss;
    }
}
