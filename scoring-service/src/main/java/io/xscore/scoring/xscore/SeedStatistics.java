package io.xscore.scoring.xscore;

import java.util.List;

/**
 * Accuracy of one (model, dataset) over N seeds: the mean, its standard error (sample standard deviation with
 * divisor N − 1, divided by √N; 0 for a single seed) and N.
 */
public record SeedStatistics(double mean, double stderr, int seeds) {

    public static SeedStatistics of(List<Double> accuracies) {
        int n = accuracies.size();
        if (n == 0) {
            throw new IllegalArgumentException("no accuracies to aggregate");
        }
        double[] values = accuracies.stream().mapToDouble(Double::doubleValue).toArray();
        double mean = XScoreCalculator.mean(values);
        double stderr = n == 1 ? 0.0 : Math.sqrt(XScoreCalculator.variance(values, VarianceDivisor.SAMPLE) / n);
        return new SeedStatistics(mean, stderr, n);
    }
}
