package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The robustness board of one evaluation: each model's accuracies under the suites' perturbations (mean over seeds,
 * per dataset), the suites' metrics and the robust xScores. Part of the {@link ScoreSet}; schema
 * {@code schemas/robustness-board.v1.json}. Accuracies are percentages; γ, Γ, SAR, WAR, mCE are ratios. Every value is
 * computed among the models of this evaluation: nothing here is on the paper's reference scale.
 *
 * @param spec          the resolved suites
 * @param models        complete models (every job's report present), in score-set order
 * @param warWeights    per low resolution n: the WAR weights fitted among this evaluation's models (none with fewer
 *                      than three complete models)
 * @param robustXScores the xScore formula applied to robust accuracies, one per measure, anchors recomputed among the
 *                      models present
 * @param chanceGate    the gate g(ε) of Γ (provisional, see docs/robustness.md)
 * @param notes         what could not be computed and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RobustnessBoard(
        RobustnessSpec spec,
        List<ModelRobustness> models,
        List<WarFit> warWeights,
        List<RobustXScore> robustXScores,
        String chanceGate,
        List<String> notes) {

    /**
     * @param cleanAccuracy dataset → unperturbed accuracy on the suites' test images
     * @param corruptions   absent when the suite did not run
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelRobustness(
            String model,
            Map<String, Double> cleanAccuracy,
            List<LowResolutionRow> lowResolution,
            CorruptionSummary corruptions,
            List<PgdRow> pgd) {
    }

    /**
     * One resolution n: per dataset the accuracy, γ = A_n / A_HR and Γ (γ gated by the distance from chance); SAR over
     * γ and over Γ, and WAR over Γ when weights were fitted.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LowResolutionRow(
            int shorterSide,
            Map<String, Double> accuracy,
            Map<String, Double> gamma,
            Map<String, Double> improvedGamma,
            Double sarGamma,
            Double sarImprovedGamma,
            Double warImprovedGamma) {
    }

    /**
     * @param accuracy               "corruption/severity" → dataset → accuracy
     * @param meanAccuracy           dataset → mean over every corruption and severity run
     * @param baseline               the model mCE is relative to
     * @param mce                    dataset → mCE against the baseline (all five severities needed)
     * @param relativeMce            dataset → relative mCE against the baseline
     * @param meanCorruptionAccuracy mean of {@code meanAccuracy} over datasets
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CorruptionSummary(
            Map<String, Map<String, Double>> accuracy,
            Map<String, Double> meanAccuracy,
            String baseline,
            Map<String, Double> mce,
            Map<String, Double> relativeMce,
            Double meanCorruptionAccuracy) {
    }

    /** Accuracy per dataset under PGD at one radius. */
    public record PgdRow(String norm, double epsilon, Map<String, Double> accuracy) {
    }

    /** WAR weights at resolution n (dataset → weight, summing to 1) and the mean Spearman ρ they reach. */
    public record WarFit(int shorterSide, Map<String, Double> weights, double agreement) {
    }

    /**
     * @param measure e.g. {@code lr0fm-16}, {@code corruptions-mean}, {@code pgd-linf-0.0157}
     * @param scores  models ranked by robust xScore
     */
    public record RobustXScore(String measure, String description, List<Entry> scores) {

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Entry(String model, Double g, Double v, Double xscore, Integer rank) {
        }
    }
}
