package io.xscore.scoring.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.scoring.proxy.ProxyModel;
import java.util.List;
import java.util.Map;

/**
 * A leaderboard as answered by {@code GET /api/v1/leaderboard}: computed on request from the stored results and the
 * stored reference table, never stored itself.
 *
 * @param scale   {@code reference} (paper protocol: the paper's fixed anchors) or {@code recomputed}
 * @param proxy   the proxy used for {@code kind = proxy} entries (reference scale, all reference datasets)
 * @param entries scored entries by rank, then unscored ones
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Leaderboard(String protocol, boolean paperProtocol, String scale, double lambda, String varianceDivisor,
                         List<String> datasets, Reference reference, Proxy proxy, List<Entry> entries,
                         List<String> notes) {

    public static final String SOURCE_REFERENCE = "reference";
    public static final String SOURCE_EVALUATED = "evaluated";

    /** The reference table the scale comes from. */
    public record Reference(String protocol, int version, String sha256, String source, int models) {
    }

    public record Proxy(List<String> datasets, Map<String, Double> coefficients, double intercept, double r2,
                        int fittedOn) {
        static Proxy of(ProxyModel m) {
            return m == null ? null : new Proxy(m.datasets(), m.coefficients(), m.intercept(), m.r2(), m.models());
        }
    }

    /**
     * One model. {@code source}: {@code reference} (the paper's table) or {@code evaluated} (results stored here);
     * {@code kind}: {@code full}, {@code proxy} or {@code unscored}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(Integer rank, String model, String source, String protocol, String kind,
                        Map<String, Cell> accuracies, Double g, Double v, Double xscore, String note) {
    }

    /** Mean accuracy (%); for evaluated models also the standard error over seeds and the seed count. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cell(double mean, Double stderr, Integer seeds) {
    }
}
