package io.xscore.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xscore.testsupport.HostileRequests.HostileRequest;
import io.xscore.testsupport.RawHttp.Answer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an answer to a hostile request must satisfy, as a list of violations (empty when it is fine), so that a test
 * can report every failing request at once:
 * <ul>
 *   <li>the status is in the request's expected class (never 5xx, never no answer);</li>
 *   <li>a 4xx is {@code application/problem+json} with {@code status} (the HTTP status), {@code type} and
 *       {@code title}, unless the request is one the HTTP codec refuses before any application code runs and the
 *       answer has no body at all;</li>
 *   <li>no body names a Java class or package, an exception or a stack frame, or an internal address
 *       ({@code 127.0.0.1}, {@code localhost:}, {@code mongodb://}, ...);</li>
 *   <li>no error body names a server path ({@code /usr}, {@code /tmp}, {@code /root}, {@code /work}, ... and the
 *       directories the caller passes, such as a test's temporary directories);</li>
 *   <li>no answer sets a cookie (a CRLF in an id must not become a header).</li>
 * </ul>
 * What the request itself sent (its target, decoded, and every string of its JSON body) is taken out of the answer
 * before the leak checks: a caller may be told about the path or id it sent.
 */
public final class HostileChecks {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer slower than this is a violation too: a hostile request must not hold the service up. */
    static final long SLOW_MILLIS = 15_000;

    /**
     * System property naming a file to which {@link #replay} appends every request and its answer (status and the
     * first 500 characters of the body), for reading what the services actually say.
     */
    public static final String DUMP_PROPERTY = "xscore.hostile.dump";

    static final Pattern JAVA = Pattern.compile("\\b(java|javax|jakarta|sun|jdk)\\.[a-z]|com\\.fasterxml"
            + "|\\bio\\.(xscore|quarkus|vertx|netty|smallrye)\\b|\\borg\\.(jboss|apache|eclipse|hibernate|bson|mongodb)\\b"
            // bounded repetition: an answer may repeat a long run of word characters, and \\w+ would backtrack
            + "|\\b\\w{0,80}Exception\\b|\\b\\w{1,80}Error\\b|\\.java:\\d+|\\tat ");
    static final Pattern SERVER_PATH =
            Pattern.compile("(?<![\\w.~-])/(usr|tmp|root|work|home|etc|var|opt|proc|srv|mnt)(?![\\w-])");
    static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1|\\blocalhost:|0\\.0\\.0\\.0|\\[::1]|mongodb://"
            + "|PLAINTEXT://");
    static final Pattern PASSWD = Pattern.compile("root:x?:0:0:");

    private HostileChecks() {
    }

    /**
     * Sends every request to {@code host:port} (one connection each, {@code threads} at a time) and returns one line
     * per request that got a violating answer (or none): its name, the status and what is wrong.
     */
    public static List<String> replay(String host, int port, List<HostileRequest> requests, List<String> serverPaths,
            int threads) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            for (HostileRequest request : requests) {
                results.add(pool.submit(() -> {
                    Answer answer;
                    long start = System.nanoTime();
                    try {
                        answer = RawHttp.send(host, port, request);
                    } catch (java.io.IOException e) {
                        return request.name() + " -> no answer: " + e;
                    }
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    dump(request, answer);
                    List<String> violations = new ArrayList<>(violations(request, answer, serverPaths));
                    if (millis > SLOW_MILLIS) {
                        violations.add("took " + millis + " ms");
                    }
                    return violations.isEmpty() ? null
                            : request.name() + " -> " + answer.status() + ": " + String.join("; ", violations);
                }));
            }
            List<String> failures = new ArrayList<>();
            for (java.util.concurrent.Future<String> result : results) {
                String failure = result.get();
                if (failure != null) {
                    failures.add(failure);
                }
            }
            return failures;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The violations of {@code answer} to {@code request}; {@code serverPaths} are paths of the server that must not
     * appear in error bodies besides the usual system directories (e.g. a test's temporary directories).
     */
    public static List<String> violations(HostileRequest request, Answer answer, List<String> serverPaths) {
        List<String> out = new ArrayList<>();
        int status = answer.status();
        if (!request.expect().accepts(status)) {
            out.add("status " + status + ", expected " + request.expect());
        }
        if (answer.header("Set-Cookie") != null) {
            out.add("sets a cookie: " + answer.header("Set-Cookie"));
        }
        String contentType = answer.header("Content-Type");
        JsonNode body = null;
        if (answer.body().length > 0 && contentType != null && contentType.contains("json")) {
            try {
                body = JSON.readTree(answer.body());
            } catch (Exception e) {
                // checked as text below; only a problem body must be JSON
            }
        }
        boolean bodilessCodecRefusal = request.refusedByCodec() && answer.body().length == 0;
        if (status >= 400 && status < 500 && !bodilessCodecRefusal) {
            if (contentType == null || !contentType.startsWith("application/problem+json")) {
                out.add("4xx with content type " + contentType + ", not application/problem+json (headers "
                        + answer.headers() + ", body '" + cut(answer.bodyText()) + "')");
            } else if (body == null) {
                out.add("the problem body is not JSON: '" + cut(answer.bodyText()) + "'");
            } else {
                if (!body.path("status").isInt() || body.path("status").asInt() != status) {
                    out.add("problem status " + body.path("status") + " differs from the HTTP status " + status);
                }
                if (!body.path("type").isTextual() || !body.path("title").isTextual()) {
                    out.add("problem without type or title");
                }
            }
        }
        if (contentType != null && contentType.startsWith("application/octet-stream")) {
            return out;
        }
        List<String> texts = new ArrayList<>();
        if (body != null) {
            strings(body, texts);
        } else {
            texts.add(answer.bodyText());
        }
        List<String> sent = sentStrings(request);
        for (String text : texts) {
            String own = text;
            for (String s : sent) {
                own = own.replace(s, "");
            }
            find(JAVA, own, "a Java name", out);
            find(ADDRESS, own, "an internal address", out);
            find(PASSWD, own, "a password file", out);
            if (status >= 400) {
                find(SERVER_PATH, own, "a server path", out);
                for (String path : serverPaths) {
                    if (own.contains(path)) {
                        out.add("names the server path " + path + ": " + cut(own));
                    }
                }
            }
        }
        return out;
    }

    private static void dump(HostileRequest request, Answer answer) {
        String file = System.getProperty(DUMP_PROPERTY);
        if (file == null) {
            return;
        }
        String line = request.name() + "\n  -> " + answer.status() + " " + answer.header("Content-Type") + " "
                + cut(answer.bodyText().replace("\n", "\\n")) + "\n";
        synchronized (HostileChecks.class) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(file), line, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void find(Pattern pattern, String text, String what, List<String> out) {
        Matcher m = pattern.matcher(text);
        if (m.find()) {
            out.add("names " + what + " ('" + m.group() + "'): " + cut(text));
        }
    }

    private static String cut(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Every string value and field name of a JSON tree. */
    private static void strings(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.add(field.getKey());
                strings(field.getValue(), out);
            }
        } else if (node.isArray()) {
            node.forEach(element -> strings(element, out));
        }
    }

    /** What the request sent, in the forms an answer may repeat it; longest first, at least 4 characters. */
    static List<String> sentStrings(HostileRequest request) {
        Set<String> sent = new LinkedHashSet<>();
        String target = request.target();
        sent.add(target);
        String decoded = percentDecode(target);
        sent.add(decoded);
        int query = decoded.indexOf('?');
        String path = query < 0 ? decoded : decoded.substring(0, query);
        sent.add(path);
        String rawPath = target.indexOf('?') < 0 ? target : target.substring(0, target.indexOf('?'));
        for (String segment : rawPath.split("/")) {
            sent.add(percentDecode(segment));
        }
        sent.add(normalise(path));
        int rawQuery = target.indexOf('?');
        if (rawQuery >= 0) {
            for (String pair : target.substring(rawQuery + 1).split("&")) {
                int eq = pair.indexOf('=');
                sent.add(percentDecode(eq < 0 ? pair : pair.substring(eq + 1)));
            }
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        sent.add(body);
        try {
            List<String> values = new ArrayList<>();
            strings(JSON.readTree(request.body()), values);
            sent.addAll(values);
        } catch (Exception e) {
            // not JSON: the raw text is all there is
        }
        return sent.stream().filter(s -> s.length() >= 4).sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** {@code path} with its dot segments resolved, as a server normalises it (RFC 3986, 5.2.4). */
    static String normalise(String path) {
        java.util.Deque<String> out = new java.util.ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                out.pollLast();
            } else if (!segment.equals(".")) {
                out.addLast(segment);
            }
        }
        String joined = String.join("/", out);
        return joined.startsWith("/") ? joined : "/" + joined;
    }

    /** %XX decoded as UTF-8 (invalid sequences as U+FFFD); '+' is kept, as in a path. */
    static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
