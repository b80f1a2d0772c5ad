package io.xscore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.auth.Roles;
import io.xscore.testsupport.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web application in a real browser against the real stack: Debian's chromium, driven headless by playwright-core
 * from {@code src/test/web/web-ui.test.mjs} (node's test runner), with axe-core's accessibility rules on every page.
 * The script signs in with a submitter's token, reads the leaderboard, changes λ, opens the heat-map and the figures,
 * downloads tables and charts, submits a quick evaluation from the page, follows it live to SUCCEEDED and finds its
 * models on their boards. Screenshots of every page are kept in {@code target/web-screenshots}; the browser's output in
 * {@code target/web-e2e.log}.
 */
@ExtendWith(Platform.Started.class)
class WebUiIT {

    static final Path WEB = Platform.ROOT.resolve("e2e-tests/src/test/web");
    static final Path TARGET = Platform.ROOT.resolve("e2e-tests/target");
    static final Path SCREENSHOTS = TARGET.resolve("web-screenshots");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @BeforeAll
    static void installBrowserDriver() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is needed: apt-get install chromium");
        // playwright-core and axe-core at the lock file's versions; playwright-core downloads no browser
        int exit = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"),
                Map.of(), TARGET.resolve("web-npm.log"), Duration.ofMinutes(5));
        assertEquals(0, exit, "npm ci in " + WEB + " failed: " + tail(TARGET.resolve("web-npm.log")));
    }

    @Test
    void theWebApplicationWorksInARealBrowser() throws Exception {
        Platform platform = Platform.get();
        Files.createDirectories(SCREENSHOTS);
        try (Stream<Path> old = Files.list(SCREENSHOTS)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Path log = TARGET.resolve("web-e2e.log");
        int exit = run(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec", "web-ui.test.mjs"),
                Map.of("XSCORE_WEB_URL", platform.service("gateway").url(),
                        "XSCORE_WEB_TOKEN", TestTokens.token(Duration.ofHours(1), "web-e2e", Roles.SUBMITTER),
                        "XSCORE_WEB_SCREENSHOTS", SCREENSHOTS.toString(),
                        "CHROMIUM", CHROMIUM.toString(),
                        "XSCORE_WEB_EVALUATION_MINUTES", "15"),
                log, Duration.ofMinutes(25));
        assertEquals(0, exit, "the browser tests failed (screenshots in " + SCREENSHOTS + ", service logs in "
                + Platform.LOGS + "):\n" + tail(log));
        try (Stream<Path> shots = Files.list(SCREENSHOTS)) {
            assertEquals(14, shots.filter(p -> p.toString().endsWith(".png"))
                    .filter(p -> !p.getFileName().toString().startsWith("failed-")).count(), "a screenshot of every page");
        }
    }

    /** Runs a command in the web test directory, output to a log file (and this test's output). */
    static int run(List<String> command, Map<String, String> env, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(WEB.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            System.out.println(tail(log));
            return -1;
        }
        System.out.println(tail(log));
        return process.exitValue();
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() <= 12_000 ? text : "…" + text.substring(text.length() - 12_000);
    }
}
