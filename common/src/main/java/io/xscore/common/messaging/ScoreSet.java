package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * xScores of the models of one evaluation. Topic {@link Topics#SCORES}, keyed by evaluation id; schema
 * {@code schemas/score-set.v1.json}.
 *
 * @param scale    {@code reference} (paper's fixed anchors; paper protocol only) or {@code recomputed} (anchors
 *                 from the models present; always used for non-paper protocols)
 * @param complete true once every model of the evaluation has been scored
 * @param robustness the robustness board, for an evaluation that ran robustness suites (added compatibly in v1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreSet(
        int schemaVersion,
        String evaluationId,
        String protocol,
        boolean paperProtocol,
        String scale,
        double lambda,
        String varianceDivisor,
        List<String> datasets,
        List<ModelScore> scores,
        boolean complete,
        String note,
        Instant computedAt,
        RobustnessBoard robustness) {

    public static final int SCHEMA_VERSION = 1;

    /** A score set without a robustness board. */
    public ScoreSet(int schemaVersion, String evaluationId, String protocol, boolean paperProtocol, String scale,
                    double lambda, String varianceDivisor, List<String> datasets, List<ModelScore> scores,
                    boolean complete, String note, Instant computedAt) {
        this(schemaVersion, evaluationId, protocol, paperProtocol, scale, lambda, varianceDivisor, datasets, scores,
                complete, note, computedAt, null);
    }

    /** The same set with a robustness board. */
    public ScoreSet withRobustness(RobustnessBoard board) {
        return new ScoreSet(schemaVersion, evaluationId, protocol, paperProtocol, scale, lambda, varianceDivisor,
                datasets, scores, complete, note, computedAt, board);
    }

    /**
     * @param xscore null when it cannot be computed yet (e.g. a single model under recomputed anchors), with
     *               {@code note} saying why; never NaN
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelScore(
            String model,
            Map<String, DatasetAccuracy> accuracies,
            Double g,
            Double v,
            Double xscore,
            Integer rank,
            String note) {
    }

    /** Mean over seeds of the test accuracy (%), its standard error and the number of seeds. */
    public record DatasetAccuracy(double mean, double stderr, int seeds) {
    }
}
