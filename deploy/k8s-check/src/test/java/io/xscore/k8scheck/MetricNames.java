package io.xscore.k8scheck;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Metric names: the Prometheus series the code emits (Micrometer registrations in the services' main sources, and
 * those of the libraries they share), the ones PromQL expressions query, and the documented allow-list of series
 * other software emits.
 */
final class MetricNames {

    /** Modules whose main sources the services run: the four services and the libraries they share. */
    static final List<String> MODULES = List.of("gateway", "scoring-service", "dataset-service", "trainer-service",
            "service-support", "common", "augment");

    /**
     * Series that come from outside this code, by prefix (or whole name for those without an underscore).
     * <ul>
     * <li>{@code up}, {@code ALERTS}, {@code ALERTS_FOR_STATE}, {@code scrape_}: Prometheus itself;</li>
     * <li>{@code kube_}: kube-state-metrics; {@code kubelet_}: the kubelet (kubelet_volume_stats_*);
     * {@code container_}: cAdvisor in the kubelet;</li>
     * <li>{@code kafka_}: Strimzi's Kafka Exporter (kafka_consumergroup_lag, kafka_topic_partition_*), the brokers'
     * JMX exporter, and the Kafka client metrics Quarkus' Micrometer binder exports (kafka_producer_*,
     * kafka_consumer_*); {@code strimzi_}: the Strimzi operators;</li>
     * <li>{@code jvm_}, {@code process_}, {@code system_}, {@code http_server_}, {@code http_client_},
     * {@code netty_}, {@code executor_}, {@code worker_pool_}: Quarkus' Micrometer binders (JVM, process, system, HTTP
     * server and REST client, Vert.x pools).</li>
     * </ul>
     */
    static final List<String> EXTERNAL_PREFIXES = List.of("kube_", "kubelet_", "container_", "kafka_", "strimzi_",
            "jvm_", "process_", "system_", "http_server_", "http_client_", "netty_", "executor_", "worker_pool_",
            "scrape_");
    static final Set<String> EXTERNAL_NAMES = Set.of("up", "ALERTS", "ALERTS_FOR_STATE");

    static boolean external(String series) {
        return EXTERNAL_NAMES.contains(series) || EXTERNAL_PREFIXES.stream().anyMatch(series::startsWith);
    }

    enum Type {
        COUNTER, GAUGE, TIMER, SUMMARY, LONG_TASK_TIMER, FUNCTION_TIMER, TIME_GAUGE
    }

