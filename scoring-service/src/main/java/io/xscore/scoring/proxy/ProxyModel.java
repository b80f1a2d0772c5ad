package io.xscore.scoring.proxy;

import java.util.List;
import java.util.Map;

/**
 * A fitted proxy: xScore ≈ intercept + Σ coefficients[d] · A[d] over the proxy datasets, A in %.
 *
 * @param r2     in-sample R² of the fit
 * @param models number of models the fit used
 */
public record ProxyModel(List<String> datasets, Map<String, Double> coefficients, double intercept, double r2,
                         int models) {

    public ProxyModel {
        datasets = List.copyOf(datasets);
        coefficients = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(coefficients));
    }

    /** True when the accuracies cover every proxy dataset. */
    public boolean covers(Map<String, Double> accuracies) {
        return accuracies.keySet().containsAll(datasets);
    }

    /** The proxy xScore of a model with these accuracies (%); every proxy dataset must be present. */
    public double predict(Map<String, Double> accuracies) {
        double y = intercept;
        for (String d : datasets) {
            Double a = accuracies.get(d);
            if (a == null) {
                throw new IllegalArgumentException("no accuracy on proxy dataset " + d);
            }
            y += coefficients.get(d) * a;
        }
        return y;
    }
}
