package io.xscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./xscore logs NAME}: the services' JSON log lines (issue 14) rendered readable by tools/logs/LogView.java,
 * everything else passed through unchanged, and {@code --json} printing the lines as written. The log is a sample in
 * a home of its own (no stack runs); the JSON lines are as quarkus-logging-json writes them, a prod-mode scoring
 * service's line with its formatted stack trace among them.
 */
class LauncherLogsTest {

    private static final Path ROOT = Path.of(System.getProperty("xscore.root", "../..")).toAbsolutePath().normalize();

    static final String SEPARATOR = "===== xscore: gateway started 2026-12-07T08:00:00Z, pid 42, XSCORE_HOME /h =====";
    static final String PLANNED = "{\"timestamp\":\"2026-12-07T08:31:02.123456789Z\",\"sequence\":7,"
            + "\"loggerClassName\":\"org.jboss.logging.Logger\",\"loggerName\":\"io.xscore.gateway.service."
            + "EvaluationPlanner\",\"level\":\"INFO\",\"message\":\"planned evaluation e-1: 4 jobs, \\\"2\\\" queued "
            + "\\u00e9\",\"threadName\":\"vert.x-worker-thread-1\",\"threadId\":61,\"mdc\":{\"spanId\":"
            + "\"b7ad6b7169203331\",\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"sampled\":\"false\","
            + "\"evaluationId\":\"e-1\"},\"ndc\":\"\",\"hostName\":\"vm\",\"processName\":\"java\",\"processId\":2205,"
            + "\"service\":\"gateway\"}";
    static final String TRAINED = "{\"timestamp\":\"2026-12-07T08:32:00.5+00:00\",\"loggerName\":\"io.xscore.trainer."
            + "service.TrainingJobService\",\"level\":\"WARN\",\"message\":\"job j-9 failed: diverged\",\"mdc\":"
            + "{\"evaluationId\":\"e-1\",\"jobId\":\"j-9\"},\"service\":\"trainer-service\"}";
    static final String FAILED = "{\"timestamp\":\"2026-12-07T08:36:52.887365265Z\",\"sequence\":128,"
            + "\"loggerClassName\":\"org.jboss.logging.Logger\",\"loggerName\":\"io.quarkus.runtime.Application\","
            + "\"level\":\"ERROR\",\"message\":\"Failed to start application\",\"threadName\":\"main\",\"threadId\":1,"
            + "\"mdc\":{},\"ndc\":\"\",\"hostName\":\"vm\",\"processName\":\"java\",\"processId\":2205,\"stackTrace\":"
            + "\": java.lang.RuntimeException: Failed to start quarkus\\n\\tat io.quarkus.runner.ApplicationImpl."
            + "doStart(Unknown Source)\\n\",\"service\":\"scoring-service\"}";
    static final List<String> NOT_RECORDS = List.of(
            "[2026-12-07 08:00:01,000] INFO [KafkaRaftServer nodeId=1] Kafka Server started (kafka.server.KafkaRaftServer)",
            "# A fatal error has been detected by the Java Runtime Environment:",
            "{\"not\":\"a log record\"}",
            "{\"level\":\"INFO\", truncated");

    static Path home;
    static List<String> lines;

    @BeforeAll
    static void sampleLog() throws IOException {
        home = Path.of("target", "launcher-logs-test").toAbsolutePath();
        Files.createDirectories(home.resolve("logs"));
        lines = new ArrayList<>(List.of(SEPARATOR, PLANNED, TRAINED, FAILED));
        lines.addAll(NOT_RECORDS);
        Files.write(home.resolve("logs/gateway.log"), lines, StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesAreRenderedAndOtherLinesPassThrough() throws Exception {
        List<String> out = xscore("logs", "gateway");
        List<String> expected = new ArrayList<>(List.of(SEPARATOR,
                "2026-12-07 08:31:02.123 INFO  [i.x.g.s.EvaluationPlanner] [evaluation=e-1 "
                        + "trace=0af7651916cd43dd8448eb211c80319c] planned evaluation e-1: 4 jobs, \"2\" queued \u00e9",
                "2026-12-07 08:32:00.500 WARN  [i.x.t.s.TrainingJobService] [evaluation=e-1 job=j-9] job j-9 failed: "
                        + "diverged",
                "2026-12-07 08:36:52.887 ERROR [i.q.r.Application] Failed to start application",
                "java.lang.RuntimeException: Failed to start quarkus",
                "\tat io.quarkus.runner.ApplicationImpl.doStart(Unknown Source)"));
        expected.addAll(NOT_RECORDS);
        assertEquals(expected, out);
    }

    @Test
    void jsonPrintsTheLinesAsWritten() throws Exception {
        assertEquals(lines, xscore("logs", "gateway", "--json"));
        assertEquals(lines, xscore("logs", "--json", "gateway"));
    }

    /** The launcher's standard output, lines; fails on a non-zero exit. */
    private static List<String> xscore(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("xscore").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("XSCORE_"));
        env.put("XSCORE_HOME", home.toString());
        env.put("XSCORE_NO_BUILD", "1");
        env.put("TZ", "UTC"); // the renderer shows times in the local zone
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./xscore " + String.join(" ", args) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text.lines().toList();
    }
}
