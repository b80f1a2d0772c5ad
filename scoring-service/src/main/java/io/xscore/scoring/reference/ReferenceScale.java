package io.xscore.scoring.reference;

import io.xscore.scoring.proxy.ProxyModel;
import io.xscore.scoring.proxy.ProxySearch;
import io.xscore.scoring.proxy.ProxySearchResult;
import io.xscore.scoring.proxy.SubsetFit;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.Anchors;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import java.util.List;

/**
 * The paper's fixed scale for one λ and variance divisor: the reference table, its anchors (column min/max), the
 * reference models' xScores on them, and the proxy fitted on the reference table.
 *
 * <p>The proxy's subset is the best k-subset of the reference table at the scale's λ (for the paper's table and
 * λ = 0.5: cifar10, ham10000, stanford_dogs, mit_indoor67). {@link #withCalculator} keeps that subset and refits
 * its coefficients for another λ or divisor: a model trained on the proxy datasets can only be scored on them.
 * Like the anchors, the proxy is fitted on the reference table only, so scores on this scale never change when
 * new models arrive.
 */
public final class ReferenceScale {

    private final ReferenceData data;
    private final XScoreCalculator calculator;
    private final Anchors anchors;
    private final ProxyModel proxy;
    private final int k;

    private ReferenceScale(ReferenceData data, XScoreCalculator calculator, List<String> proxySubset, int k) {
        this.data = data;
        this.calculator = calculator;
        this.k = k;
        this.anchors = Anchors.reference(data.table());
        XScoreTable referenceScores = calculator.score(data.table(), anchors);
        double[] target = referenceScores.models().stream().mapToDouble(ModelXScore::xscore).toArray();
        if (proxySubset == null) {
            ProxySearchResult search = ProxySearch.search(data.table(), target, k);
            this.proxy = search.found() ? search.best().model(data.table().modelCount()) : null;
        } else {
            SubsetFit fit = ProxySearch.fit(data.table(), target, proxySubset);
            this.proxy = fit.fitted() ? fit.model(data.table().modelCount()) : null;
        }
    }

    /** The scale with the proxy subset found by searching the reference table for the best k-subset. */
    public static ReferenceScale of(ReferenceData data, XScoreCalculator calculator, int k) {
        return new ReferenceScale(data, calculator, null, k);
    }

    /** The same reference data and proxy subset under another λ / divisor (coefficients refitted). */
    public ReferenceScale withCalculator(XScoreCalculator other) {
        if (other.lambda() == calculator.lambda() && other.divisor() == calculator.divisor()) {
            return this;
        }
        return new ReferenceScale(data, other, proxy == null ? null : proxy.datasets(), k);
    }

    public ReferenceData data() {
        return data;
    }

    public String protocol() {
        return data.protocol();
    }

    public AccuracyTable table() {
        return data.table();
    }

    public List<String> datasets() {
        return data.table().datasets();
    }

    public XScoreCalculator calculator() {
        return calculator;
    }

    public Anchors anchors() {
        return anchors;
    }

    /** The fitted proxy, or null when the reference table admits none. */
    public ProxyModel proxy() {
        return proxy;
    }
}
