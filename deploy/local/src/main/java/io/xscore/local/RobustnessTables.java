package io.xscore.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints an evaluation's robustness board (the score set's {@code robustness}) as plain-text tables. */
final class RobustnessTables {

    private RobustnessTables() {
    }

    static void print(JsonNode board, List<String> datasets) {
        if (board.isMissingNode() || board.isNull()) {
            return;
        }
        JsonNode spec = board.path("spec");
        System.out.printf(Locale.ROOT, "%nRobustness suites %s on %s test images per dataset (seed %s); every value "
                + "among this evaluation's models%n", spec.path("suites"), spec.path("images").asText(),
                spec.path("seed").asText());
        JsonNode models = board.path("models");
        header("Clean accuracy on the suites' images (%)", datasets);
        models.forEach(m -> row(m.path("model").asText(), datasets, m.path("cleanAccuracy"), "%.2f"));

        if (models.size() > 0 && models.get(0).has("lowResolution")) {
            for (JsonNode first : models.get(0).path("lowResolution")) {
                int n = first.path("shorterSide").asInt();
                header("Low resolution n=" + n + " (LR0.FM): accuracy % | γ | Γ", datasets, "SAR(Γ)", "WAR(Γ)");
                for (JsonNode m : models) {
                    for (JsonNode r : m.path("lowResolution")) {
                        if (r.path("shorterSide").asInt() == n) {
                            System.out.printf(Locale.ROOT, "%-18s", m.path("model").asText());
                            for (String d : datasets) {
                                System.out.printf(Locale.ROOT, " %24s", String.format(Locale.ROOT, "%.2f | %.3f | %.3f",
                                        r.path("accuracy").path(d).asDouble(), r.path("gamma").path(d).asDouble(),
                                        r.path("improvedGamma").path(d).asDouble()));
                            }
                            System.out.printf(Locale.ROOT, " %8s %8s%n", fmt(r.path("sarImprovedGamma"), "%.4f"),
                                    fmt(r.path("warImprovedGamma"), "%.4f"));
                        }
                    }
                }
            }
            System.out.println("Γ uses the gate " + board.path("chanceGate").asText()
                    + "; WAR weights: " + (board.has("warWeights") ? board.path("warWeights").get(0).path("weights")
                    : "none (fewer than three models)"));
        }
        if (models.size() > 0 && models.get(0).has("corruptions")) {
            JsonNode c0 = models.get(0).path("corruptions");
            header("Common corruptions (platform-generated): mean accuracy % | mCE | relative mCE against "
                    + c0.path("baseline").asText(), datasets, "mean acc");
            for (JsonNode m : models) {
                JsonNode c = m.path("corruptions");
                System.out.printf(Locale.ROOT, "%-18s", m.path("model").asText());
                for (String d : datasets) {
                    System.out.printf(Locale.ROOT, " %24s", fmt(c.path("meanAccuracy").path(d), "%.2f") + " | "
                            + fmt(c.path("mce").path(d), "%.3f") + " | " + fmt(c.path("relativeMce").path(d), "%.3f"));
                }
                System.out.printf(Locale.ROOT, " %8s%n", fmt(c.path("meanCorruptionAccuracy"), "%.2f"));
            }
        }
        if (models.size() > 0 && models.get(0).has("pgd")) {
            for (JsonNode first : models.get(0).path("pgd")) {
                double eps = first.path("epsilon").asDouble();
                header(String.format(Locale.ROOT, "PGD %s ε=%.5f (%.2f/255), %s steps: accuracy %%, worst case over "
                                + "radii ≤ ε", first.path("norm").asText(), eps, eps * 255,
                        spec.path("pgd").path("steps").asText()), datasets);
                for (JsonNode m : models) {
                    for (JsonNode r : m.path("pgd")) {
                        if (r.path("epsilon").asDouble() == eps) {
                            row(m.path("model").asText(), datasets, r.path("accuracy"), "%.2f");
                        }
                    }
                }
            }
        }
        if (board.has("robustXScores")) {
            System.out.printf(Locale.ROOT, "%nRobust xScores (anchors recomputed among this evaluation's models)%n");
            for (JsonNode x : board.path("robustXScores")) {
                List<String> parts = new ArrayList<>();
                x.path("scores").forEach(s -> parts.add(s.path("model").asText() + " " + fmt(s.path("xscore"), "%.4f")
                        + (s.has("rank") ? " (#" + s.path("rank").asText() + ")" : "")));
                System.out.printf(Locale.ROOT, "%-22s %s%n", x.path("measure").asText(), String.join(", ", parts));
            }
        }
        board.path("notes").forEach(n -> System.out.println("note: " + n.asText()));
    }

    private static void header(String title, List<String> datasets, String... extra) {
        System.out.printf(Locale.ROOT, "%n%s%n%-18s", title, "model");
        datasets.forEach(d -> System.out.printf(Locale.ROOT, " %24s", d));
        for (String e : extra) {
            System.out.printf(Locale.ROOT, " %8s", e);
        }
        System.out.println();
    }

    private static void row(String model, List<String> datasets, JsonNode values, String format) {
        System.out.printf(Locale.ROOT, "%-18s", model);
        datasets.forEach(d -> System.out.printf(Locale.ROOT, " %24s", fmt(values.path(d), format)));
        System.out.println();
    }

    private static String fmt(JsonNode n, String format) {
        return n.isNumber() ? String.format(Locale.ROOT, format, n.asDouble()) : "-";
    }
}
