package io.xscore.k8scheck;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's configuration against a Deployment's environment: every property whose value, as the service resolves
 * it, would point at 127.0.0.1/localhost or read an unset {@code ${VAR}} without a default must be set by the
 * Deployment. Sources: src/main/resources/application.properties (profile {@code %prod.} overrides, other profiles
 * ignored) and the {@code @WithDefault} values of the service's {@code @ConfigMapping} interfaces (top-level
 * methods). A property is set by the environment variable MicroProfile Config maps it from
 * ({@code xscore.gateway.scoring-service-url} ⇔ {@code XSCORE_GATEWAY_SCORING_SERVICE_URL}), or, through its value,
 * by the variables its {@code ${...}} expressions read. The Deployment's variables: its container's {@code env}
 * (a value, or a valueFrom other than an optional key reference) and {@code envFrom} (the keys of a ConfigMap or
 * Secret in the same rendering; one made elsewhere, such as a Strimzi user Secret, adds nothing known).
 */
final class ConfigCoverage {

    static final Pattern LOOPBACK = Pattern.compile("127\\.0\\.0\\.1|\\blocalhost\\b|\\[::1]");
    static final List<String> SERVICES = List.of("gateway", "scoring-service", "dataset-service", "trainer-service");
    /** Names a pod or the JVM always defines. */
    static final Pattern ALWAYS_SET = Pattern.compile("java\\..*|user\\..*|os\\..*|file\\..*|line\\..*|HOSTNAME"
            + "|quarkus\\.uuid|quarkus\\.application\\.name");

    final Map<String, String> properties;

    ConfigCoverage(Map<String, String> properties) {
        this.properties = properties;
    }

