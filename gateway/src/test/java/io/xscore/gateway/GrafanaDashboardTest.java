package io.xscore.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards in deploy/grafana are valid: unique panel ids, panels that do not overlap, a Prometheus query
 * in every target, and the trainer-pool row with a panel for each of its measures (the gateway's own series of that
 * row are checked against /q/metrics by {@code TrainerPoolTest}).
 */
public class GrafanaDashboardTest {

    static final Path DIR = Path.of("..", "deploy", "grafana");
    static final Pattern METRIC = Pattern.compile("\\bxscore_[a-z0-9_]+");

    @Test
    void dashboardsAreWellFormed() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            JsonNode d = Json.MAPPER.readTree(file.toFile());
            assertTrue(d.hasNonNull("uid") && d.hasNonNull("title"), file + ": uid and title");
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode p : d.path("panels")) {
                String name = file.getFileName() + " panel " + p.path("id") + " '" + p.path("title").asText() + "'";
                assertTrue(ids.add(p.path("id").asInt(-1)), name + ": duplicate or missing id");
                JsonNode g = p.path("gridPos");
                int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
                assertTrue(box[2] > 0 && box[3] > 0 && box[0] + box[2] <= 24, name + ": gridPos " + g);
                for (int[] other : boxes) {
                    boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                            && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                    assertFalse(overlap, name + " overlaps another panel");
                }
                boxes.add(box);
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertEquals("${datasource}", p.path("datasource").path("uid").asText(), name + ": datasource");
                Set<String> refIds = new HashSet<>();
                assertTrue(p.path("targets").size() > 0, name + ": no targets");
                for (JsonNode t : p.path("targets")) {
                    assertTrue(refIds.add(t.path("refId").asText()), name + ": duplicate refId");
                    String expr = t.path("expr").asText();
                    assertFalse(expr.isBlank(), name + ": empty expr");
                    assertEquals(count(expr, '('), count(expr, ')'), name + ": unbalanced parentheses in " + expr);
                    assertEquals(count(expr, '['), count(expr, ']'), name + ": unbalanced brackets in " + expr);
                    assertEquals(count(expr, '{') , count(expr, '}'), name + ": unbalanced braces in " + expr);
                }
            }
        }
    }

    @Test
    void theTrainerPoolRowHasAPanelForEachMeasure() throws IOException {
        JsonNode d = Json.MAPPER.readTree(DIR.resolve("xscore-overview.json").toFile());
        List<JsonNode> row = poolRow(d);
        Set<String> titles = new HashSet<>();
        Set<String> metrics = new HashSet<>();
        for (JsonNode p : row) {
            titles.add(p.path("title").asText());
            for (JsonNode t : p.path("targets")) {
                Matcher m = METRIC.matcher(t.path("expr").asText());
                while (m.find()) {
                    metrics.add(m.group());
                }
            }
        }
        assertTrue(titles.containsAll(List.of("Queued jobs", "Jobs in progress", "Trainers busy and idle",
                "Lock renewals", "Releases", "Redeliveries", "Rejections")), titles.toString());
        assertTrue(metrics.containsAll(List.of("xscore_jobs_queued", "xscore_jobs_in_progress", "xscore_trainer_busy",
                "xscore_trainer_lock_renewals_total", "xscore_trainer_jobs_released_total",
                "xscore_trainer_jobs_redelivered_total", "xscore_trainer_jobs_rejected_total",
                "xscore_job_attempts_total", "xscore_job_redeliveries_total")), metrics.toString());
    }

    /** The panels below the "Trainer pool" row, up to the next row. */
    static List<JsonNode> poolRow(JsonNode dashboard) {
        List<JsonNode> row = new ArrayList<>();
        boolean in = false;
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                in = p.path("title").asText().equals("Trainer pool");
            } else if (in) {
                row.add(p);
            }
        }
        assertFalse(row.isEmpty(), "no Trainer pool row");
        return row;
    }

    /** Every xscore_* series the trainer-pool row queries. */
    public static Set<String> poolMetrics() throws IOException {
        Set<String> metrics = new HashSet<>();
        for (JsonNode p : poolRow(Json.MAPPER.readTree(DIR.resolve("xscore-overview.json").toFile()))) {
            for (JsonNode t : p.path("targets")) {
                Matcher m = METRIC.matcher(t.path("expr").asText());
                while (m.find()) {
                    metrics.add(m.group());
                }
            }
        }
        return metrics;
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
