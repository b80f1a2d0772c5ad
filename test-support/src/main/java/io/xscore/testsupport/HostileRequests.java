package io.xscore.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile-request corpus ({@code io/xscore/testsupport/hostile/}, described in its README) expanded into the
 * requests to send to one service: plain data, no Quarkus, so that the same requests can be replayed in process by
 * each service's {@code *HostileInputTest} and against the running processes by a fault suite. Send them with
 * {@link RawHttp} (it writes the request target exactly as given) and judge the answers with {@link HostileChecks}.
 * <p>
 * For each endpoint of the service: every hostile segment in each path parameter (the other parameters benign), every
 * hostile body and the endpoint's own bodies (if it takes a body; otherwise the bodies marked {@code everywhere}), bad
 * values of each query parameter it reads, every other known query parameter as an unknown one, and every method the
 * path does not have. Then the service-independent paths ({@code paths.json}).
 */
public final class HostileRequests {

    private static final String BASE = "/io/xscore/testsupport/hostile/";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The status class a hostile request must get. */
    public enum Expect {
        /** 4xx: the request must be refused. */
        CLIENT_ERROR,
        /** Anything below 500: the request may be harmless (an unknown query parameter is ignored, say). */
        NOT_SERVER_ERROR;

        public boolean accepts(int status) {
            return this == CLIENT_ERROR ? status >= 400 && status < 500 : status > 0 && status < 500;
        }
    }

