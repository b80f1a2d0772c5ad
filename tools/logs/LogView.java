import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the services' JSON log lines (quarkus-logging-json, one object per line; README.md, "Logs") for people:
 * {@code 2026-12-07 08:31:02.123 INFO  [i.x.g.s.EvaluationPlanner] [evaluation=e1 job=j1 trace=0af7…] message},
 * then the stack trace, if any, on the lines below. Any other line (the launcher's separators, Kafka's and MongoDB's
 * text logs, JVM crash output) is printed unchanged. Reads standard input, writes each line as soon as it is read
 * ({@code tail -f} works through it). Used by {@code ./xscore logs}; {@code java tools/logs/LogView.java < log}
 * runs it alone (Java 17 source launcher: the launcher needs nothing beyond Java to show logs).
 */
public final class LogView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private LogView() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            out.println(render(line));
            out.flush();
        }
    }

    /** The line made readable, or unchanged when it is not a JSON log record. */
    static String render(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
            return line;
        }
        Map<String, Object> record;
        try {
            Object parsed = new Parser(trimmed).document();
            if (!(parsed instanceof Map)) {
                return line;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) parsed;
            record = map;
        } catch (IllegalArgumentException e) {
            return line;
        }
        if (!record.containsKey("message") || !record.containsKey("level")) {
            return line; // JSON, but not a log record of ours
        }
        StringBuilder s = new StringBuilder();
        s.append(time(text(record.get("timestamp")))).append(' ');
        s.append(String.format("%-5s", text(record.get("level")))).append(' ');
        s.append('[').append(shortLogger(text(record.get("loggerName")))).append("] ");
        Object mdc = record.get("mdc");
        if (mdc instanceof Map<?, ?> m) {
            List<String> ids = new ArrayList<>();
            id(ids, "evaluation", m.get("evaluationId"));
            id(ids, "job", m.get("jobId"));
            id(ids, "trace", m.get("traceId"));
            if (!ids.isEmpty()) {
                s.append('[').append(String.join(" ", ids)).append("] ");
            }
        }
        s.append(text(record.get("message")));
        Object stackTrace = record.get("stackTrace");
        if (stackTrace != null) {
            // the formatted trace as jboss-logmanager writes it starts with ": " (no message before it)
            String trace = text(stackTrace);
            s.append('\n').append((trace.startsWith(": ") ? trace.substring(2) : trace).stripTrailing());
        } else if (record.get("exception") instanceof Map<?, ?> e) { // exception-output-type=detailed
            s.append('\n').append(text(e.get("exceptionType"))).append(": ").append(text(e.get("message")));
        }
        return s.toString();
    }

    private static void id(List<String> ids, String name, Object value) {
        if (value != null && !text(value).isEmpty()) {
            ids.add(name + "=" + text(value));
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** The time in this machine's zone, to the millisecond; as written when it is not an ISO date-time. */
    private static String time(String timestamp) {
        try {
            return OffsetDateTime.parse(timestamp).atZoneSameInstant(ZoneId.systemDefault()).format(TIME);
        } catch (RuntimeException e) {
            return timestamp;
        }
    }

    /** As the text format's {@code %c{1.}}: every package to its first letter, the class name whole. */
    static String shortLogger(String name) {
        String[] parts = name.split("\\.");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            s.append(parts[i].isEmpty() ? "" : parts[i].substring(0, 1)).append('.');
        }
        return s.append(parts[parts.length - 1]).toString();
    }

    /** Just enough JSON (RFC 8259) for one log record: objects, arrays, strings, numbers, true, false, null. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value();
            space();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing characters at " + i);
            }
            return v;
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            space();
            if (peek() == '}') {
                i++;
                return map;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw new IllegalArgumentException("key expected at " + i);
                }
                String key = string();
                space();
                expect(':');
                map.put(key, value());
                space();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            space();
            if (peek() == ']') {
                i++;
                return list;
            }
            while (true) {
                list.add(value());
                space();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("value expected at " + i);
            }
            String n = s.substring(start, i);
            try {
                return n.matches("-?\\d+") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number " + n);
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw new IllegalArgumentException("bad literal at " + i);
            }
            i += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("'" + c + "' expected at " + i);
            }
            i++;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void space() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }
    }
}
