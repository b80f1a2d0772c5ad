package io.xscore.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.Topics;
import io.xscore.testsupport.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * "Nothing lost, nothing run twice", with real processes: the production local stack ({@code ./xscore up}: Kafka in
 * KRaft mode, the MongoDB wire server on its H2 file, the four packaged services) under SIGKILL of its database, its
 * broker and each service, duplicate and conflicting results, poison records and hostile requests.
 *
 * <p>One stack for the class, in its own {@code XSCORE_HOME} on free ports; scenarios run in a fixed order and each
 * starts by waiting until the stack is healthy again (restarting whatever an earlier failed scenario left dead).
 * Each scenario collects every problem it sees and fails once at its end with all of them. Evidence (every
 * component's complete log over all its restarts, the timeline of what the suite did, a summary) is kept in
 * {@code target/fault-logs}.
 *
 * <p>Jobs are tiny (ConvMixer-16/1 .. 32/2, quick protocol, 2-3 epochs on a few hundred images) so the suite fits
 * 2 shared cores; every wait is bounded and generous.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    static final Path ROOT = Path.of(System.getProperty("xscore.root", "..")).toAbsolutePath().normalize();
    static final Path EVIDENCE = Path.of(System.getProperty("xscore.fault.logs", "target/fault-logs"))
            .toAbsolutePath();
    /** Distinguishes this run's ids (evaluation ids are client-chosen so a 503'd submission can be looked for). */
    static final String TAG = Long.toString(System.currentTimeMillis() % 46_656_000L, 36);

    static final Map<String, Integer> TINY = Map.of("epochs", 2, "trainSubset", 256, "testSubset", 128);
    static final Map<String, Integer> SMALL = Map.of("epochs", 3, "trainSubset", 384, "testSubset", 128);

    static LocalStack stack;
    static KafkaProbe kafka;
    static MongoProbe mongo;
    static Platform p;
    static final Map<String, String> OUTCOMES = new LinkedHashMap<>();
    /** Observations that are not failures but say a scenario exercised less than intended (in summary.txt). */
    static final List<String> NOTES = new ArrayList<>();

    /** Finished evaluations later scenarios may reuse (a finished job for scenario 6, ids for scenario 8). */
    static final List<String> SUCCEEDED = new ArrayList<>();
    /** Submissions made while the broker was down (scenario 3), judged by scenario 4. */
    static final List<OutageSubmission> OUTAGE_SUBMISSIONS = new ArrayList<>();

    record OutageSubmission(String id, int status, String body, Instant at, double seconds, String outage) {
    }

    Set<String> deadLettersBefore;

    @BeforeAll
    static void startStack() throws Exception {
        deleteTree(EVIDENCE);
        Files.createDirectories(EVIDENCE);
        Timeline.writeTo(EVIDENCE.resolve("timeline.log"));
        for (String m : LocalStack.SERVICES) {
            Path jar = ROOT.resolve(m).resolve("target/quarkus-app/quarkus-run.jar");
            assertTrue(Files.isRegularFile(jar), jar + " is missing: ./mvnw -B -q install -DskipTests first");
        }
        assertTrue(Files.isRegularFile(ROOT.resolve("deploy/local/target/xscore-local-stack-0.1.0-SNAPSHOT.jar")),
                "the local-stack jar is missing: ./mvnw -B -q install -DskipTests first");
        assertTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "Fashion-MNIST is needed: apt-get install dataset-fashion-mnist");
        String launcher = Files.readString(ROOT.resolve("xscore"));
        if (!launcher.contains("XSCORE_NO_BUILD")) {
            Timeline.log("WARNING: this ./xscore does not know XSCORE_NO_BUILD: 'up' may start a Maven build when "
                    + "sources are newer than the jars");
        }
        Path home = Files.createTempDirectory("xscore-fault-");
        // By default the stack runs from a private copy of the launcher and the packaged services (see
        // LocalStack.snapshot): same bits, but immune to rebuilds in a working tree shared with other people.
        Path launcherRoot = Boolean.parseBoolean(System.getProperty("xscore.fault.snapshot", "true"))
                ? LocalStack.snapshot(ROOT, home.resolve("stack")) : ROOT;
        stack = new LocalStack(launcherRoot, home);
        Timeline.log("launcher and packaged services run from %s", launcherRoot);
        Timeline.log("XSCORE_HOME %s, ports %s, run tag %s", home, stack.ports, TAG);
        stack.up();
        stack.awaitHealthy(Duration.ofMinutes(6));
        kafka = new KafkaProbe(stack.kafkaBootstrap());
        mongo = new MongoProbe(stack.mongoUri());
        p = new Platform(stack, kafka, mongo);
    }

    @AfterAll
    static void stopStack() throws Exception {
        try {
            if (p != null) {
                List<String> twice = p.trainedTwice();
                Timeline.log("jobs trained more than once over the whole suite: %s", twice.isEmpty() ? "none" : twice);
                OUTCOMES.put("whole suite: no job trained twice", twice.isEmpty() ? "PASS" : "FAIL " + twice);
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (mongo != null) {
                mongo.close();
            }
            if (stack != null) {
                stack.close(EVIDENCE);
                StringBuilder summary = new StringBuilder();
                OUTCOMES.forEach((k, v) -> summary.append(k).append(": ").append(v).append('\n'));
                NOTES.forEach(n -> summary.append("NOTE ").append(n).append('\n'));
                Files.writeString(EVIDENCE.resolve("summary.txt"), summary.toString(), StandardCharsets.UTF_8);
                Timeline.log("summary:\n%s", summary);
                if (!Boolean.getBoolean("xscore.fault.keep-home")) {
                    deleteTree(stack.home);
                }
            }
        }
    }

    @BeforeEach
    void healthyStack(TestInfo test) {
        Timeline.log("======== %s", test.getDisplayName());
        stack.ensureHealthy(Duration.ofMinutes(6));
        deadLettersBefore = p.deadLetterIds();
    }

    // ================================================================== 1. Mongo down for 90 s while results flow

    @Test
    @Order(1)
    void s1_mongoKilledFor90sWhileResultsFlow() {
        List<String> problems = new ArrayList<>();
        String id = evalId("s1");
        List<String> models = List.of("convmixer-16-1", "convmixer-16-2", "convmixer-32-1");
        p.submitAccepted(Platform.request(id, models, List.of("fashion-mnist", "synthetic-shapes"), List.of(101),
                TINY));
        step(problems, "first job succeeded", () -> p.awaitView(id, v -> v.path("summary").path("succeeded").asInt()
                >= 1, Duration.ofMinutes(10), "first job succeeded"));
        long resultsBefore = kafka.endOffset(Topics.TRAINING_RESULTS);
        Instant killed = Instant.now();
        stack.kill("mongo");
        List<String> gatewayAnswers = new ArrayList<>();
        while (Duration.between(killed, Instant.now()).compareTo(Duration.ofSeconds(85)) < 0) {
            long t0 = System.nanoTime();
            Http.Resp r = Http.get(p.gateway() + "/api/v1/evaluations/" + id);
            gatewayAnswers.add(String.format("%d in %.1f s", r.status(), (System.nanoTime() - t0) / 1e9));
            LocalStack.sleep(Duration.ofSeconds(5));
        }
        Duration rest = Duration.ofSeconds(90).minus(Duration.between(killed, Instant.now()));
        if (!rest.isNegative()) {
            LocalStack.sleep(rest);
        }
        long resultsDuring = kafka.endOffset(Topics.TRAINING_RESULTS) - resultsBefore;
        Timeline.log("Mongo down 90 s: %d results published meanwhile; gateway GET of the evaluation meanwhile "
                + "(-1 = no HTTP answer): %s", resultsDuring, gatewayAnswers);
        if (resultsDuring < 2) {
            note("S1: results did not flow while MongoDB was down (" + resultsDuring + " published in 90 s, at most "
                    + "the job already running at the kill): the trainer waits for the scoring service's result check "
                    + "before each job, and scoring cannot answer without MongoDB");
        }
        step(problems, "restart", () -> {
            stack.up();
            stack.awaitHealthy(Duration.ofMinutes(5));
        });
        step(problems, "evaluation finished", () -> p.awaitTerminal(id, Duration.ofMinutes(10)));
        p.checkSucceeded(id, 6, 3, problems);
        problems.addAll(p.validDeadLettersSince(deadLettersBefore));
        problems.addAll(p.trainedTwice().stream().map(j -> "trained twice: " + j).toList());
        finish("S1 Mongo SIGKILL 90 s while results flow", problems, id);
    }

    // ================================================================== 2. burst of 20, Mongo killed 0.1 s after

    @Test
    @Order(2)
    void s2_burstOf20ThenMongoKilled() throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = evalId("s2-" + i);
            ids.add(id);
            bodies.add(Platform.request(id, List.of("convmixer-16-1", "convmixer-16-2"), List.of("synthetic-textures"),
                    List.of(201 + i % 4), TINY));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> answers = new ArrayList<>();
        for (String body : bodies) {
            answers.add(pool.submit(() -> {
                go.await();
                Http.Resp r = p.submit(body);
                return new long[] {r.status(), System.nanoTime()};
            }));
        }
        go.countDown();
        long last = 0;
        Map<Long, Integer> statuses = new TreeMap<>();
        for (Future<long[]> f : answers) {
            long[] a = f.get(3, TimeUnit.MINUTES);
            statuses.merge(a[0], 1, Integer::sum);
            last = Math.max(last, a[1]);
        }
        pool.shutdown();
        long wait = last + 100_000_000L - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        long after = (System.nanoTime() - last) / 1_000_000;
        stack.kill("mongo");
        Timeline.log("burst answers %s; Mongo SIGKILLed %d ms after the last answer", statuses, after);
        if (statuses.getOrDefault(202L, 0) != 20) {
            problems.add("not every submission of the burst was accepted: " + statuses);
        }
        step(problems, "restart", () -> {
            stack.up();
            stack.awaitHealthy(Duration.ofMinutes(5));
        });
        for (String id : ids) {
            step(problems, id + " found", () -> p.awaitView(id, v -> true, Duration.ofMinutes(2),
                    "found (200) after the restart (accepted with 202 before the kill)"));
        }
        p.awaitAllTerminal(ids, Duration.ofMinutes(12), problems);
        for (String id : ids) {
            p.checkSucceeded(id, 2, 2, problems);
        }
        problems.addAll(p.validDeadLettersSince(deadLettersBefore));
        problems.addAll(p.trainedTwice().stream().map(j -> "trained twice: " + j).toList());
        finish("S2 burst of 20, Mongo SIGKILL 0.1 s after the last 202", problems, ids.toArray(String[]::new));
    }

    // ================================================================== 3. broker down 40 s and 3 min mid-run

    @Test
    @Order(3)
    void s3_brokerKilledDuringRuns() {
        List<String> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Object[] outage : new Object[][] {{"s3a", 40, 301, "s4a"}, {"s3b", 180, 302, "s4b"}}) {
            String id = evalId((String) outage[0]);
            ids.add(id);
            int seconds = (Integer) outage[1];
            step(problems, "outage of " + seconds + " s", () -> {
                p.submitAccepted(Platform.request(id, List.of("convmixer-16-1", "convmixer-16-2"),
                        List.of("synthetic-shapes", "synthetic-textures"), List.of((Integer) outage[2]), SMALL));
                if (!p.awaitTraining(0, Duration.ofMinutes(5))) {
                    Timeline.log("NOTE: the trainer was not seen training before the broker was killed");
                }
                Instant killed = Instant.now();
                stack.kill("kafka");
                // Scenario 4 rides on this outage: one submission 5 s into it.
                LocalStack.sleep(Duration.ofSeconds(5));
                String s4 = evalId((String) outage[3]);
                long t0 = System.nanoTime();
                Http.Resp r = Http.post(p.gateway() + "/api/v1/evaluations", Platform.request(s4,
                        List.of("convmixer-16-1", "convmixer-16-2"), List.of("synthetic-shapes"),
                        List.of((Integer) outage[2] + 100), TINY), Duration.ofSeconds(150));
                double took = (System.nanoTime() - t0) / 1e9;
                OUTAGE_SUBMISSIONS.add(new OutageSubmission(s4, r.status(), r.body(), Instant.now(), took,
                        seconds + " s outage"));
                Timeline.log("submission %s while the broker is down: HTTP %d after %.1f s: %s", s4, r.status(), took,
                        Platform.abbreviate(r.body(), 300));
                Duration rest = Duration.ofSeconds(seconds).minus(Duration.between(killed, Instant.now()));
                if (!rest.isNegative()) {
                    LocalStack.sleep(rest);
                }
                Timeline.log("broker was down %.1f s", Duration.between(killed, Instant.now()).toMillis() / 1000.0);
                stack.up();
                stack.awaitHealthy(Duration.ofMinutes(6));
                p.awaitTerminal(id, Duration.ofMinutes(12));
            });
        }
        for (String id : ids) {
            p.checkSucceeded(id, 4, 2, problems);
        }
        problems.addAll(p.validDeadLettersSince(deadLettersBefore));
        problems.addAll(p.trainedTwice().stream().map(j -> "trained twice: " + j).toList());
        finish("S3 broker SIGKILL 40 s and 3 min mid-run", problems, ids.toArray(String[]::new));
    }

    // ================================================================== 4. submission while the broker is down

    @Test
    @Order(4)
    void s4_submissionWhileBrokerDown() {
        List<String> problems = new ArrayList<>();
        if (OUTAGE_SUBMISSIONS.isEmpty()) {
            // Scenario 3 did not get to submit: an outage of our own.
            step(problems, "own outage", () -> {
                stack.kill("kafka");
                LocalStack.sleep(Duration.ofSeconds(5));
                String id = evalId("s4c");
                long t0 = System.nanoTime();
                Http.Resp r = Http.post(p.gateway() + "/api/v1/evaluations", Platform.request(id,
                        List.of("convmixer-16-1", "convmixer-16-2"), List.of("synthetic-shapes"), List.of(403), TINY),
                        Duration.ofSeconds(150));
                OUTAGE_SUBMISSIONS.add(new OutageSubmission(id, r.status(), r.body(), Instant.now(),
                        (System.nanoTime() - t0) / 1e9, "own outage"));
                LocalStack.sleep(Duration.ofSeconds(10));
                stack.up();
                stack.awaitHealthy(Duration.ofMinutes(6));
            });
        }
        List<String> accepted = new ArrayList<>();
        for (OutageSubmission s : OUTAGE_SUBMISSIONS) {
            String what = s.id() + " (" + s.outage() + ", HTTP " + s.status() + " after " + String.format("%.1f",
                    s.seconds()) + " s)";
            if (s.status() == 202) {
                accepted.add(s.id());
                step(problems, what + " finished", () -> p.awaitTerminal(s.id(), Duration.ofMinutes(10)));
                p.checkSucceeded(s.id(), 2, 2, problems);
            } else if (s.status() == 503) {
                // The gateway's producer may still hold the record: look only after its delivery timeout (120 s
                // by default) has certainly passed.
                Duration since = Duration.between(s.at(), Instant.now());
                if (since.compareTo(Duration.ofSeconds(150)) < 0) {
                    LocalStack.sleep(Duration.ofSeconds(150).minus(since));
                }
                Http.Resp view = Http.get(p.gateway() + "/api/v1/evaluations/" + s.id());
                if (view.status() != 404) {
                    problems.add(what + ": answered 503 but the evaluation exists afterwards: " + view);
                }
                long records = kafka.readAll(Topics.EVALUATION_REQUESTS).stream()
                        .filter(r -> s.id().equals(r.key()) || (r.value() != null && r.value().contains(s.id())))
                        .count();
                if (records > 0) {
                    problems.add(what + ": answered 503 but " + records + " request record(s) reached "
                            + Topics.EVALUATION_REQUESTS);
                }
                Http.Resp scores = Http.get(p.scoring() + "/api/v1/evaluations/" + s.id() + "/scores");
                if (scores.status() != 404) {
                    problems.add(what + ": answered 503 but scoring knows it: " + scores);
                }
                if (!s.body().contains("problem") && !s.body().contains("title")) {
                    Timeline.log("NOTE: the 503 body is not problem+json: %s", Platform.abbreviate(s.body(), 200));
                }
            } else {
                problems.add(what + ": expected 202 (and it runs) or 503 (and it never appears), got "
                        + s.status() + ": " + Platform.abbreviate(s.body(), 500));
            }
        }
        problems.addAll(p.validDeadLettersSince(deadLettersBefore));
        finish("S4 submission while the broker is down", problems, accepted.toArray(String[]::new));
    }

    // ================================================================== 5. each service SIGKILLed mid-run

    @Test
    @Order(5)
    void s5_eachServiceKilledMidRun() {
        List<String> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, int[]> expected = new LinkedHashMap<>();
        String id = evalId("s5");
        p.submitAccepted(Platform.request(id, List.of("convmixer-16-1", "convmixer-32-2", "convmixer-16-2",
                "convmixer-32-1"), List.of("synthetic-shapes", "fashion-mnist"), List.of(501), SMALL));
        ids.add(id);
        expected.put(id, new int[] {8, 4});
        int extra = 0;
        for (String service : List.of("gateway", "scoring-service", "dataset-service", "trainer-service")) {
            int minEpoch = service.equals("trainer-service") ? 1 : 0;
            if (!p.awaitTraining(minEpoch, Duration.ofMinutes(3), ids)) {
                // The run ended before this kill: keep the trainer busy with one more evaluation.
                String more = evalId("s5-extra-" + (++extra));
                p.submitAccepted(Platform.request(more, List.of("convmixer-16-1", "convmixer-16-2"),
                        List.of("synthetic-shapes"), List.of(510 + extra), SMALL));
                ids.add(more);
                expected.put(more, new int[] {2, 2});
                if (!p.awaitTraining(minEpoch, Duration.ofMinutes(3))) {
                    Timeline.log("NOTE: trainer not seen training before killing %s", service);
                }
            }
            step(problems, "kill and restart " + service, () -> {
                stack.kill(service);
                stack.up();
                stack.awaitHealthy(Duration.ofMinutes(6));
            });
        }
        p.awaitAllTerminal(ids, Duration.ofMinutes(15), problems);
        expected.forEach((e, n) -> p.checkSucceeded(e, n[0], n[1], problems));
        problems.addAll(p.validDeadLettersSince(deadLettersBefore));
        problems.addAll(p.trainedTwice().stream().map(j -> "trained twice: " + j).toList());
        finish("S5 SIGKILL gateway, scoring, dataset, trainer mid-run", problems, ids.toArray(String[]::new));
    }

    // ================================================================== 6. duplicate and conflicting result

    @Test
    @Order(6)
    void s6_duplicateAndConflictingResult() {
        List<String> problems = new ArrayList<>();
        String evaluation = SUCCEEDED.isEmpty() ? null : SUCCEEDED.get(0);
        if (evaluation == null) {
            evaluation = evalId("s6");
            p.submitAccepted(Platform.request(evaluation, List.of("convmixer-16-1", "convmixer-16-2"),
                    List.of("synthetic-shapes"), List.of(601), TINY));
            p.awaitTerminal(evaluation, Duration.ofMinutes(10));
        }
        String eval = evaluation;
        JsonNode view = p.view(eval);
        JsonNode job = null;
        for (JsonNode j : view.path("jobs")) {
            if ("SUCCEEDED".equals(j.path("state").asText())) {
                job = j;
                break;
            }
        }
        assertTrue(job != null, "no succeeded job to work with: " + Platform.summary(view));
        String jobId = job.path("jobId").asText();
        ConsumerRecord<String, String> original = kafka.readAll(Topics.TRAINING_RESULTS).stream()
                .filter(r -> jobId.equals(r.key()) && r.value() != null && r.value().contains("\"SUCCEEDED\""))
                .findFirst().orElseThrow(() -> new AssertionError("no SUCCEEDED result of " + jobId + " on "
                        + Topics.TRAINING_RESULTS));
        double gatewayBefore = job.path("finalTestAccuracy").asDouble();
        JsonNode scoringBefore = Http.get(p.scoring() + "/api/v1/results/" + jobId).json();
        Map<String, String> scoresBefore = scoreSets(eval);
        double gatewayRefused = refusedConflicts("gateway");
        double scoringRefused = refusedConflicts("scoring-service");
        Timeline.log("job %s: accuracy %s; refused-conflict counters before: gateway %s, scoring %s", jobId,
                gatewayBefore, gatewayRefused, scoringRefused);

        List<Header> headers = new ArrayList<>();
        original.headers().forEach(headers::add);
        RecordMetadata duplicate = kafka.send(Topics.TRAINING_RESULTS, jobId, original.value(), headers);
        ObjectNode changed = (ObjectNode) json(original.value());
        double accuracy = changed.path("testAccuracy").asDouble();
        changed.put("testAccuracy", accuracy < 50 ? accuracy + 10 : accuracy - 10);
        List<Header> conflictHeaders = new ArrayList<>();
        for (Header h : headers) {
            conflictHeaders.add(h.key().equals("ce_id") ? new RecordHeader("ce_id",
                    UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)) : h);
        }
        RecordMetadata conflict = kafka.send(Topics.TRAINING_RESULTS, jobId, changed.toString(), conflictHeaders);
        Timeline.log("duplicate at %s-%d@%d, conflict (testAccuracy %s -> %s) at %s-%d@%d", duplicate.topic(),
                duplicate.partition(), duplicate.offset(), accuracy, changed.path("testAccuracy").asDouble(),
                conflict.topic(), conflict.partition(), conflict.offset());

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !(kafka.caughtUp("gateway", Topics.TRAINING_RESULTS)
                && kafka.caughtUp("scoring-service", Topics.TRAINING_RESULTS)
                && refusedConflicts("gateway") > gatewayRefused
                && refusedConflicts("scoring-service") > scoringRefused)) {
            LocalStack.sleep(Duration.ofSeconds(1));
        }
        LocalStack.sleep(Duration.ofSeconds(2));
        Timeline.log("consumed: gateway %s, scoring %s", kafka.caughtUp("gateway", Topics.TRAINING_RESULTS),
                kafka.caughtUp("scoring-service", Topics.TRAINING_RESULTS));
        double gatewayDelta = refusedConflicts("gateway") - gatewayRefused;
        double scoringDelta = refusedConflicts("scoring-service") - scoringRefused;
        if (gatewayDelta != 1) {
            problems.add("gateway xscore_results_refused_total{reason=\"conflict\"} rose by " + gatewayDelta
                    + " (expected 1)");
        }
        if (scoringDelta != 1) {
            problems.add("scoring-service xscore_results_refused_total{reason=\"conflict\"} rose by " + scoringDelta
                    + " (expected 1)");
        }
        JsonNode viewAfter = p.view(eval);
        for (JsonNode j : viewAfter.path("jobs")) {
            if (jobId.equals(j.path("jobId").asText())) {
                if (j.path("finalTestAccuracy").asDouble() != gatewayBefore || !"SUCCEEDED".equals(
                        j.path("state").asText())) {
                    problems.add("gateway job view changed: finalTestAccuracy " + gatewayBefore + " -> "
                            + j.path("finalTestAccuracy") + ", state " + j.path("state").asText());
                }
            }
        }
        JsonNode scoringAfter = Http.get(p.scoring() + "/api/v1/results/" + jobId).json();
        if (!scoringAfter.equals(scoringBefore)) {
            problems.add("scoring's stored result changed: testAccuracy " + scoringBefore.path("testAccuracy")
                    + " -> " + scoringAfter.path("testAccuracy") + ", finishedAt " + scoringBefore.path("finishedAt")
                    + " -> " + scoringAfter.path("finishedAt"));
        }
        if (mongo.resultsOf(jobId) != 1) {
            problems.add(mongo.resultsOf(jobId) + " result documents for " + jobId);
        }
        Map<String, String> scoresAfter = scoreSets(eval);
        if (!scoresAfter.equals(scoresBefore)) {
            problems.add("score sets changed: " + scoresBefore + " -> " + scoresAfter);
        }
        List<String> dead = p.validDeadLettersSince(deadLettersBefore);
        if (!dead.isEmpty()) {
            Timeline.log("NOTE: the duplicate/conflict was dead-lettered (allowed here, reported): %s", dead);
        }
        finish("S6 duplicate and conflicting result", problems);
    }

    private Map<String, String> scoreSets(String evaluation) {
        Map<String, String> out = new TreeMap<>();
        JsonNode v = p.view(evaluation);
        out.put("gateway", v == null ? "none" : v.path("scores").path("scores").toString());
        Http.Resp s = Http.get(p.scoring() + "/api/v1/evaluations/" + evaluation + "/scores");
        out.put("scoring", s.status() == 200 ? s.json().path("scores").toString() : "HTTP " + s.status());
        return out;
    }

    private double refusedConflicts(String service) {
        Http.Resp r = Http.get(stack.url(service) + "/q/metrics");
        return r.status() == 200 ? Platform.metric(r.body(), "xscore_results_refused_total", "reason=\"conflict\"")
                : Double.NaN;
    }

    // ================================================================== 7. poison records on every consumed topic

    record Sent(PoisonRecords.Poison poison, int partition, long offset) {
        String describe() {
            return poison.topic() + "-" + partition + "@" + offset + " (" + poison.variant() + ")";
        }
    }

    @Test
    @Order(7)
    void s7_poisonRecordsAreDeadLetteredOnce() {
        List<String> problems = new ArrayList<>();
        List<Sent> sent = new ArrayList<>();
        for (PoisonRecords.Poison poison : PoisonRecords.all(TAG)) {
            RecordMetadata m = kafka.send(poison.topic(), poison.key(), poison.value(), List.of());
            sent.add(new Sent(poison, m.partition(), m.offset()));
        }
        Timeline.log("sent %d poison records", sent.size());
        Instant sentAt = Instant.now();

        Map<String, Long> first = awaitDeadLetters(sent, Duration.ofMinutes(2));
        LocalStack.sleep(Duration.ofSeconds(5));
        Map<String, List<Platform.DeadLetter>> byPair = deadLettersByPair(sent);
        for (Map.Entry<String, List<Platform.DeadLetter>> e : byPair.entrySet()) {
            if (e.getValue().size() != 1) {
                problems.add(e.getKey() + ": dead-lettered " + e.getValue().size() + " times (expected exactly once)");
            }
            for (Platform.DeadLetter d : e.getValue()) {
                if (d.reason() == null || d.reason().isBlank()) {
                    problems.add(e.getKey() + ": dead letter without a dead-letter-reason header");
                }
            }
        }
        Timeline.log("dead letters after %.1f s: %d of %d expected", Duration.between(sentAt, Instant.now())
                .toMillis() / 1000.0, first.values().stream().filter(n -> n > 0).count(), byPair.size());
        for (String service : LocalStack.SERVICES) {
            if (!awaitReady(service, Duration.ofSeconds(30))) {
                problems.add(service + " not ready after the poison records: "
                        + Http.get(stack.url(service) + "/q/health/ready"));
            }
        }
        // Nothing was accepted: no evaluation, stored result, plan, score set or training under the poison ids.
        String trainerLog = stack.logs.all("trainer-service");
        for (Sent s : sent) {
            PoisonRecords.Poison x = s.poison();
            String effect = x.effectId();
            switch (x.topic()) {
                case Topics.EVALUATION_REQUESTS, Topics.SCORES -> {
                    Http.Resp r = Http.get(p.gateway() + "/api/v1/evaluations/" + effect);
                    if (r.status() != 404) {
                        problems.add(s.describe() + " had an effect: gateway has evaluation " + effect + ": " + r);
                    }
                }
                case Topics.EVALUATION_PLANS -> {
                    Http.Resp r = Http.get(p.scoring() + "/api/v1/results?evaluationId=" + effect);
                    if (r.status() == 200 && r.json().size() > 0) {
                        problems.add(s.describe() + " had an effect: scoring lists results for " + effect);
                    }
                }
                case Topics.TRAINING_RESULTS -> {
                    Http.Resp r = Http.get(p.scoring() + "/api/v1/results/" + effect);
                    if (r.status() != 404) {
                        problems.add(s.describe() + " had an effect: scoring stored a result for " + effect + ": " + r);
                    }
                }
                case Topics.TRAINING_JOBS -> {
                    if (trainerLog.contains("job " + effect)) {
                        problems.add(s.describe() + " had an effect: the trainer ran job " + effect);
                    }
                }
                default -> {
                    // progress and cancellations for jobs that exist nowhere leave nothing to look at
                }
            }
        }
        // A valid evaluation still runs.
        String id = evalId("s7");
        step(problems, "valid evaluation after the poison", () -> {
            p.submitAccepted(Platform.request(id, List.of("convmixer-16-1", "convmixer-16-2"),
                    List.of("synthetic-shapes"), List.of(701), TINY));
            p.awaitTerminal(id, Duration.ofMinutes(10));
        });
        p.checkSucceeded(id, 2, 2, problems);

        // Restart the trainer, then the broker: no consumer group may dead-letter the same record twice. The trainer's
        // cancellation consumer has a group of its own per trainer; if the restarted trainer comes back under a new
        // group it may dead-letter the cancellation poison once more (once per group), otherwise not at all.
        Set<String> groupsBefore = kafka.groups("trainer-cancellations-");
        step(problems, "trainer restart", () -> {
            stack.kill("trainer-service");
            stack.up();
            stack.awaitHealthy(Duration.ofMinutes(6));
        });
        LocalStack.sleep(Duration.ofSeconds(15)); // the new trainer reads the cancellations from its position
        Set<String> groupsAfter = kafka.groups("trainer-cancellations-");
        boolean newGroup = !groupsBefore.containsAll(groupsAfter);
        Timeline.log("trainer cancellation groups before the restart %s, after %s: %s", groupsBefore, groupsAfter,
                newGroup ? "a new group (one more dead letter per cancellation poison allowed)" : "the same group");
        if (newGroup) {
            awaitCancellationDeadLetters(sent, 2, Duration.ofSeconds(45));
        }
        step(problems, "broker restart", () -> {
            stack.kill("kafka");
            stack.up();
            stack.awaitHealthy(Duration.ofMinutes(6));
        });
        LocalStack.sleep(Duration.ofSeconds(30)); // consumers rejoin their groups and fetch
        Map<String, List<Platform.DeadLetter>> finalPairs = deadLettersByPair(sent);
        List<LocalStack.Lifetime> trainers = stack.lifetimes("trainer-service");
        for (Map.Entry<String, List<Platform.DeadLetter>> e : finalPairs.entrySet()) {
            boolean cancellation = e.getKey().contains(Topics.EVALUATION_CANCELLATIONS + ".dlq.trainer-service");
            Map<String, Long> perLifetime = new TreeMap<>();
            for (Platform.DeadLetter d : e.getValue()) {
                Instant at = Instant.ofEpochMilli(d.timestamp());
                String lifetime = trainers.stream().filter(l -> l.covers(at)).map(l -> "trainer pid " + l.pid)
                        .findFirst().orElse("no trainer lifetime at " + at);
                perLifetime.merge(lifetime, 1L, Long::sum);
            }
            if (cancellation && newGroup) {
                if (perLifetime.values().stream().anyMatch(n -> n > 1)) {
                    problems.add(e.getKey() + ": dead-lettered more than once by the same trainer (consumer group): "
                            + perLifetime + " (trainers: " + trainers + ")");
                }
            } else if (e.getValue().size() != 1) {
                problems.add(e.getKey() + ": dead-lettered " + e.getValue().size() + " times by the end (after the "
                        + "trainer and broker restarts; expected exactly once): by trainer lifetime " + perLifetime);
            }
            if (cancellation) {
                Timeline.log("%s: dead letters per trainer lifetime %s", e.getKey(), perLifetime);
            }
        }
        problems.addAll(p.validDeadLettersSince(deadLettersBefore));
        finish("S7 poison records", problems, id);
    }

    /** "topic-partition@offset (variant) -> dlq" for each poison record and each of its topic's consumers. */
    private Map<String, List<Platform.DeadLetter>> deadLettersByPair(List<Sent> sent) {
        List<Platform.DeadLetter> all = p.deadLetters();
        Map<String, List<Platform.DeadLetter>> out = new LinkedHashMap<>();
        for (Sent s : sent) {
            for (String consumer : PoisonRecords.CONSUMERS.get(s.poison().topic())) {
                String dlq = Topics.deadLetter(s.poison().topic(), consumer);
                out.put(s.describe() + " -> " + dlq, all.stream().filter(d -> d.dlq().equals(dlq)
                        && s.poison().topic().equals(d.sourceTopic()) && d.sourcePartition() == s.partition()
                        && d.sourceOffset() == s.offset()).toList());
            }
        }
        return out;
    }

    private Map<String, Long> awaitDeadLetters(List<Sent> sent, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> counts = new LinkedHashMap<>();
        while (true) {
            counts.clear();
            deadLettersByPair(sent).forEach((k, v) -> counts.put(k, (long) v.size()));
            if (counts.values().stream().allMatch(n -> n > 0) || System.nanoTime() > deadline) {
                return counts;
            }
            LocalStack.sleep(Duration.ofSeconds(2));
        }
    }

    private void awaitCancellationDeadLetters(List<Sent> sent, int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = deadLettersByPair(sent).entrySet().stream()
                    .filter(e -> e.getKey().contains(Topics.EVALUATION_CANCELLATIONS + ".dlq."))
                    .allMatch(e -> e.getValue().size() >= atLeast);
            if (all) {
                Timeline.log("the restarted trainer dead-lettered the cancellation poison records (its own group)");
                return;
            }
            LocalStack.sleep(Duration.ofSeconds(2));
        }
        Timeline.log("NOTE: the restarted trainer did not dead-letter the cancellation poison records again in %s",
                timeout);
    }

    private boolean awaitReady(String service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stack.ready(service)) {
                return true;
            }
            LocalStack.sleep(Duration.ofMillis(500));
        }
        return false;
    }

    // ================================================================== 8. hostile input against every endpoint

    @Test
    @Order(8)
    void s8_hostileInput() throws Exception {
        List<String> problems = new ArrayList<>();
        String existing = SUCCEEDED.isEmpty() ? "no-such-evaluation" : SUCCEEDED.get(SUCCEEDED.size() - 1);
        JsonNode existingView = p.view(existing);
        String existingJob = existingView == null ? null : existingView.path("jobs").path(0).path("jobId").asText(null);
        String shard = null;
        Http.Resp manifest = Http.get(stack.url("dataset-service") + "/api/v1/datasets/synthetic-shapes/splits/train/manifest");
        if (manifest.status() == 200) {
            for (JsonNode s : manifest.json().path("shards")) {
                shard = s.path("name").asText(s.path("file").asText(null));
                break;
            }
        }
        Timeline.log("hostile corpus: existing evaluation %s, job %s, shard %s", existing, existingJob, shard);
        // Variables of the shared corpus: directories and links inside the launcher's allowed root ($DATA/raw).
        Path raw = stack.home.resolve("data/raw");
        Files.createDirectories(raw.resolve("empty-dir"));
        Files.writeString(raw.resolve("file.txt"), "not a dataset");
        if (!Files.exists(raw.resolve("link-inside"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(raw.resolve("link-inside"), raw.resolve("empty-dir"));
            Files.createSymbolicLink(raw.resolve("link-out"), Path.of("/etc"));
        }
        Map<String, String> variables = Map.of("allowedRoot", raw.toString(),
                "emptyDirInRoot", raw.resolve("empty-dir").toString(), "fileInRoot", raw.resolve("file.txt").toString(),
                "symlinkInside", raw.resolve("link-inside").toString(), "symlinkOut", raw.resolve("link-out").toString());
        List<HostileCorpus.Request> sharedCorpus = HostileCorpus.shared(variables);
        Timeline.log("shared corpus io.xscore.testsupport.HostileRequests: %s",
                sharedCorpus.isEmpty() ? "not on the class path (only this module's corpus is replayed)"
                        : sharedCorpus.size() + " requests, replayed after this module's");

        Map<String, Long> gatewayDocs = mongo.counts(MongoProbe.GATEWAY);
        Map<String, Long> scoringDocs = mongo.counts(MongoProbe.SCORING);
        Map<String, Long> topicEnds = topicEnds();
        String datasets = Http.get(stack.url("dataset-service") + "/api/v1/datasets").body();
        List<String> files = dataFiles();

        List<String> internal = List.of(stack.home.toString(), ROOT.toString(), System.getProperty("user.home")
                + "/", "mongodb://", ":" + stack.ports.get("kafka"), ":" + stack.ports.get("mongo"));
        List<HostileCorpus.Request> corpus = new ArrayList<>(HostileCorpus.build(existing, existingJob, shard));
        corpus.addAll(sharedCorpus);
        Map<String, Integer> statuses = new TreeMap<>();
        int noAnswer = 0;
        List<String> silent = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        // A leak is reported once per service, kind and wording (with how often it was seen): the same view
        // answered to many hostile requests would otherwise repeat one finding dozens of times.
        Map<String, List<String>> leaksBySignature = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (HostileCorpus.Request r : corpus) {
            long sent = System.nanoTime();
            RawHttp.Answer a = RawHttp.send(stack.ports.get(r.service()), r.method(), r.target(),
                    HostileCorpus.headersOf(r), r.body(), 30_000);
            double took = (System.nanoTime() - sent) / 1e9;
            if (took > 5) {
                slow.add(String.format("%s -> %d after %.1f s", r.describe(), a.status(), took));
            }
            statuses.merge(r.service() + " " + (a.status() < 0 ? "none" : a.status() / 100 + "xx"), 1, Integer::sum);
            if (a.status() >= 500) {
                problems.add(r.describe() + " -> HTTP " + a.status() + ": " + Platform.abbreviate(a.body(), 300));
            } else if (a.status() < 0) {
                noAnswer++;
                silent.add(r.describe() + " -> " + a.head());
                if (a.head().startsWith("no answer")) {
                    problems.add(r.describe() + " -> " + a.head());
                }
            } else if (r.mustRefuse() && (a.status() < 400 || a.status() >= 500)) {
                problems.add(r.describe() + " -> HTTP " + a.status() + " (expected 4xx): "
                        + Platform.abbreviate(a.body(), 200));
            }
            // /q/* are the management endpoints (health data, Prometheus exception-class labels): not the API.
            boolean management = a.head().isEmpty() || decodedPath(r.target()).startsWith("/q/");
            StringBuilder signature = new StringBuilder();
            List<String> leaks = management ? List.of() : HostileCorpus.leaks(r,
                    a.head().replaceAll("(?m)^(Host|Location):.*$", "") + "\n" + a.body(), internal, signature);
            if (!leaks.isEmpty() && a.status() >= 0) {
                leaksBySignature.computeIfAbsent(r.service() + " HTTP " + a.status() + " " + signature,
                        k -> new ArrayList<>()).add(r.describe() + " -> HTTP " + a.status() + " leaks " + leaks);
            }
        }
        if (!slow.isEmpty()) {
            Timeline.log("hostile requests answered after more than 5 s:\n  %s", String.join("\n  ", slow));
        }
        leaksBySignature.forEach((signature, seen) -> problems.add(seen.get(0) + (seen.size() > 1
                ? " (and " + (seen.size() - 1) + " more answers with the same leak)" : "")));
        Timeline.log("%d hostile requests in %.1f s: %s; %d without an HTTP answer%s", corpus.size(),
                (System.nanoTime() - t0) / 1e9, statuses, noAnswer, silent.isEmpty() ? ""
                        : " (connection closed without a status line, e.g. after an over-long request line or "
                        + "header):\n  " + String.join("\n  ", silent));
        LocalStack.sleep(Duration.ofSeconds(3));
        compare(problems, "documents in " + MongoProbe.GATEWAY, gatewayDocs, mongo.counts(MongoProbe.GATEWAY));
        compare(problems, "documents in " + MongoProbe.SCORING, scoringDocs, mongo.counts(MongoProbe.SCORING));
        compare(problems, "records on the topics", topicEnds, topicEnds());
        if (!datasets.equals(Http.get(stack.url("dataset-service") + "/api/v1/datasets").body())) {
            problems.add("the dataset list changed: " + Platform.abbreviate(datasets, 500) + " -> "
                    + Platform.abbreviate(Http.get(stack.url("dataset-service") + "/api/v1/datasets").body(), 500));
        }
        List<String> filesAfter = dataFiles();
        if (!filesAfter.equals(files)) {
            List<String> added = new ArrayList<>(filesAfter);
            added.removeAll(files);
            List<String> removed = new ArrayList<>(files);
            removed.removeAll(filesAfter);
            problems.add("files under the datasets/augmentation/raw directories changed: added " + added
                    + ", removed " + removed);
        }
        JsonNode after = p.view(existing);
        if (after != null && after.hasNonNull("cancelledAt")) {
            problems.add("the finished evaluation " + existing + " was marked cancelled by a refused request");
        }
        for (String service : LocalStack.SERVICES) {
            if (!awaitReady(service, Duration.ofSeconds(30))) {
                problems.add(service + " not ready after the hostile corpus");
            }
        }
        finish("S8 hostile input (" + corpus.size() + " requests)", problems);
    }

    private static String decodedPath(String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        try {
            path = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (RuntimeException ignored) {
            // malformed escapes: judge the raw path
        }
        java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    private Map<String, Long> topicEnds() {
        Map<String, Long> out = new TreeMap<>();
        for (String t : List.of(Topics.EVALUATION_REQUESTS, Topics.EVALUATION_CANCELLATIONS, Topics.EVALUATION_PLANS,
                Topics.TRAINING_JOBS, Topics.TRAINING_RESULTS, Topics.SCORES)) {
            out.put(t, kafka.endOffset(t));
        }
        return out;
    }

    private List<String> dataFiles() throws IOException {
        List<String> out = new ArrayList<>();
        for (String d : List.of("data/datasets", "data/augmented", "data/raw")) {
            Path dir = stack.home.resolve(d);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.map(x -> stack.home.relativize(x).toString()).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    private static void compare(List<String> problems, String what, Map<String, Long> before, Map<String, Long> after) {
        if (!before.equals(after)) {
            problems.add(what + " changed while only refused requests were made: " + before + " -> " + after);
        }
    }

    // ================================================================== 9. the load benchmark, briefly

    @Test
    @Order(9)
    void s9_loadBenchmarkSmoke() throws Exception {
        List<String> problems = new ArrayList<>();
        // as ./xscore bench load does: an admin's token (the per-caller limit would otherwise be what is measured)
        System.setProperty("xscore.token", TestTokens.token("fault-suite-bench", "admin"));
        LoadBenchmark.Result result = new LoadBenchmark(LoadBenchmark.Options.parse(new String[] {p.gateway(),
            "--clients", "4", "--duration", "8", "--reads", "3", "--seed", "9001"})).run();
        Timeline.log("load benchmark (4 clients, 8 s):\n%s", result.report());
        if (result.errorCount() != 0) {
            problems.add("load benchmark errors: " + result.errors());
        }
        if (result.submitMillis().length == 0 || result.readMillis().length == 0) {
            problems.add("load benchmark made no submission or read");
        }
        finish("S9 load benchmark smoke", problems);
    }

    // ================================================================== helpers

    static void note(String text) {
        NOTES.add(text);
        Timeline.log("NOTE %s", text);
    }

    /** The job id of a training-job record (records are keyed by evaluation id, so it is read from the value). */
    static String jobIdOf(ConsumerRecord<String, String> record) {
        try {
            return Json.MAPPER.readTree(record.value()).path("jobId").asText("?");
        } catch (Exception e) {
            return "undecodable@" + record.partition() + ":" + record.offset();
        }
    }

    static String evalId(String name) {
        return "fault-" + TAG + "-" + name;
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs a step; a failure becomes a problem of the scenario (which goes on collecting evidence). */
    static void step(List<String> problems, String what, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            Timeline.log("step '%s' failed: %s", what, e.getMessage());
            problems.add(what + ": " + e.getMessage());
        }
    }

    /** Logs the outcome, remembers evaluations that succeeded, and fails with every problem. */
    static void finish(String scenario, List<String> problems, String... evaluations) {
        for (String e : evaluations) {
            JsonNode v = p.view(e);
            if (v != null && "SUCCEEDED".equals(v.path("status").asText())) {
                SUCCEEDED.add(e);
            }
        }
        Map<String, Integer> again = p.redeliveries();
        Map<String, Long> jobRecords = kafka.readAll(Topics.TRAINING_JOBS).stream()
                .collect(Collectors.groupingBy(FaultToleranceIT::jobIdOf, Collectors.counting()));
        Timeline.log("so far: %d finished jobs' records came back to the trainer (%d times in all, at most %d for one "
                + "job; answered from its ledger, not retrained); %s has %d records for %d job ids (at most %d for "
                + "one: more than 1 means the job was published again, not just redelivered)", again.size(),
                again.values().stream().mapToInt(Integer::intValue).sum(),
                again.values().stream().mapToInt(Integer::intValue).max().orElse(0), Topics.TRAINING_JOBS,
                jobRecords.values().stream().mapToLong(Long::longValue).sum(), jobRecords.size(),
                jobRecords.values().stream().mapToLong(Long::longValue).max().orElse(0));
        List<String> distinct = problems.stream().distinct().toList();
        OUTCOMES.put(scenario, distinct.isEmpty() ? "PASS" : "FAIL (" + distinct.size() + " problems)");
        Timeline.log("%s: %s%s", scenario, distinct.isEmpty() ? "PASS" : "FAIL",
                distinct.stream().map(x -> "\n  - " + x).collect(Collectors.joining()));
        assertTrue(distinct.isEmpty(), scenario + ": " + distinct.size() + " problems:\n  - "
                + String.join("\n  - ", distinct) + "\nevidence: " + EVIDENCE);
    }

    static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    static boolean sameAccuracy(JsonNode a, JsonNode b) {
        return Objects.equals(a.asText(), b.asText());
    }
}