    /**
     * One request as it goes on the wire.
     *
     * @param name    what it tries, e.g. {@code POST /api/v1/evaluations body trailing-garbage}
     * @param target  the request target (path and query), already percent-encoded, sent as is
     * @param headers request headers besides Host, Content-Length and Connection
     * @param body    the body bytes, empty for none
     * @param refusedByCodec the HTTP codec refuses it before any application code runs (an invalid escape in the
     *                path, a request line over 4 KiB): its 4xx has no body at all rather than a problem
     */
    public record HostileRequest(String name, String method, String target, Map<String, String> headers, byte[] body,
                                 Expect expect, boolean refusedByCodec) {

        public HostileRequest(String name, String method, String target, Map<String, String> headers, byte[] body,
                Expect expect) {
            this(name, method, target, headers, body, expect, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private HostileRequests() {
    }

    /** The requests for {@code service} (gateway, scoring-service, dataset-service, trainer-service). */
    /**
     * The same requests, each carrying {@code Authorization: <authorization>} (one that sets its own keeps it): with
     * authentication on, a hostile request must get past the token check to test the validation behind it.
     */
    public static List<HostileRequest> withAuthorization(List<HostileRequest> requests, String authorization) {
        List<HostileRequest> out = new ArrayList<>(requests.size());
        for (HostileRequest r : requests) {
            Map<String, String> headers = new LinkedHashMap<>(r.headers());
            if (headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
                headers.put("Authorization", authorization);
            }
            out.add(new HostileRequest(r.name(), r.method(), r.target(), headers, r.body(), r.expect(),
                    r.refusedByCodec()));
        }
        return out;
    }

    public static List<HostileRequest> forService(String service) {
        return forService(service, Map.of());
    }

    /**
     * The requests for {@code service}; {@code variables} fill {@code ${name}} in paths and bodies (cases that need a
     * variable not given are left out).
     */
    public static List<HostileRequest> forService(String service, Map<String, String> variables) {
        JsonNode endpoints = read("endpoints/" + service + ".json").get("endpoints");
        JsonNode bodies = read("bodies.json").get("bodies");
        JsonNode segments = read("segments.json").get("segments");
        JsonNode parameters = read("queries.json").get("parameters");
        List<HostileRequest> out = new ArrayList<>();
        Map<String, Set<String>> methodsByPath = new LinkedHashMap<>();
        for (JsonNode endpoint : endpoints) {
            methodsByPath.computeIfAbsent(text(endpoint, "path"), p -> new LinkedHashSet<>())
                    .add(text(endpoint, "method"));
        }
        for (JsonNode endpoint : endpoints) {
            expand(endpoint, bodies, segments, parameters, variables, out);
        }
        for (var entry : methodsByPath.entrySet()) {
            String path = benignPath(endpointFor(endpoints, entry.getKey()));
            for (String method : METHODS) {
                if (!entry.getValue().contains(method)) {
                    out.add(new HostileRequest(method + " " + entry.getKey() + " (method not allowed)", method, path,
                            Map.of(), new byte[0], Expect.CLIENT_ERROR));
                }
            }
        }
        for (JsonNode path : read("paths.json").get("paths")) {
            out.add(new HostileRequest("GET " + text(path, "name"), "GET", new String(content(path, Map.of()),
                    StandardCharsets.UTF_8), Map.of(), new byte[0], expect(path, Expect.CLIENT_ERROR),
                    path.path("codec").asBoolean(false)));
        }
        return out;
    }

    private static void expand(JsonNode endpoint, JsonNode bodies, JsonNode segments, JsonNode parameters,
            Map<String, String> variables, List<HostileRequest> out) {
        String method = text(endpoint, "method");
        String template = text(endpoint, "path");
        String label = method + " " + template;
        boolean takesBody = endpoint.has("body");
        Map<String, String> headers = new LinkedHashMap<>();
        endpoint.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        boolean proxied = endpoint.path("proxied").asBoolean(false);
        Expect segmentExpect = proxied ? Expect.NOT_SERVER_ERROR
                : Expect.valueOf(endpoint.path("segmentExpect").asText("CLIENT_ERROR"));
        String benign = benignPath(endpoint);

        // hostile path parameters, one at a time, with the endpoint's benign body if it has one (so that a check of
        // the body does not hide the check of the parameter)
        byte[] segmentBody = new byte[0];
        Map<String, String> segmentHeaders = headers;
        if (endpoint.has("segmentBody") && hasVariables(endpoint.get("segmentBody"), variables)) {
            segmentBody = content(endpoint.get("segmentBody"), variables);
            segmentHeaders = new LinkedHashMap<>(headers);
            segmentHeaders.put("Content-Type", "application/json");
        }
        Matcher placeholders = Pattern.compile("\\{([A-Za-z]+)}").matcher(template);
        while (placeholders.find()) {
            String parameter = placeholders.group(1);
            for (JsonNode segment : segments) {
                String value = new String(content(segment, Map.of()), StandardCharsets.UTF_8);
                String target = fill(template, endpoint.path("params"), parameter, value);
                Expect expect = expect(segment, segmentExpect) == Expect.NOT_SERVER_ERROR
                        ? Expect.NOT_SERVER_ERROR : segmentExpect;
                out.add(new HostileRequest(label + " {" + parameter + "}=" + text(segment, "name"), method, target,
                        segmentHeaders, segmentBody, expect, segment.path("codec").asBoolean(false)));
            }
        }

        // bodies: the common ones and the endpoint's own where it takes one, else those meant for every endpoint
        List<JsonNode> cases = new ArrayList<>();
        bodies.forEach(b -> {
            if (takesBody || b.path("everywhere").asBoolean(false)) {
                cases.add(b);
            }
        });
        endpoint.path("bodies").forEach(cases::add);
        for (JsonNode body : cases) {
            if (!hasVariables(body, variables)) {
                continue;
            }
            Map<String, String> bodyHeaders = new LinkedHashMap<>(headers);
            if (body.hasNonNull("contentType")) {
                bodyHeaders.put("Content-Type", text(body, "contentType"));
            }
            if (body.hasNonNull("transferEncoding")) {
                bodyHeaders.put("Transfer-Encoding", text(body, "transferEncoding"));
            }
            // Over the cap: refused wherever its declared length is checked (everywhere) or it is read (endpoints
            // taking a body); a chunked body declares no length, and an endpoint that takes none never reads it.
            boolean overCap = body.path("overCap").asBoolean(false) && (takesBody || !body.has("transferEncoding"));
            Expect expect = overCap ? Expect.CLIENT_ERROR
                    : !takesBody ? Expect.NOT_SERVER_ERROR
                    : proxied ? expect(body, Expect.NOT_SERVER_ERROR)
                    : expect(body, Expect.CLIENT_ERROR);
            out.add(new HostileRequest(label + " body " + text(body, "name"), method, benign, bodyHeaders,
                    content(body, variables), expect, body.path("codec").asBoolean(false)));
        }

        // query parameters: bad values of those it reads; all others as unknown parameters, which must be harmless
        JsonNode reads = endpoint.path("query");
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = parameters.fieldNames(); it.hasNext(); ) {
            String parameter = it.next();
            if (reads.has(parameter)) {
                Expect expect = Expect.valueOf(reads.get(parameter).asText());
                for (JsonNode value : parameters.get(parameter)) {
                    out.add(new HostileRequest(label + " ?" + parameter + "=" + value.asText(), method,
                            benign + "?" + parameter + "=" + value.asText(), headers, new byte[0], expect));
                }
            } else {
                unknown.add(parameter);
            }
        }
        int rounds = unknown.stream().mapToInt(p -> parameters.get(p).size()).max().orElse(0);
        for (int i = 0; i < rounds; i++) {
            StringBuilder query = new StringBuilder();
            for (String parameter : unknown) {
                JsonNode values = parameters.get(parameter);
                if (i < values.size()) {
                    query.append(query.isEmpty() ? "?" : "&").append(parameter).append('=')
                            .append(values.get(i).asText());
                }
            }
            query.append("&zz-unknown=%00%0A%2e%2e");
            out.add(new HostileRequest(label + " unknown parameters " + query, method, benign + query, headers,
                    new byte[0], Expect.NOT_SERVER_ERROR));
        }
    }

    private static String benignPath(JsonNode endpoint) {
        return fill(text(endpoint, "path"), endpoint.path("params"), null, null);
    }

    private static JsonNode endpointFor(JsonNode endpoints, String path) {
        for (JsonNode endpoint : endpoints) {
            if (text(endpoint, "path").equals(path)) {
                return endpoint;
            }
        }
        throw new IllegalArgumentException(path);
    }

    /** The template with {@code hostile} in {@code parameter} and every other parameter's benign value. */
    private static String fill(String template, JsonNode benign, String parameter, String hostile) {
        Matcher m = Pattern.compile("\\{([A-Za-z]+)}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.equals(parameter) ? hostile : benign.path(name).asText("x");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The bytes of a body, segment or path case: {@code text}, {@code hex} or {@code parts}, variables filled. */
    static byte[] content(JsonNode item, Map<String, String> variables) {
        if (item.has("hex")) {
            return HexFormat.of().parseHex(text(item, "hex"));
        }
        if (item.has("raw")) {
            return text(item, "raw").getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder();
        if (item.has("text")) {
            out.append(text(item, "text"));
        }
        for (JsonNode part : item.path("parts")) {
            if (part.has("text")) {
                out.append(text(part, "text"));
                continue;
            }
            String unit = text(part, "unit");
            String separator = part.path("separator").asText("");
            int times = part.get("times").asInt();
            for (int i = 0; i < times; i++) {
                if (i > 0) {
                    out.append(separator);
                }
                out.append(unit.contains("${i}") ? unit.replace("${i}", Integer.toString(i)) : unit);
            }
        }
        return substitute(out.toString(), variables).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean hasVariables(JsonNode body, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(body.toString());
        while (m.find()) {
            if (!m.group(1).equals("i") && !variables.containsKey(m.group(1))) {
                return false;
            }
        }
        return true;
    }

    private static String substitute(String text, Map<String, String> variables) {
        if (variables.isEmpty() || !text.contains("${")) {
            return text;
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            // a variable is a path: JSON-escape it, since it is put inside JSON strings
            String escaped = value == null ? m.group() : value.replace("\\", "\\\\").replace("\"", "\\\"");
            m.appendReplacement(out, Matcher.quoteReplacement(escaped));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Expect expect(JsonNode item, Expect fallback) {
        return item.has("expect") ? Expect.valueOf(text(item, "expect")) : fallback;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("corpus entry without \"" + field + "\": " + node);
        }
        return value.asText();
    }

    private static JsonNode read(String name) {
        try (InputStream in = HostileRequests.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + BASE + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
