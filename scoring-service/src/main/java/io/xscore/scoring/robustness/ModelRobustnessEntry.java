package io.xscore.scoring.robustness;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.common.messaging.RobustnessBoard;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.ScoreSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model's row of one evaluation's robustness board, with its robust xScores there: what {@code GET
 * /api/v1/scores/{model}} lists beside the model's leaderboard entries. Robust xScores are relative to that
 * evaluation's models (anchors recomputed among them), so each entry names its evaluation.
 *
 * @param robustXScores measure → the model's robust xScore and rank among the evaluation's models
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelRobustnessEntry(
        String evaluationId,
        String protocol,
        List<String> datasets,
        RobustnessSpec spec,
        RobustnessBoard.ModelRobustness robustness,
        List<MeasureScore> robustXScores,
        int modelsOnBoard) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MeasureScore(String measure, Double xscore, Integer rank) {
    }

    /** The model's entry in the score set's board, if it is on it. */
    public static Optional<ModelRobustnessEntry> of(ScoreSet set, String model) {
        RobustnessBoard board = set.robustness();
        if (board == null) {
            return Optional.empty();
        }
        return board.models().stream().filter(m -> m.model().equals(model)).findFirst().map(row -> {
            List<MeasureScore> scores = new ArrayList<>();
            if (board.robustXScores() != null) {
                for (RobustnessBoard.RobustXScore x : board.robustXScores()) {
                    x.scores().stream().filter(e -> e.model().equals(model)).findFirst()
                            .ifPresent(e -> scores.add(new MeasureScore(x.measure(), e.xscore(), e.rank())));
                }
            }
            return new ModelRobustnessEntry(set.evaluationId(), set.protocol(), set.datasets(), board.spec(), row,
                    scores.isEmpty() ? null : scores, board.models().size());
        });
    }
}
