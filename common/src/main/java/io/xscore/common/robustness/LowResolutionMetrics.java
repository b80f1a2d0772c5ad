package io.xscore.common.robustness;

/**
 * LR0.FM's robustness metrics (Pathak, Marjit, Vyas, Rawat, "LR0.FM: Low-Res Benchmark and Improving Robustness for
 * Zero-Shot Classification in Foundation Models", ICLR 2025, arXiv 2502.03950), each a named function so that a
 * form found to differ from the paper can be replaced in one place. Accuracies are fractions in [0, 1] (divide
 * percentages by 100): ε and the gate's α = 200 are defined on that scale. What is and is not confirmed from the
 * paper: docs/robustness.md, "Low resolution (LR0.FM)".
 */
public final class LowResolutionMetrics {

    private LowResolutionMetrics() {
    }

    /**
     * Relative robustness γ = A_n / A_HR, the accuracy at resolution n relative to the clean (high-resolution)
     * accuracy. Above 1 when the low-resolution accuracy is higher, which is reported as is.
     */
    public static double relativeRobustness(double lowAccuracy, double highAccuracy) {
        requireAccuracy("A_n", lowAccuracy);
        requireAccuracy("A_HR", highAccuracy);
        if (highAccuracy == 0) {
            throw new IllegalArgumentException("γ = A_n / A_HR is undefined when A_HR = 0");
        }
        return lowAccuracy / highAccuracy;
    }

    /**
     * Improved relative robustness Γ = γ · g(ε), ε = A_HR − A_random: γ damped toward 0 as the clean accuracy
     * approaches chance, where γ is misleadingly high (a model that guesses keeps guessing at low resolution). The
     * form of g is {@code gate}; 0 when A_HR ≤ A_random, even when A_HR = 0.
     *
     * @param randomAccuracy the accuracy of random guessing on the dataset, e.g. 1/K for K balanced classes
     */
    public static double improvedRobustness(double lowAccuracy, double highAccuracy, double randomAccuracy,
                                            ChanceGate gate) {
        requireAccuracy("A_n", lowAccuracy);
        requireAccuracy("A_HR", highAccuracy);
        requireAccuracy("A_random", randomAccuracy);
        double g = gate.at(highAccuracy - randomAccuracy);
        return g == 0 ? 0 : relativeRobustness(lowAccuracy, highAccuracy) * g;
    }

    /** {@link #improvedRobustness(double, double, double, ChanceGate)} with {@link ChanceGate#PROVISIONAL}. */
    public static double improvedRobustness(double lowAccuracy, double highAccuracy, double randomAccuracy) {
        return improvedRobustness(lowAccuracy, highAccuracy, randomAccuracy, ChanceGate.PROVISIONAL);
    }

    /**
     * Chance accuracy 1/K of K classes. For an imbalanced test split (HAM10000) the paper's A_random may be another
     * quantity (e.g. the majority-class share): pass that to {@link #improvedRobustness} instead.
     */
    public static double uniformChance(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("need at least one class, got " + classes);
        }
        return 1.0 / classes;
    }

    /** Simple aggregated robustness: SAR = the mean of a model's per-dataset robustness (γ or Γ). */
    public static double sar(double[] perDataset) {
        requireValues(perDataset);
        double sum = 0;
        for (double v : perDataset) {
            sum += v;
        }
        return sum / perDataset.length;
    }

    /**
     * Weighted aggregated robustness: WAR = Σ_D w_D · Γ_D / Σ_D w_D. Dividing by Σ w makes the weights' scale
     * irrelevant (LR0.FM's released weights do not sum to 1); that normalisation is our reading.
     */
    public static double war(double[] perDataset, double[] weights) {
        requireValues(perDataset);
        WarWeights.requireWeights(weights, perDataset.length);
        double sum = 0;
        double total = 0;
        for (int d = 0; d < perDataset.length; d++) {
            sum += weights[d] * perDataset[d];
            total += weights[d];
        }
        return sum / total;
    }

    static void requireAccuracy(String what, double a) {
        if (!(a >= 0 && a <= 1)) {
            throw new IllegalArgumentException(what + " must be a fraction in [0, 1], got " + a);
        }
    }

    static void requireValues(double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("no datasets: an aggregate needs at least one value");
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("robustness values must be finite, got " + v);
            }
        }
    }
}