    /** The service's configuration: @ConfigMapping defaults overridden by application.properties. */
    static ConfigCoverage of(String service) {
        Path module = Manifests.ROOT.resolve(service);
        Map<String, String> props = new LinkedHashMap<>(mappingDefaults(module.resolve("src/main/java")));
        try {
            props.putAll(properties(Files.readString(module.resolve("src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConfigCoverage(props);
    }

    /** Properties of the prod profile: plain keys, overridden by %prod. keys; other profiles dropped. */
    static Map<String, String> properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> prod = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                prod.put(key.substring("%prod.".length()), p.getProperty(key));
            } else if (!key.startsWith("%")) {
                plain.put(key, p.getProperty(key));
            }
        }
        plain.putAll(prod);
        return plain;
    }

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern DEFAULT = Pattern.compile(
            "@WithDefault\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)\\s*(?:@WithName\\(\"([^\"]+)\"\\)\\s*)?[\\w<>?,. ]+\\s+(\\w+)\\(\\)");

    /** prefix.kebab-name -> default of each @WithDefault method directly in a @ConfigMapping interface. */
    static Map<String, String> mappingDefaults(Path sources) {
        Map<String, String> defaults = new LinkedHashMap<>();
        if (!Files.isDirectory(sources)) {
            return defaults;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                mappingDefaults(Files.readString(f), defaults);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    /** Adds the defaults of a source file's @ConfigMapping interface, if it has one. */
    static void mappingDefaults(String src, Map<String, String> defaults) {
        Matcher m = MAPPING.matcher(mask(src));
        if (m.find()) {
            String body = src.substring(src.indexOf('{', m.end()) + 1);
            group(m.group(1), body.substring(0, closingBrace(mask(body), 0)), defaults);
        }
    }

    private static final Pattern NESTED = Pattern.compile("\\binterface\\s+(\\w+)[^{;]*\\{");
    private static final Pattern GROUP_METHOD = Pattern.compile(
            "(?:@WithName\\(\"([^\"]+)\"\\)\\s*)?(?<![\\w.<])(\\w+)\\s+(\\w+)\\(\\)\\s*;");

    /** The defaults of one mapping interface body, and of the nested interfaces its methods return (groups). */
    private static void group(String prefix, String body, Map<String, String> defaults) {
        String masked = mask(body);
        String top = topLevel(body, masked);
        Matcher d = DEFAULT.matcher(top);
        while (d.find()) {
            defaults.put(prefix + "." + (d.group(2) != null ? d.group(2) : kebab(d.group(3))),
                    d.group(1).replace("\\\"", "\""));
        }
        Map<String, String> nested = new LinkedHashMap<>();
        Matcher n = NESTED.matcher(masked);
        while (n.find()) {
            int end = closingBrace(masked, n.end());
            if (depth(masked, n.start()) == 0) {
                nested.put(n.group(1), body.substring(n.end(), end));
            }
        }
        Matcher g = GROUP_METHOD.matcher(top);
        while (g.find()) {
            if (nested.containsKey(g.group(2))) {
                group(prefix + "." + (g.group(1) != null ? g.group(1) : kebab(g.group(3))), nested.get(g.group(2)),
                        defaults);
            }
        }
    }

    /** The index of the brace closing the block that starts before {@code from}. */
    private static int closingBrace(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                depth++;
            } else if (s.charAt(i) == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return s.length();
    }

    private static int depth(String s, int at) {
        int depth = 0;
        for (int i = 0; i < at; i++) {
            depth += s.charAt(i) == '{' ? 1 : s.charAt(i) == '}' ? -1 : 0;
        }
        return depth;
    }

    /** The text at brace depth 0 of an interface body (nested interfaces and default methods left out). */
    private static String topLevel(String body, String masked) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0) {
                b.append(c == ' ' ? ' ' : body.charAt(i));
            }
        }
        return b.toString();
    }

    /** The source with comments blanked and the braces in string literals replaced (same length, same offsets). */
    static String mask(String src) {
        StringBuilder b = new StringBuilder(src);
        int i = 0;
        while (i < src.length()) {
            if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                end = end < 0 ? src.length() : end;
                for (int j = i; j < end; j++) {
                    b.setCharAt(j, ' ');
                }
                i = end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? src.length() : end + 2;
                for (int j = i; j < end; j++) {
                    b.setCharAt(j, src.charAt(j) == '\n' ? '\n' : ' ');
                }
                i = end;
            } else if (src.charAt(i) == '"') {
                int j = i + 1;
                while (j < src.length() && src.charAt(j) != '"') {
                    if (src.charAt(j) == '\\') {
                        j++;
                    } else if (src.charAt(j) == '{' || src.charAt(j) == '}') {
                        b.setCharAt(j, '_');
                    }
                    j++;
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return b.toString();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment variable MicroProfile Config reads a property from. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** One line per property the environment leaves pointing at loopback or at an unset variable. */
    List<String> problems(Set<String> env) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            Set<String> wanted = new LinkedHashSet<>();
            if (!satisfied(e.getKey(), env, new HashSet<>(), wanted)) {
                problems.add(e.getKey() + "=" + e.getValue() + " (set one of " + wanted + ")");
            }
        }
        return problems;
    }

    private boolean satisfied(String key, Set<String> env, Set<String> visiting, Set<String> wanted) {
        String envName = envName(key);
        wanted.add(envName);
        if (env.contains(envName) || env.contains(key)) {
            return true;
        }
        if (!visiting.add(key)) {
            return false;
        }
        try {
            return valueOk(properties.get(key), env, visiting, wanted);
        } finally {
            visiting.remove(key);
        }
    }

    private boolean valueOk(String value, Set<String> env, Set<String> visiting, Set<String> wanted) {
        if (value == null) {
            return true;
        }
        int i = 0;
        boolean ok = true;
        StringBuilder literal = new StringBuilder();
        while (i < value.length()) {
            if (value.startsWith("${", i)) {
                int end = closing(value, i + 2);
                if (end < 0) {
                    literal.append(value.substring(i));
                    break;
                }
                ok &= expressionOk(value.substring(i + 2, end), env, visiting, wanted);
                i = end + 1;
            } else {
                literal.append(value.charAt(i++));
            }
        }
        return ok && !LOOPBACK.matcher(literal).find();
    }

    private boolean expressionOk(String expression, Set<String> env, Set<String> visiting, Set<String> wanted) {
        int colon = depthZeroColon(expression);
        String name = colon < 0 ? expression : expression.substring(0, colon);
        String fallback = colon < 0 ? null : expression.substring(colon + 1);
        boolean set;
        if (ALWAYS_SET.matcher(name).matches()) {
            set = true;
        } else if (properties.containsKey(name)) {
            set = satisfiedOrDefined(name, env, visiting, wanted);
        } else {
            wanted.add(name);
            set = env.contains(name) || env.contains(envName(name));
        }
        if (set) {
            return true;
        }
        return fallback != null && valueOk(fallback, env, visiting, wanted);
    }

    /** A property referred to by an expression: defined, so it resolves; to something usable only if satisfied. */
    private boolean satisfiedOrDefined(String key, Set<String> env, Set<String> visiting, Set<String> wanted) {
        return satisfied(key, env, visiting, wanted);
    }

    private static int closing(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            if (s.startsWith("${", i)) {
                depth++;
                i++;
            } else if (s.charAt(i) == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    private static int depthZeroColon(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("${", i)) {
                depth++;
                i++;
            } else if (s.charAt(i) == '}') {
                depth--;
            } else if (s.charAt(i) == ':' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The variables a Deployment's container (the one named like the Deployment, else the first) receives. */
    static Set<String> environment(JsonNode deployment, List<JsonNode> rendering, List<String> notes) {
        Set<String> env = new LinkedHashSet<>();
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        JsonNode container = containers.path(0);
        for (JsonNode c : containers) {
            if (c.path("name").asText().equals(deployment.path("metadata").path("name").asText())) {
                container = c;
            }
        }
        for (JsonNode e : container.path("env")) {
            JsonNode from = e.path("valueFrom");
            boolean optionalRef = from.path("secretKeyRef").path("optional").asBoolean(false)
                    || from.path("configMapKeyRef").path("optional").asBoolean(false);
            if ((e.has("value") || from.isObject()) && !optionalRef) {
                env.add(e.path("name").asText());
            }
        }
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            String kind = from.has("configMapRef") ? "ConfigMap" : "Secret";
            String name = from.path(from.has("configMapRef") ? "configMapRef" : "secretRef").path("name").asText();
            JsonNode source = null;
            for (JsonNode o : rendering) {
                if (o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name)) {
                    source = o;
                }
            }
            if (source == null) {
                notes.add("envFrom " + kind + " " + name + " is not in the rendering: its keys count for nothing");
                continue;
            }
            for (String field : List.of("data", "binaryData", "stringData")) {
                source.path(field).fieldNames().forEachRemaining(k -> env.add(prefix + k));
            }
        }
        return env;
    }

    static JsonNode deployment(List<JsonNode> rendering, String name) {
        for (JsonNode o : rendering) {
            if (o.path("kind").asText().equals("Deployment") && o.path("metadata").path("name").asText().equals(name)) {
                return o;
            }
        }
        return null;
    }
}
