package io.xscore.common.robustness;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The common-corruption metrics of Hendrycks &amp; Dietterich, "Benchmarking Neural Network Robustness to Common
 * Corruptions and Perturbations", ICLR 2019, each a named function. E_{s,c}^f is the top-1 error of model f under
 * corruption c at severity s (s = 1..5), E_clean^f its clean error.
 *
 * <ul>
 * <li>corruption accuracy: the accuracy on each (c, s); mean corruption accuracy: their mean over all c and s;</li>
 * <li>CE_c^f = Σ_s E_{s,c}^f / Σ_s E_{s,c}^{base}; mCE = the mean of CE_c over c;</li>
 * <li>relative CE_c^f = Σ_s (E_{s,c}^f − E_clean^f) / Σ_s (E_{s,c}^{base} − E_clean^{base}); relative mCE = their
 * mean.</li>
 * </ul>
 *
 * <p>The paper normalises by AlexNet on ImageNet-C. The platform's models are trained from scratch on other datasets,
 * so the baseline is a frozen reference model, named in every result. Corruptions are the platform-generated ones
 * (docs/robustness.md), not the published CIFAR-10-C or ImageNet-C arrays.
 */
public final class CorruptionMetrics {

    private CorruptionMetrics() {
    }

    /**
     * CE or relative CE of one model against a named baseline, per corruption and their mean (mCE or relative mCE).
     *
     * @param metric        {@code CE} or {@code relative CE}
     * @param perCorruption corruption → value, in the model's table order
     * @param mean          the mean over corruptions (mCE or relative mCE)
     */
    public record NormalisedError(String metric, String model, String baseline, Map<String, Double> perCorruption,
                                  double mean) {

        public NormalisedError {
            perCorruption = Collections.unmodifiableMap(new LinkedHashMap<>(perCorruption));
        }

        /** E.g. {@code mCE of m against baseline b over 5 corruptions = 0.583333}. */
        public String description() {
            String m = metric.equals("CE") ? "mCE" : "relative mCE";
            return String.format(java.util.Locale.ROOT, "%s of %s against baseline %s over %d corruptions = %.6f", m,
                    model, baseline, perCorruption.size(), mean);
        }
    }

    /** The accuracy of {@code table}'s model under {@code corruption} at {@code severity}. */
    public static double corruptionAccuracy(CorruptionAccuracies table, String corruption, int severity) {
        return table.accuracy(corruption, severity);
    }

    /** The mean of the accuracies over every corruption and severity of the table (RobustBench's "corruption accuracy"). */
    public static double meanCorruptionAccuracy(CorruptionAccuracies table) {
        double sum = 0;
        int n = 0;
        for (double[] row : table.corruptions().values()) {
            for (double a : row) {
                sum += a;
                n++;
            }
        }
        return sum / n;
    }

    /** CE_c = Σ_s E_{s,c}^f / Σ_s E_{s,c}^{base}; undefined (rejected) when the baseline makes no error under c. */
    public static double corruptionError(CorruptionAccuracies model, CorruptionAccuracies baseline,
                                         String corruption) {
        double num = 0;
        double den = 0;
        for (int s = 1; s <= CorruptionAccuracies.SEVERITIES; s++) {
            num += model.error(corruption, s);
            den += baseline.error(corruption, s);
        }
        if (den <= 0) {
            throw new IllegalArgumentException("CE of '" + corruption + "' is undefined: baseline " + baseline.model()
                    + " makes no error under it");
        }
        return num / den;
    }

    /**
     * Relative CE_c = Σ_s (E_{s,c}^f − E_clean^f) / Σ_s (E_{s,c}^{base} − E_clean^{base}): the model's degradation
     * relative to the baseline's. Negative when the model does better corrupted than clean; rejected when the
     * baseline does not degrade (denominator ≤ 0).
     */
    public static double relativeCorruptionError(CorruptionAccuracies model, CorruptionAccuracies baseline,
                                                 String corruption) {
        double num = 0;
        double den = 0;
        for (int s = 1; s <= CorruptionAccuracies.SEVERITIES; s++) {
            num += model.error(corruption, s) - model.cleanError();
            den += baseline.error(corruption, s) - baseline.cleanError();
        }
        if (den <= 0) {
            throw new IllegalArgumentException("relative CE of '" + corruption + "' is undefined: baseline "
                    + baseline.model() + " does not degrade under it (Σ_s (E_s − E_clean) = " + den + ")");
        }
        return num / den;
    }

    /** CE_c for every corruption of the model's table, and mCE their mean. */
    public static NormalisedError meanCorruptionError(CorruptionAccuracies model, CorruptionAccuracies baseline) {
        requireSameCorruptions(model, baseline);
        Map<String, Double> per = new LinkedHashMap<>();
        for (String c : model.corruptions().keySet()) {
            per.put(c, corruptionError(model, baseline, c));
        }
        return new NormalisedError("CE", model.model(), baseline.model(), per, mean(per));
    }

    /** Relative CE_c for every corruption of the model's table, and relative mCE their mean. */
    public static NormalisedError relativeMeanCorruptionError(CorruptionAccuracies model,
                                                              CorruptionAccuracies baseline) {
        requireSameCorruptions(model, baseline);
        Map<String, Double> per = new LinkedHashMap<>();
        for (String c : model.corruptions().keySet()) {
            per.put(c, relativeCorruptionError(model, baseline, c));
        }
        return new NormalisedError("relative CE", model.model(), baseline.model(), per, mean(per));
    }

    private static double mean(Map<String, Double> values) {
        double sum = 0;
        for (double v : values.values()) {
            sum += v;
        }
        return sum / values.size();
    }

    /** mCE over different corruption sets is not comparable: both tables must cover exactly the same corruptions. */
    private static void requireSameCorruptions(CorruptionAccuracies model, CorruptionAccuracies baseline) {
        if (!model.corruptions().keySet().equals(baseline.corruptions().keySet())) {
            throw new IllegalArgumentException("model " + model.model() + " has corruptions "
                    + model.corruptions().keySet() + " but baseline " + baseline.model() + " has "
                    + baseline.corruptions().keySet() + "; both need every cell");
        }
    }
}
