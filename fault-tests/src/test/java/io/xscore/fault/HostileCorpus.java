package io.xscore.fault;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small hostile-input corpus against every endpoint of the four services (this module's own: the shared
 * {@code io.xscore.testsupport.HostileRequests} loader did not exist when this was written). Path traversal and
 * injection in ids and query parameters, malformed and oversized bodies, wrong types and ranges, odd headers and
 * methods. What counts (see {@link #leaks}): no 5xx, no Java class names, stack frames, server paths or internal
 * URLs in an answer (after removing what the request itself said), and a refused request stores nothing.
 */
final class HostileCorpus {

    /**
     * @param mustRefuse a request built to be invalid: a 2xx answer to it is a finding (something may be stored)
     */
    record Request(String service, String method, String target, Map<String, String> headers, byte[] body,
                   String what, boolean mustRefuse) {

        String describe() {
            return service + " " + method + " " + Platform.abbreviate(target, 160) + " [" + what + "]";
        }
    }

    /**
     * The shared corpus ({@code io.xscore.testsupport.HostileRequests.forService(service, variables)}), read by
     * reflection so that this module builds with or without it; empty when it is not on the class path. Its
     * {@code CLIENT_ERROR} cases must be refused (4xx), its {@code NOT_SERVER_ERROR} cases must not fail (below 500).
     */
    @SuppressWarnings("unchecked")
    static List<Request> shared(Map<String, String> variables) {
        Class<?> corpus;
        try {
            corpus = Class.forName("io.xscore.testsupport.HostileRequests");
        } catch (ClassNotFoundException e) {
            return List.of();
        }
        List<Request> out = new ArrayList<>();
        try {
            java.lang.reflect.Method forService = corpus.getMethod("forService", String.class, Map.class);
            for (String service : LocalStack.SERVICES) {
                for (Object r : (List<Object>) forService.invoke(null, service, variables)) {
                    Class<?> type = r.getClass();
                    String expect = String.valueOf(type.getMethod("expect").invoke(r));
                    byte[] body = (byte[]) type.getMethod("body").invoke(r);
                    out.add(new Request(service, (String) type.getMethod("method").invoke(r),
                            (String) type.getMethod("target").invoke(r),
                            (Map<String, String>) type.getMethod("headers").invoke(r),
                            body == null || body.length == 0 ? null : body,
                            "shared: " + type.getMethod("name").invoke(r), expect.equals("CLIENT_ERROR")));
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("io.xscore.testsupport.HostileRequests has an unexpected shape: " + e, e);
        }
        return out;
    }

    /** Ids and segments in their raw form as they appear on the request line (percent-encoding included). */
    static final List<String> HOSTILE_SEGMENTS = List.of(
            "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "..%252f..%252fetc%252fpasswd",
            "....%2F%2F....%2F%2Fetc%2Fpasswd",
            "%00",
            "abc%00def",
            "%0d%0aSet-Cookie:%20x=y",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "%27%20OR%20%271%27%3D%271",
            "%7B%22%24gt%22%3A%22%22%7D",
            "%24where",
            "%24%7Bjndi%3Aldap%3A%2F%2F127.0.0.1%2Fa%7D",
            "%7B%7B7*7%7D%7D",
            "%ff%fe%fd",
            "%c0%af",
            "%e2%80%ae",
            "%F0%9F%92%A5",
            "%",
            "%zz",
            "null",
            "-1",
            "99999999999999999999999999",
            "0123456789abcdef0123456789abcdef%0A",
            "0123456789ABCDEF0123456789ABCDEF",
            "a".repeat(5000),
            "con",
            ".",
            "..");

    static List<Request> build(String existingEvaluation, String existingJob, String shardName) {
        List<Request> out = new ArrayList<>();
        Map<String, String> json = Map.of("Content-Type", "application/json");

        // ---- ids in paths, on every endpoint that takes one
        for (String s : HOSTILE_SEGMENTS) {
            out.add(get("gateway", "/api/v1/evaluations/" + s, "evaluation id"));
            out.add(get("gateway", "/api/v1/evaluations/" + s + "/events", "events of evaluation id"));
            out.add(new Request("gateway", "POST", "/api/v1/evaluations/" + s + "/cancel", json,
                    bytes("{\"reason\":\"x\"}"), "cancel evaluation id", true));
            out.add(get("gateway", "/api/v1/scores/" + s, "scores of model (proxied)"));
            out.add(get("scoring-service", "/api/v1/results/" + s, "result of job id"));
            out.add(get("scoring-service", "/api/v1/evaluations/" + s + "/scores", "score set of evaluation id"));
            out.add(get("scoring-service", "/api/v1/scores/" + s, "scores of model"));
            out.add(get("dataset-service", "/api/v1/datasets/" + s, "dataset id"));
            out.add(get("dataset-service", "/api/v1/datasets/" + s + "/status", "dataset status"));
            out.add(new Request("dataset-service", "POST", "/api/v1/datasets/" + s + "/prepare", Map.of(), null,
                    "prepare dataset id", true));
            out.add(new Request("dataset-service", "POST", "/api/v1/datasets/" + s + "/download", Map.of(), null,
                    "download dataset id", true));
            out.add(get("dataset-service", "/api/v1/datasets/" + s + "/download", "download status"));
            out.add(get("dataset-service", "/api/v1/datasets/" + s + "/splits/train/manifest", "manifest dataset"));
            out.add(get("dataset-service", "/api/v1/datasets/synthetic-shapes/splits/" + s + "/manifest",
                    "manifest split"));
            out.add(get("dataset-service", "/api/v1/datasets/synthetic-shapes/splits/train/shards/" + s, "shard name"));
            out.add(get("dataset-service", "/api/v1/datasets/synthetic-shapes/augmented/" + s, "augmentation key"));
            out.add(get("dataset-service", "/api/v1/datasets/synthetic-shapes/augmented/" + s + "/epochs/0/manifest",
                    "augmented manifest key"));
            out.add(get("dataset-service", "/api/v1/datasets/synthetic-shapes/augmented/0000/epochs/" + s
                    + "/shards/x", "augmented epoch"));
            out.add(get("trainer-service", "/api/v1/models/" + s, "model (no such endpoint)"));
        }

        // ---- query parameters
        for (String v : List.of("-1", "0", "201", "abc", "1e309", "99999999999999999999", "%00", "", "NaN",
                "%27%20OR%201%3D1")) {
            out.add(get("gateway", "/api/v1/evaluations?limit=" + v, "limit"));
        }
        for (String svc : List.of("gateway", "scoring-service")) {
            for (String v : List.of("NaN", "-1", "1e309", "Infinity", "-0", "abc", "", "%00", "0x10")) {
                out.add(get(svc, "/api/v1/leaderboard?lambda=" + v, "lambda"));
            }
            for (String v : List.of("..%2F..%2Fetc", "cifar10,cifar10", "a".repeat(5000), "%00", ",,,", "cifar10,")) {
                out.add(get(svc, "/api/v1/leaderboard?datasets=" + v, "datasets"));
            }
            for (String v : List.of("..%2F", "%7B%22%24ne%22%3Anull%7D", "paper-v1%0A", "a".repeat(3000))) {
                out.add(get(svc, "/api/v1/leaderboard?protocol=" + v, "protocol"));
            }
            for (String v : List.of("0", "-1", "8", "99999999", "abc", "2147483648", "")) {
                out.add(get(svc, "/api/v1/proxy-subsets?k=" + v, "k"));
            }
        }
        for (String v : List.of("NaN", "-5", "abc", "1e999")) {
            out.add(get("scoring-service", "/api/v1/diagnostics?lambda=" + v, "diagnostics lambda"));
        }
        for (String v : List.of("%7B%22%24gt%22%3A%22%22%7D", "..%2F..%2F", "a".repeat(4000), "%00", "")) {
            out.add(get("scoring-service", "/api/v1/results?evaluationId=" + v, "results evaluationId"));
            out.add(get("scoring-service", "/api/v1/results?model=" + v + "&dataset=" + v + "&protocol=" + v,
                    "results model/dataset/protocol"));
        }
        out.add(get("scoring-service", "/api/v1/results", "results without a filter"));
        out.add(get("trainer-service", "/api/v1/trainer/status?x=%00", "status with junk query"));
        out.add(get("trainer-service", "/api/v1/models?family=..%2F..%2F", "models with junk query"));
        out.add(get("trainer-service", "/api/v1/models/elements?format=%ff", "elements with junk query"));
        out.add(get("gateway", "/api/v1/catalog?x=" + "%41".repeat(3000), "catalog with long query"));
        out.add(get("dataset-service", "/api/v1/datasets?x=%00%ff", "dataset list with junk query"));

        // ---- evaluation submission bodies (each invalid in content, whatever the content type)
        List<String> submissions = new ArrayList<>(List.of(
                "", "null", "[]", "\"a string\"", "1e999999", "{", "{\"models\":", "{}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\"} trailing",
                "{\"models\":[{\"$gt\":\"\"}],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\"}",
                "{\"models\":[\"../../etc/passwd\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"/etc/passwd\"],\"seeds\":[0],\"protocol\":\"quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[-1],\"protocol\":\"quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[1e30],\"protocol\":\"quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[\"0\"],\"protocol\":\"quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"../quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"paper-v1\",\"overrides\":{\"epochs\":1}}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"overrides\":{\"epochs\":0}}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"overrides\":{\"epochs\":2147483648}}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"overrides\":{\"resolution\":100000}}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"overrides\":{\"__proto__\":1}}",
                "{\"models\":[\"convmixer-100000-100000\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"evaluationId\":\"../../x\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"evaluationId\":\"ok\\n\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"evaluationId\":\"" + "a".repeat(81) + "\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"evaluationId\":{\"$ne\":null}}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\",\"unknown\":true}",
                "{\"models\":[\"convmixer-16-1\"],\"models\":[\"x\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\"}",
                "{\"models\":null,\"datasets\":null,\"seeds\":null,\"protocol\":null}",
                "{\"models\":[\"" + "m".repeat(20000) + "\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[0],\"protocol\":\"quick\"}",
                "{\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[" + "0,".repeat(3000) + "0],\"protocol\":\"quick\"}",
                "[".repeat(20000) + "]".repeat(20000),
                "{\"a\":".repeat(5000) + "1" + "}".repeat(5000),
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
        for (String body : submissions) {
            out.add(new Request("gateway", "POST", "/api/v1/evaluations", json, bytes(body),
                    "submission " + Platform.abbreviate(body, 60), true));
        }
        byte[] invalidUtf8 = {'{', '"', 'm', 'o', 'd', 'e', 'l', 's', '"', ':', '[', '"', (byte) 0xC3, (byte) 0x28,
            (byte) 0xFF, '"', ']', '}'};
        out.add(new Request("gateway", "POST", "/api/v1/evaluations", json, invalidUtf8, "invalid UTF-8", true));
        byte[] bom = ("\uFEFF{\"models\":[\"x\"]}").getBytes(StandardCharsets.UTF_8);
        out.add(new Request("gateway", "POST", "/api/v1/evaluations", json, bom, "BOM + invalid request", true));
        out.add(new Request("gateway", "POST", "/api/v1/evaluations", json,
                bytes("{\"models\":[\"" + "x".repeat(70 * 1024) + "\"]}"), "70 KiB body", true));
        out.add(new Request("gateway", "POST", "/api/v1/evaluations", Map.of("Content-Type", "text/plain"),
                bytes("models=convmixer"), "text/plain body", true));
        out.add(new Request("gateway", "POST", "/api/v1/evaluations", Map.of("Content-Type", "application/xml"),
                bytes("<evaluation/>"), "XML body", true));
        out.add(new Request("gateway", "POST", "/api/v1/evaluations", Map.of(), bytes("{}"), "no content type", true));
        out.add(new Request("gateway", "POST", "/api/v1/evaluations",
                Map.of("Content-Type", "application/json; charset=ebcdic"), bytes("{}"), "unknown charset", true));

        // ---- cancellation bodies against a finished evaluation (must stay uncancelled: 409 or 400)
        for (String body : List.of("{\"reason\":\"" + "r".repeat(5000) + "\"}", "{\"reason\":{\"$set\":1}}", "{",
                "[1,2]", "\"x\"", "{\"reason\":\"" + "r".repeat(600) + "\"}")) {
            out.add(new Request("gateway", "POST", "/api/v1/evaluations/" + existingEvaluation + "/cancel", json,
                    bytes(body), "cancel finished evaluation, body " + Platform.abbreviate(body, 40), true));
        }

        // ---- the stateless xScore calculator on both services
        List<String> xscoreBodies = List.of("", "{", "null", "[]",
                "{\"lambda\":\"abc\",\"anchors\":\"recompute\",\"accuracies\":{}}",
                "{\"lambda\":-1,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":1},\"b\":{\"cifar10\":2}}}",
                "{\"lambda\":1e309,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":1},\"b\":{\"cifar10\":2}}}",
                "{\"lambda\":0.5,\"anchors\":\"../../etc\",\"accuracies\":{\"a\":{\"cifar10\":1}}}",
                "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":\"NaN\"},\"b\":{\"cifar10\":2}}}",
                "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":1e308},\"b\":{\"cifar10\":2}}}",
                "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":50},\"b\":{\"cifar10\":50}}}",
                "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"../x\":50},\"b\":{\"../x\":60}}}",
                "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":50},\"a\":{\"cifar10\":60}}}",
                "{\"lambda\":0.5,\"anchors\":\"reference\",\"accuracies\":{\"a\":null}}",
                "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":" + manyModels(3000) + "}",
                "{\"a\":".repeat(5000) + "1" + "}".repeat(5000));
        for (String svc : List.of("gateway", "scoring-service")) {
            for (String body : xscoreBodies) {
                out.add(new Request(svc, "POST", "/api/v1/xscore", json, bytes(body),
                        "xscore " + Platform.abbreviate(body, 60), true));
            }
        }

        // ---- dataset registration (path traversal), augmentation requests, ranges
        for (String path : List.of("/etc", "/", "../../../../etc", "/proc/self/environ", "/usr/share/datasets/../../etc",
                "~/../../etc", "\\\\server\\share", "file:///etc/passwd", "/dev/zero", "", "a".repeat(5000))) {
            out.add(new Request("dataset-service", "POST", "/api/v1/datasets/cifar10/register", json,
                    bytes("{\"path\":\"" + path.replace("\\", "\\\\") + "\"}"), "register " + Platform.abbreviate(path, 40),
                    true));
        }
        for (String body : List.of("", "{", "{\"path\":null}", "{\"path\":{\"$ne\":1}}", "{\"path\":[\"/etc\"]}")) {
            out.add(new Request("dataset-service", "POST", "/api/v1/datasets/cifar10/register", json, bytes(body),
                    "register body " + body, true));
        }
        for (String body : List.of("", "{",
                "{\"split\":\"../../etc\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":0,\"epochs\":[0]}",
                "{\"split\":\"train\",\"augmentation\":\"../x\",\"resolution\":32,\"seed\":0,\"epochs\":[0]}",
                "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":100000,\"seed\":0,\"epochs\":[0]}",
                "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":-32,\"seed\":0,\"epochs\":[0]}",
                "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":-1,\"epochs\":[0]}",
                "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":0,\"epochs\":[-1]}",
                "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":0,\"epochs\":[2147483647]}",
                "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":0,\"epochs\":[" + "1,".repeat(5000) + "1]}",
                "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":0,\"epochs\":\"all\"}")) {
            out.add(new Request("dataset-service", "POST", "/api/v1/datasets/synthetic-shapes/augmented", json,
                    bytes(body), "augmented " + Platform.abbreviate(body, 60), true));
        }
        out.add(new Request("dataset-service", "POST", "/api/v1/datasets/..%2F..%2Fetc/augmented", json,
                bytes("{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":0,\"epochs\":[0]}"),
                "augmented on a hostile dataset id", true));
        if (shardName != null) {
            for (String range : List.of("bytes=-1", "bytes=999999999999-", "bytes=5-1", "bytes=abc", "items=0-1",
                    "bytes=0-0," + "1-1,".repeat(500) + "2-2", "bytes=-99999999999999999999", "bytes=0-")) {
                out.add(new Request("dataset-service", "GET", "/api/v1/datasets/synthetic-shapes/splits/train/shards/"
                        + shardName, Map.of("Range", range), null, "Range " + Platform.abbreviate(range, 40), false));
            }
        }

        // ---- methods and headers
        for (String svc : LocalStack.SERVICES) {
            for (String method : List.of("DELETE", "PUT", "PATCH", "OPTIONS")) {
                out.add(new Request(svc, method, "/api/v1/evaluations/" + existingEvaluation, json, bytes("{}"),
                        method + " on a resource", false));
            }
            out.add(new Request(svc, "GET", "/q/health", Map.of("X-Forwarded-Host", "evil.example",
                    "X-Forwarded-Proto", "gopher"), null, "forwarded headers", false));
            out.add(new Request(svc, "GET", "/api/v1/../../../../etc/passwd", Map.of(), null, "dot segments", false));
            out.add(new Request(svc, "GET", "/api/v1/%2e%2e/%2e%2e/q/metrics", Map.of(), null, "encoded dots", false));
            out.add(new Request(svc, "GET", "/" + "x/".repeat(3000), Map.of(), null, "deep path", false));
            out.add(new Request(svc, "GET", "/api/v1/catalog", Map.of("Accept", "application/xml"), null,
                    "unsupported Accept", false));
            out.add(new Request(svc, "GET", "/api/v1/catalog", Map.of("X-Big", "b".repeat(20_000)), null,
                    "20 KB header", false));
            out.add(new Request(svc, "POST", "/api/v1/evaluations", Map.of("Content-Type", "application/json",
                    "Content-Encoding", "gzip"), bytes("not gzip"), "bogus gzip body", svc.equals("gateway")));
        }
        if (existingJob != null) {
            out.add(get("scoring-service", "/api/v1/results/" + existingJob + "%0A", "job id + newline"));
            out.add(get("scoring-service", "/api/v1/results/" + existingJob.toUpperCase(), "upper-case job id"));
        }
        return out;
    }

    private static String manyModels(int n) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":{\"cifar10\":").append(i % 100)
                    .append(",\"ham10000\":").append((i * 7) % 100).append('}');
        }
        return sb.append('}').toString();
    }

    private static Request get(String service, String target, String what) {
        return new Request(service, "GET", target, Map.of(), null, what, false);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ what an answer must not say

    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:java|javax|jakarta|sun|jdk|io\\.xscore|io\\.quarkus|"
            + "io\\.vertx|io\\.smallrye|io\\.netty|org\\.jboss|org\\.bson|org\\.apache|org\\.eclipse|com\\.fasterxml|"
            + "com\\.networknt|com\\.mongodb|ai\\.djl|de\\.bwaldvogel)\\.[a-zA-Z_$][\\w$]*");
    private static final Pattern EXCEPTION = Pattern.compile("\\b\\w+(?:Exception|Error)\\b");
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$.]+\\([\\w$]+\\.java:\\d+\\)");
    private static final Pattern SERVER_PATH = Pattern.compile("(?<![\\w.%])/(?:usr|etc|tmp|root|home|work|var|opt|"
            + "proc|dev|srv|mnt|lib|bin)/");
    private static final Pattern INTERNAL_URL = Pattern.compile("127\\.0\\.0\\.1|localhost:\\d+|mongodb://|"
            + "PLAINTEXT://|bootstrap\\.servers");

    /** What the answer leaks, with the request's own words (decoded path, query, JSON strings) removed first. */
    static List<String> leaks(Request request, String answer, List<String> internalStrings) {
        return leaks(request, answer, internalStrings, null);
    }

    /** As above; {@code signature} (if given, empty) receives the first leak's token and the words after it. */
    static List<String> leaks(Request request, String answer, List<String> internalStrings, StringBuilder signature) {
        String text = answer;
        for (String echo : echoes(request)) {
            if (echo.length() >= 2) {
                text = text.replace(echo, " ");
            }
        }
        List<String> found = new ArrayList<>();
        for (Pattern p : List.of(CLASS_NAME, STACK_FRAME, SERVER_PATH, INTERNAL_URL, EXCEPTION)) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                int from = Math.max(0, m.start() - 60);
                found.add("'" + m.group() + "' in …" + text.substring(from, Math.min(text.length(), m.end() + 60))
                        .replace('\n', ' ') + "…");
                if (signature != null && signature.isEmpty()) {
                    signature.append(m.group()).append(" ").append(text.substring(m.end(),
                            Math.min(text.length(), m.end() + 40)).replaceAll("\\d+", "<n>"));
                }
            }
        }
        for (String internal : internalStrings) {
            if (text.contains(internal)) {
                found.add("internal '" + internal + "'");
            }
        }
        return found;
    }

    private static List<String> echoes(Request r) {
        List<String> out = new ArrayList<>();
        out.add(r.target());
        String decoded = decode(r.target());
        out.add(decoded);
        for (String part : r.target().split("[/?&=]")) {
            out.add(part);
            out.add(decode(part));
            out.add(decode(decode(part)));
        }
        for (String part : decoded.split("[/?&=,]")) {
            out.add(part);
        }
        if (r.body() != null) {
            String body = new String(r.body(), StandardCharsets.UTF_8);
            out.add(body);
            for (String value : jsonStrings(body)) {
                out.add(value);
                out.add(value.replace("\\\\", "\\").replace("\\n", "\n"));
            }
        }
        out.sort((a, b) -> b.length() - a.length()); // longest first, so a part never breaks a longer echo
        return out;
    }

    /** The raw contents of every double-quoted string in the text (no regex: bodies can be 70 KiB long). */
    static List<String> jsonStrings(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf('"', i);
            if (start < 0) {
                break;
            }
            int j = start + 1;
            while (j < text.length() && text.charAt(j) != '"') {
                j += text.charAt(j) == '\\' ? 2 : 1;
            }
            out.add(text.substring(start + 1, Math.min(j, text.length())));
            i = j + 1;
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return s;
        }
    }

    /**
     * The request's headers, with an admin's token when it sends none: the corpus tests what lies behind the token
     * check (which the services' AuthTests cover), so its requests must get past it.
     */
    static Map<String, String> headersOf(Request r) {
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        if (headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            headers.put("Authorization", Http.authorization());
        }
        return headers;
    }
}
