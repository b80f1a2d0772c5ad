package io.xscore.scoring.proxy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The least-squares fit of one dataset subset: in-sample R², coefficients per dataset and intercept; or, when the
 * subset cannot be fitted (rank-deficient design), null numbers and {@code skipped} saying why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubsetFit(List<String> datasets, Double r2, Map<String, Double> coefficients, Double intercept,
                        String skipped) {

    public boolean fitted() {
        return skipped == null;
    }

    /** The fitted linear model (only for a fitted subset). */
    public ProxyModel model(int models) {
        if (!fitted()) {
            throw new IllegalStateException("subset " + datasets + " was skipped: " + skipped);
        }
        return new ProxyModel(datasets, coefficients, intercept, r2, models);
    }
}
