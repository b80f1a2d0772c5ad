package io.xscore.common.robustness;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's top-1 accuracies on the clean test set and under each common corruption at severities 1–5: the input
 * of {@link CorruptionMetrics}. Accuracies are fractions in [0, 1]. Every cell must be present: a corruption with
 * fewer or more than 5 severities, or a missing (NaN) or out-of-range value, is rejected with its name and severity.
 *
 * @param model       the model's name, recorded with every metric computed from this table
 * @param clean       the clean top-1 accuracy
 * @param corruptions corruption name → accuracies at severities 1..5 (copied; iteration order kept)
 */
public record CorruptionAccuracies(String model, double clean, Map<String, double[]> corruptions) {

    /** Severities per corruption, 1 to 5 (Hendrycks &amp; Dietterich). */
    public static final int SEVERITIES = 5;

    public CorruptionAccuracies {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a corruption table needs the model's name");
        }
        requireAccuracy(model, "clean", clean);
        if (corruptions == null || corruptions.isEmpty()) {
            throw new IllegalArgumentException(model + ": no corruptions");
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : corruptions.entrySet()) {
            String name = e.getKey();
            double[] a = e.getValue();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(model + ": a corruption without a name");
            }
            if (a == null || a.length != SEVERITIES) {
                throw new IllegalArgumentException(model + ", " + name + ": need accuracies at severities 1.."
                        + SEVERITIES + ", got " + (a == null ? "none" : a.length));
            }
            for (int s = 0; s < SEVERITIES; s++) {
                requireAccuracy(model, name + " severity " + (s + 1), a[s]);
            }
            copy.put(name, a.clone());
        }
        corruptions = Collections.unmodifiableMap(copy);
    }

    /** The accuracy under {@code corruption} at {@code severity} (1..5). */
    public double accuracy(String corruption, int severity) {
        return row(corruption)[checkSeverity(severity) - 1];
    }

    /** The top-1 error E_{s,c} = 1 − accuracy. */
    public double error(String corruption, int severity) {
        return 1 - accuracy(corruption, severity);
    }

    /** The clean top-1 error E_clean = 1 − clean accuracy. */
    public double cleanError() {
        return 1 - clean;
    }

    double[] row(String corruption) {
        double[] a = corruptions.get(corruption);
        if (a == null) {
            throw new IllegalArgumentException(model + ": no accuracies for corruption '" + corruption + "' (has "
                    + corruptions.keySet() + ")");
        }
        return a;
    }

    static int checkSeverity(int severity) {
        if (severity < 1 || severity > SEVERITIES) {
            throw new IllegalArgumentException("severity must be 1.." + SEVERITIES + ", got " + severity);
        }
        return severity;
    }

    private static void requireAccuracy(String model, String what, double a) {
        if (Double.isNaN(a)) {
            throw new IllegalArgumentException(model + ", " + what + ": missing (NaN) accuracy");
        }
        if (a < 0 || a > 1) {
            throw new IllegalArgumentException(model + ", " + what + ": accuracy must be in [0, 1], got " + a);
        }
    }
}