    private static final Pattern REGISTRY_CALL = Pattern.compile(
            "\\b(counter|gauge|timer|summary|more\\(\\)\\.timeGauge|more\\(\\)\\.longTaskTimer)\\(\\s*(\"[^\"]+\"|[A-Z][A-Z0-9_]*)");
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|FunctionCounter|Gauge|TimeGauge|Timer|FunctionTimer|DistributionSummary|LongTaskTimer)"
                    + "\\.builder\\(\\s*(\"[^\"]+\"|[A-Z][A-Z0-9_]*)");
    private static final Pattern ANNOTATION = Pattern.compile(
            "@(Counted|Timed)\\(\\s*(?:value\\s*=\\s*)?(\"[^\"]+\"|[A-Z][A-Z0-9_]*)");
    private static final Pattern CONSTANT = Pattern.compile("\\bString\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([^\"]+)\"");

    /** Every series the code emits, in Prometheus form. */
    static Set<String> emitted() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String module : MODULES) {
            Path dir = Manifests.ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    sources.put(f.toString(), Files.readString(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return emitted(sources.values());
    }

    static Set<String> emitted(Iterable<String> javaSources) {
        Map<String, String> constants = new LinkedHashMap<>();
        for (String src : javaSources) {
            Matcher c = CONSTANT.matcher(src);
            while (c.find()) {
                constants.putIfAbsent(c.group(1), c.group(2));
            }
        }
        Set<String> series = new TreeSet<>();
        for (String src : javaSources) {
            Matcher m = REGISTRY_CALL.matcher(src);
            while (m.find()) {
                String name = name(m.group(2), constants);
                Type type = switch (m.group(1)) {
                    case "counter" -> Type.COUNTER;
                    case "gauge" -> Type.GAUGE;
                    case "timer" -> Type.TIMER;
                    case "summary" -> Type.SUMMARY;
                    case "more().timeGauge" -> Type.TIME_GAUGE;
                    default -> Type.LONG_TASK_TIMER;
                };
                if (name != null) {
                    series.addAll(prometheus(name, type, null));
                }
            }
            Matcher b = BUILDER.matcher(src);
            while (b.find()) {
                String name = name(b.group(2), constants);
                Type type = switch (b.group(1)) {
                    case "Counter", "FunctionCounter" -> Type.COUNTER;
                    case "Gauge" -> Type.GAUGE;
                    case "TimeGauge" -> Type.TIME_GAUGE;
                    case "Timer" -> Type.TIMER;
                    case "FunctionTimer" -> Type.FUNCTION_TIMER;
                    case "DistributionSummary" -> Type.SUMMARY;
                    default -> Type.LONG_TASK_TIMER;
                };
                // The builder chain: up to its register(...) call.
                int end = src.indexOf(".register(", b.end());
                String chain = end < 0 ? "" : src.substring(b.end(), end);
                Matcher unit = BASE_UNIT.matcher(chain);
                if (name != null) {
                    series.addAll(prometheus(name, type, unit.find() ? unit.group(1) : null));
                }
            }
            Matcher a = ANNOTATION.matcher(src);
            while (a.find()) {
                String name = name(a.group(2), constants);
                if (name != null) {
                    series.addAll(prometheus(name, a.group(1).equals("Counted") ? Type.COUNTER : Type.TIMER, null));
                }
            }
        }
        return series;
    }

    private static String name(String literalOrConstant, Map<String, String> constants) {
        return literalOrConstant.startsWith("\"") ? literalOrConstant.substring(1, literalOrConstant.length() - 1)
                : constants.get(literalOrConstant);
    }

    /** The series Micrometer's Prometheus registry exposes for a meter (PrometheusNamingConvention). */
    static Set<String> prometheus(String name, Type type, String baseUnit) {
        String base = name.replaceAll("[^A-Za-z0-9_:]", "_");
        Set<String> out = new LinkedHashSet<>();
        switch (type) {
            case COUNTER -> {
                String n = withUnit(base, baseUnit);
                out.add(n.endsWith("_total") ? n : n + "_total");
            }
            case GAUGE -> out.add(withUnit(base, baseUnit));
            case TIME_GAUGE -> out.add(withUnit(base, "seconds"));
            case TIMER, FUNCTION_TIMER -> {
                String n = withUnit(base, "seconds");
                out.addAll(List.of(n + "_count", n + "_sum"));
                if (type == Type.TIMER) {
                    out.addAll(List.of(n + "_max", n + "_bucket"));
                }
            }
            case SUMMARY -> {
                String n = withUnit(base, baseUnit);
                out.addAll(List.of(n + "_count", n + "_sum", n + "_max", n + "_bucket"));
            }
            case LONG_TASK_TIMER -> {
                String n = withUnit(base, "seconds");
                out.addAll(List.of(n + "_active_count", n + "_duration_sum", n + "_max", n + "_bucket"));
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
        return out;
    }

    private static String withUnit(String name, String unit) {
        if (unit == null || unit.isEmpty()) {
            return name;
        }
        String suffix = "_" + unit.toLowerCase(Locale.ROOT);
        return name.endsWith(suffix) ? name : name + suffix;
    }

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])([A-Za-z_:][A-Za-z0-9_:]*)(?![\\w(])(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "atan2", "inf", "nan", "Inf", "NaN", "start", "end");

    /** The metric names a PromQL expression selects (Grafana's $variables and label matchers aside). */
    static Set<String> queried(String expr) {
        String e = STRINGS.matcher(expr).replaceAll("\"\"");
        e = e.replaceAll("#[^\\n]*", " ");
        e = stripBalanced(e, '{', '}');
        e = stripBalanced(e, '[', ']');
        e = GROUPING.matcher(e).replaceAll(" ");
        e = e.replaceAll("\\$\\{[^}]*}|\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String token = m.group(1);
            if (!KEYWORDS.contains(token)) {
                names.add(token);
            }
        }
        return names;
    }

    private static String stripBalanced(String s, char open, char close) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == open) {
                if (depth++ == 0) {
                    b.append(open);
                }
            } else if (c == close && depth > 0) {
                if (--depth == 0) {
                    b.append(close);
                }
            } else if (depth == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Each Grafana dashboard's query expressions (panels, panels in rows), keyed "file panel 'title' refId". */
    static Map<String, String> dashboardQueries(Path dir) {
        Map<String, String> queries = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                panels(f.getFileName().toString(), Manifests.JSON.readTree(f.toFile()).path("panels"), queries);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    private static void panels(String file, JsonNode panels, Map<String, String> queries) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) {
                    queries.put(file + " panel '" + p.path("title").asText() + "' " + t.path("refId").asText(),
                            t.path("expr").asText());
                }
            }
            panels(file, p.path("panels"), queries);
        }
    }
}
