package io.xscore.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules (each PrometheusRule any overlay or component renders) pass {@code promtool check rules}, and
 * every metric the rules and the Grafana dashboards in deploy/grafana query is one the code emits
 * ({@link MetricNames#emitted()}), one a recording rule records, or one of the documented external series
 * ({@link MetricNames#EXTERNAL_PREFIXES}).
 */
class AlertRulesTest {

    static final Path GRAFANA = Manifests.ROOT.resolve("deploy/grafana");
    static final String PROMTOOL = "promtool";

    /** Every PrometheusRule rendered by an overlay or through a component, by namespace/name. */
    static Map<String, JsonNode> prometheusRules() {
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        List<Path> renderings = new ArrayList<>(Manifests.overlays());
        renderings.addAll(Manifests.componentRenderings().values());
        for (Path r : renderings) {
            for (JsonNode o : Manifests.render(r)) {
                if (o.path("kind").asText().equals("PrometheusRule")) {
                    rules.putIfAbsent(o.path("metadata").path("namespace").asText() + "/"
                            + o.path("metadata").path("name").asText(), o);
                }
            }
        }
        return rules;
    }

    @Test
    void theRulesPassPromtool() throws IOException {
        Map<String, JsonNode> rules = prometheusRules();
        assumeTrue(Manifests.onPath(PROMTOOL), "promtool is not installed (Debian package prometheus): `promtool "
                + "check rules` skipped for " + rules.keySet());
        for (Map.Entry<String, JsonNode> e : rules.entrySet()) {
            Manifests.Result r = promtool(e.getKey(), e.getValue());
            assertEquals(0, r.exit(), e.getKey() + ": promtool check rules:\n" + r.out() + r.err());
        }
    }

    @Test
    void promtoolRejectsABrokenRule() throws IOException {
        assumeTrue(Manifests.onPath(PROMTOOL), "promtool is not installed (Debian package prometheus)");
        JsonNode broken = Manifests.parse(Files.readString(ManifestSchemaTest.FIXTURES.resolve(
                "broken-prometheusrule.yaml"))).get(0);
        Manifests.Result r = promtool("fixture", broken);
        assertNotEquals(0, r.exit(), r.out());
        assertTrue((r.out() + r.err()).contains("parse error"), r.out() + r.err());
    }

    private static Manifests.Result promtool(String name, JsonNode rule) throws IOException {
        Path dir = Manifests.WORK.resolve("prometheus-rules");
        Files.createDirectories(dir);
        Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".yaml");
        ObjectNode groups = Manifests.YAML.createObjectNode();
        groups.set("groups", rule.path("spec").path("groups"));
        Files.writeString(file, Manifests.yaml(groups));
        return Manifests.run(dir, null, 60, PROMTOOL, "check", "rules", file.toString());
    }

    @Test
    void everyQueriedMetricIsEmitted() {
        Map<String, String> queries = new LinkedHashMap<>();
        Set<String> recorded = new TreeSet<>();
        prometheusRules().forEach((name, rule) -> collect(name, rule, queries, recorded));
        queries.putAll(MetricNames.dashboardQueries(GRAFANA));
        assertFalse(queries.isEmpty());
        List<String> problems = unknownMetrics(queries, recorded, MetricNames.emitted());
        assertTrue(problems.isEmpty(), "metrics queried but emitted by nothing (code, recording rules, the external "
                + "allow-list in MetricNames):\n  " + String.join("\n  ", problems));
    }

    @Test
    void aRuleQueryingAMetricNobodyEmitsFails() throws IOException {
        JsonNode fixture = Manifests.parse(Files.readString(ManifestSchemaTest.FIXTURES.resolve(
                "unknown-metric-prometheusrule.yaml"))).get(0);
        Map<String, String> queries = new LinkedHashMap<>();
        Set<String> recorded = new TreeSet<>();
        collect("fixture", fixture, queries, recorded);
        List<String> problems = unknownMetrics(queries, recorded, MetricNames.emitted());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("xscore_jobs_vanished_total"), problems.toString());
    }

    @Test
    void theCodeScanKnowsMicrometersNaming() {
        Set<String> emitted = MetricNames.emitted(List.of("""
                class FooMetrics {
                    static final String DONE = "xscore.foo.done";
                    void f() {
                        registry.counter("xscore.foo.calls", "a", "b").increment();
                        registry.counter("xscore_foo_rejected_total").increment();
                        Counter.builder(DONE).register(registry);
                        Counter.builder("xscore.foo.read").baseUnit("bytes").register(registry);
                        Gauge.builder("xscore.foo.cache", this, x -> 1).baseUnit("bytes").register(registry);
                        Gauge.builder("xscore.foo.queued", q, Q::size).register(registry);
                        Timer.builder("xscore.foo.step").register(registry);
                    }
                    @Counted("xscore.foo.counted") void g() {}
                }
                """));
        assertEquals(new TreeSet<>(List.of("xscore_foo_calls_total", "xscore_foo_rejected_total",
                "xscore_foo_done_total", "xscore_foo_read_bytes_total", "xscore_foo_cache_bytes", "xscore_foo_queued",
                "xscore_foo_step_seconds_count", "xscore_foo_step_seconds_sum", "xscore_foo_step_seconds_max",
                "xscore_foo_step_seconds_bucket", "xscore_foo_counted_total")), emitted);
        assertEquals(Set.of("xscore_jobs_total", "kafka_consumergroup_lag"), MetricNames.queried(
                "sum by (namespace, model) (increase(xscore_jobs_total{state=\"failed\", model=~\"a.*\"}[1h])) > 0 "
                        + "and on (namespace) min_over_time(sum without (x) (kafka_consumergroup_lag)[15m:1m]) > 0"));
        assertEquals(Set.of("a_b", "c"), MetricNames.queried(
                "rate(a_b[$__rate_interval]) / ignoring(le) group_left(x) c offset 5m * 1e3 > bool 0"));
    }

    /** Adds a rule's expressions (by "rule name: alert/record") and its recorded series. */
    private static void collect(String name, JsonNode rule, Map<String, String> queries, Set<String> recorded) {
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                String what = r.has("alert") ? "alert " + r.path("alert").asText() : "record " + r.path("record")
                        .asText();
                queries.put(name + " " + group.path("name").asText() + " " + what, r.path("expr").asText());
                if (r.has("record")) {
                    recorded.add(r.path("record").asText());
                }
            }
        }
    }

    private static List<String> unknownMetrics(Map<String, String> queries, Set<String> recorded, Set<String> emitted) {
        List<String> problems = new ArrayList<>();
        queries.forEach((where, expr) -> {
            for (String metric : MetricNames.queried(expr)) {
                if (!emitted.contains(metric) && !recorded.contains(metric) && !MetricNames.external(metric)) {
                    problems.add(where + ": " + metric);
                }
            }
        });
        return problems;
    }
}
