package io.xscore.scoring.xscore;

import java.util.List;

/**
 * One model's result. When the table cannot be scored (see {@link XScoreTable#notes()}) {@code normalised},
 * {@code g}, {@code v}, {@code xscore} and {@code rank} are null; they are never NaN.
 *
 * @param normalised Â per dataset, in the table's dataset order
 * @param g          mean of Â over the datasets
 * @param v          variance of Â over the datasets (divisor per {@link VarianceDivisor})
 * @param xscore     G − λ·V
 * @param rank       1 = best; equal xScores share a rank (standard competition ranking: 1, 1, 3)
 */
public record ModelXScore(String model, List<Double> normalised, Double g, Double v, Double xscore, Integer rank) {

    static ModelXScore unscored(String model) {
        return new ModelXScore(model, null, null, null, null, null);
    }
}
