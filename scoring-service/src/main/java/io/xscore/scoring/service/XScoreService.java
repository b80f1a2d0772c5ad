package io.xscore.scoring.service;

import io.xscore.scoring.proxy.ProxySearch;
import io.xscore.scoring.proxy.ProxySearchResult;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.VarianceDivisor;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import io.xscore.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The stateless xScore of a submitted accuracy table ({@code POST /api/v1/xscore}): the table scored on the paper's
 * fixed reference anchors or on anchors recomputed from the table itself, and the best proxy subset searched over
 * it. Nothing is read from or written to the database: the reference scale is the shipped one.
 */
@ApplicationScoped
public class XScoreService {

    private final LeaderboardService leaderboards;

    public XScoreService(LeaderboardService leaderboards) {
        this.leaderboards = leaderboards;
    }

    /**
     * A table to score, already validated: every model has an accuracy in [0, 100] on every dataset; under reference
     * anchors exactly the reference datasets; under recomputed anchors at least 2 models and no column of one value.
     *
     * @param accuracies model → dataset id → accuracy (%), in request order
     */
    public record Table(double lambda, boolean referenceAnchors, VarianceDivisor divisor, int k,
                        Map<String, Map<String, Double>> accuracies) {
    }

    /**
     * The scores of a table.
     *
     * @param datasets the columns: the reference datasets in their order (reference anchors) or the table's, in order
     *                 of first appearance
     * @param search   the best k-subset proxy over the table, or why there is none
     */
    public record Scored(XScoreCalculator calculator, boolean referenceAnchors, List<String> datasets,
                         XScoreTable scores, ProxySearchResult search) {
    }

    /** The datasets that have fixed (paper) anchors, in the reference table's order. */
    public List<String> referenceDatasets() {
        return paperScale().datasets();
    }

    public Scored score(Table request) {
        ReferenceScale paper = paperScale();
        XScoreCalculator calculator = new XScoreCalculator(request.lambda(), request.divisor());
        List<String> datasets = request.referenceAnchors() ? paper.datasets()
                : List.copyOf(request.accuracies().values().iterator().next().keySet());
        AccuracyTable.Builder builder = AccuracyTable.builder(datasets);
        request.accuracies().forEach(builder::row);
        AccuracyTable table = builder.build();
        XScoreTable scores = request.referenceAnchors() ? calculator.score(table, paper.anchors())
                : calculator.scoreRecomputed(table);
        if (!scores.scored()) {
            // validation rules these out; never answer with partial or NaN values
            throw ProblemException.badRequest("accuracies", String.join("; ", scores.notes()));
        }
        double[] target = scores.models().stream().mapToDouble(ModelXScore::xscore).toArray();
        ProxySearchResult search = ProxySearch.search(table, target, request.k());
        return new Scored(calculator, request.referenceAnchors(), datasets, scores, search);
    }

    private ReferenceScale paperScale() {
        return leaderboards.shippedPaperScale(leaderboards.calculator(null));
    }
}
