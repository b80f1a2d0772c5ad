package io.xscore.scoring.service;

import io.xscore.scoring.proxy.ProxyModel;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.Anchors;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.Ranks;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Places rows of mean accuracies on a fixed reference scale (pure):
 * <ul>
 *   <li>a row with every scored dataset gets the <em>full</em> xScore on the fixed anchors (each row's xScore
 *       depends only on itself and the anchors, so adding rows never changes another row's score);</li>
 *   <li>otherwise, when the proxy is allowed (the scored datasets are all reference datasets) and the row covers the
 *       proxy datasets, the <em>proxy</em> xScore of the reference-fitted linear model (G and V undefined);</li>
 *   <li>otherwise the row is <em>unscored</em> with a note naming the missing datasets.</li>
 * </ul>
 * Ranks (standard competition ranking) are over every scored row, full and proxy together.
 */
public final class ReferencePlacement {

    public static final String FULL = "full";
    public static final String PROXY = "proxy";
    public static final String UNSCORED = "unscored";

    private ReferencePlacement() {
    }

    public record Placement(String key, String kind, Double g, Double v, Double xscore, Integer rank, String note) {
    }

    /**
     * @param datasets the datasets the full xScore is computed over (reference datasets, in order)
     * @param rows     key → dataset → mean accuracy (%); keys are unique
     */
    public static List<Placement> place(ReferenceScale scale, List<String> datasets,
                                        Map<String, Map<String, Double>> rows) {
        XScoreCalculator calculator = scale.calculator();
        Anchors anchors = scale.anchors().restrictedTo(datasets);
        boolean proxyAllowed = datasets.equals(scale.datasets()) && scale.proxy() != null;
        ProxyModel proxy = scale.proxy();
        AccuracyTable.Builder full = AccuracyTable.builder(datasets);
        Map<String, String> kinds = new LinkedHashMap<>();
        for (var e : rows.entrySet()) {
            if (e.getValue().keySet().containsAll(datasets)) {
                full.row(e.getKey(), e.getValue());
                kinds.put(e.getKey(), FULL);
            } else if (proxyAllowed && proxy.covers(e.getValue())) {
                kinds.put(e.getKey(), PROXY);
            } else {
                kinds.put(e.getKey(), UNSCORED);
            }
        }
        XScoreTable table = calculator.score(full.build(), anchors);
        List<String> keys = new ArrayList<>(rows.keySet());
        Double[] xs = new Double[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            xs[i] = switch (kinds.get(key)) {
                case FULL -> table.model(key).orElseThrow().xscore();
                case PROXY -> proxy.predict(rows.get(key));
                default -> null;
            };
        }
        List<Integer> scoredIdx = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] != null) {
                scoredIdx.add(i);
            }
        }
        List<Integer> ranks = Ranks.competition(scoredIdx.stream().map(i -> xs[i]).toList(),
                XScoreCalculator.TIE_TOLERANCE);
        Map<Integer, Integer> rankOf = new LinkedHashMap<>();
        for (int j = 0; j < scoredIdx.size(); j++) {
            rankOf.put(scoredIdx.get(j), ranks.get(j));
        }
        List<Placement> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String kind = kinds.get(key);
            switch (kind) {
                case FULL -> {
                    ModelXScore m = table.model(key).orElseThrow();
                    String note = table.notes().isEmpty() ? null : String.join("; ", table.notes());
                    out.add(new Placement(key, FULL, m.g(), m.v(), m.xscore(), rankOf.get(i), note));
                }
                case PROXY -> out.add(new Placement(key, PROXY, null, null, xs[i], rankOf.get(i), proxyNote(proxy)));
                default -> out.add(new Placement(key, UNSCORED, null, null, null, null,
                        unscoredNote(datasets, rows.get(key), proxyAllowed ? proxy : null)));
            }
        }
        return out;
    }

    /** The label of a proxy score (ScoreSet notes start with it: {@code proxy: ...}). */
    public static String proxyNote(ProxyModel proxy) {
        return String.format(Locale.ROOT, "proxy: %d-dataset proxy xScore from %s (OLS fitted on the %d reference "
                + "models, R² = %.4f); G and V are not defined", proxy.datasets().size(),
                String.join(", ", proxy.datasets()), proxy.models(), proxy.r2());
    }

    private static String unscoredNote(List<String> datasets, Map<String, Double> row, ProxyModel proxy) {
        String missing = datasets.stream().filter(d -> !row.containsKey(d)).collect(Collectors.joining(", "));
        return "not on the reference scale: no accuracy on " + missing + " (needs all of " + datasets
                + (proxy == null ? "" : " or the proxy datasets " + proxy.datasets()) + ")";
    }
}
