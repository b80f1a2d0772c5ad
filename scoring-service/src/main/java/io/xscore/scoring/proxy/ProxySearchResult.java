package io.xscore.scoring.proxy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Outcome of a k-of-D subset search.
 *
 * @param subsets every subset, fitted ones by R² descending (ties in enumeration order), then skipped ones
 * @param best    the best fitted subset; null (with {@code note}) when no proxy can be fitted
 * @param proxy   model → proxy xScore under the best subset (in the table's model order); empty without a proxy
 * @param target  model → the full xScore the proxy predicts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxySearchResult(int k, List<String> datasets, List<String> models, List<SubsetFit> subsets,
                                SubsetFit best, Map<String, Double> target, Map<String, Double> proxy, String note) {

    public boolean found() {
        return best != null;
    }
}
