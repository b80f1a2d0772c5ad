package io.xscore.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.auth.Roles;
import io.xscore.common.json.Json;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end: REST → Kafka → trainer (real DJL training on real Fashion-MNIST and a synthetic dataset) → scoring →
 * MongoDB → REST, with the four packaged services as separate processes on a real Kafka broker and a real MongoDB
 * wire-protocol server (both started in this test JVM).
 */
@ExtendWith(Platform.Started.class)
class PlatformIT {

    static final Path LOGS = Platform.LOGS;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Map<String, ServiceProcess> SERVICES = new LinkedHashMap<>();
    static Path work;
    static OtlpReceiver TRACES;

    @BeforeAll
    static void usePlatform() {
        Platform platform = Platform.get();
        SERVICES.putAll(platform.services);
        TRACES = platform.traces;
        work = platform.work;
    }

    /** With all three robustness suites, small: 100 images, two corruptions, two PGD radii of 3 steps. */
    static final String REQUEST = """
            {"models":["convmixer-32-4","convmixer-64-4"],"datasets":["fashion-mnist","synthetic-textures"],"seeds":[0],
             "protocol":"quick","overrides":{"testSubset":500},
             "robustness":{"suites":["low-resolution","corruptions","pgd"],"images":100,
                           "corruptions":{"names":["gaussian_noise","contrast"]},
                           "pgd":{"epsilons":[0.00784313725490196,0.03137254901960784],"steps":3}}}""";

    @Test
    void evaluationRunsThroughEveryService() throws Exception {
        HttpResponse<String> accepted = post("/api/v1/evaluations", REQUEST);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = Json.MAPPER.readTree(accepted.body()).path("id").asText();

        // Progress is visible while it runs: some job reports an epoch before the evaluation finishes.
        List<String> seenStates = new ArrayList<>();
        // About 2 minutes on an idle 2-core machine; generous because CI machines may be shared.
        JsonNode done = awaitTerminal(id, Duration.ofMinutes(15), seenStates);
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toPrettyString());
        assertTrue(seenStates.contains("RUNNING"), "progress was never reported: " + seenStates);

        assertEquals(4, done.path("summary").path("succeeded").asInt());
        for (JsonNode job : done.path("jobs")) {
            double accuracy = job.path("finalTestAccuracy").asDouble();
            assertTrue(job.path("parameterCount").asLong() > 1_000, job.toString());
            assertEquals(3, job.path("epoch").asInt(), job.toString());
            // Ten classes each: chance is 10 %. Three quick epochs on 2,000 real Fashion-MNIST images reach about
            // 65-75 % (measured), synthetic textures 55-70 %.
            double floor = job.path("dataset").asText().equals("fashion-mnist") ? 50.0 : 30.0;
            assertTrue(accuracy > floor, "accuracy well above chance (> " + floor + " %) expected: " + job);
        }

        JsonNode scores = done.path("scores");
        assertTrue(scores.path("complete").asBoolean(), scores.toPrettyString());
        assertEquals("quick", scores.path("protocol").asText());
        assertEquals("recomputed", scores.path("scale").asText());
        assertEquals(2, scores.path("scores").size());
        for (JsonNode s : scores.path("scores")) {
            assertTrue(s.path("xscore").isNumber(), s.toString());
            assertTrue(s.path("rank").asInt() >= 1, s.toString());
        }

        // Every job ran the suites on its final weights; the board is on the score set.
        JsonNode board = scores.path("robustness");
        assertEquals(2, board.path("models").size(), board.toPrettyString());
        for (JsonNode m : board.path("models")) {
            for (String d : List.of("fashion-mnist", "synthetic-textures")) {
                assertTrue(m.path("cleanAccuracy").path(d).isNumber(), m.toString());
                JsonNode low = m.path("lowResolution").get(0);
                assertEquals(16, low.path("shorterSide").asInt(), "n=16 is the only resolution below 32 px: " + m);
                assertTrue(low.path("gamma").path(d).isNumber() && low.path("improvedGamma").path(d).isNumber(),
                        m.toString());
                assertTrue(m.path("corruptions").path("mce").path(d).isNumber(), m.toString());
                assertEquals(10, m.path("corruptions").path("accuracy").size(), "2 corruptions × 5 severities");
                double weak = m.path("pgd").get(0).path("accuracy").path(d).asDouble();
                double strong = m.path("pgd").get(1).path("accuracy").path(d).asDouble();
                assertTrue(strong <= weak && weak <= m.path("cleanAccuracy").path(d).asDouble(),
                        "PGD accuracy never rises with ε: " + m);
            }
            assertTrue(m.path("lowResolution").get(0).path("sarImprovedGamma").isNumber(), m.toString());
            assertTrue(m.path("corruptions").path("meanCorruptionAccuracy").isNumber(), m.toString());
        }
        assertEquals(4, board.path("robustXScores").size(), "n=16, mean corruption, two PGD radii: " + board);
        assertEquals("convmixer-32-4", board.path("models").get(0).path("corruptions").path("baseline").asText());
        HttpResponse<String> modelScores = get(SERVICES.get("gateway"), "/api/v1/scores/convmixer-64-4");
        assertEquals(200, modelScores.statusCode(), modelScores.body());
        assertTrue(Json.MAPPER.readTree(modelScores.body()).path("robustness").get(0).path("robustXScores").isArray(),
                modelScores.body());

        // The scoring service stored exactly one result per job in MongoDB.
        HttpResponse<String> results = get(SERVICES.get("scoring-service"), "/api/v1/results?evaluationId=" + id);
        assertEquals(200, results.statusCode(), results.body());
        assertEquals(4, Json.MAPPER.readTree(results.body()).size(), results.body());

        evaluationIsOneTrace(id, done);

        // The same evaluation again is answered from the stored results, without retraining.
        HttpResponse<String> again = post("/api/v1/evaluations", REQUEST);
        String againId = Json.MAPPER.readTree(again.body()).path("id").asText();
        JsonNode reused = awaitTerminal(againId, Duration.ofMinutes(2), new ArrayList<>());
        assertEquals("SUCCEEDED", reused.path("status").asText(), reused.toPrettyString());
        assertEquals(4, reused.path("summary").path("reused").asInt());
        assertEquals(scores.path("scores").get(0).path("xscore").asDouble(),
                reused.path("scores").path("scores").get(0).path("xscore").asDouble(), 1e-12);

        // Every service exposes Prometheus metrics with the platform's own meters.
        String trainerMetrics = get(SERVICES.get("trainer-service"), "/q/metrics").body();
        assertTrue(trainerMetrics.contains("xscore_jobs_total"), "trainer metrics lack xscore_jobs_total");
        assertTrue(trainerMetrics.contains("xscore_training_epoch_seconds"), "trainer metrics lack epoch timing");
        assertTrue(get(SERVICES.get("scoring-service"), "/q/metrics").body().contains("xscore_scores_computed_total"));
        assertTrue(get(SERVICES.get("gateway"), "/q/metrics").body().contains("xscore_jobs_published_total"));
        for (ServiceProcess service : SERVICES.values()) {
            JsonNode health = Json.MAPPER.readTree(get(service, "/q/health").body());
            assertEquals("UP", health.path("status").asText(), service.name + " " + health);
        }
    }

    @Test
    void gatewayServesTheTrainersAndDatasetServicesReadApis() throws Exception {
        HttpResponse<String> models = get(SERVICES.get("gateway"), "/api/v1/models");
        assertEquals(200, models.statusCode(), models.body());
        assertEquals(get(SERVICES.get("trainer-service"), "/api/v1/models").body(), models.body(),
                "the trainer's catalog, unchanged");
        HttpResponse<String> datasets = get(SERVICES.get("gateway"), "/api/v1/datasets");
        assertEquals(200, datasets.statusCode(), datasets.body());
        assertTrue(datasets.body().contains("fashion-mnist"), datasets.body());
        HttpResponse<String> status = get(SERVICES.get("gateway"), "/api/v1/datasets/fashion-mnist/status");
        assertEquals(200, status.statusCode(), status.body());
        assertEquals("fashion-mnist", Json.MAPPER.readTree(status.body()).path("id").asText(), status.body());
        HttpResponse<String> unknown = get(SERVICES.get("gateway"), "/api/v1/datasets/no-such-dataset/status");
        assertEquals(404, unknown.statusCode(), unknown.body());
    }

    @Test
    void gatewayServesTheScoringServicesPublicEndpoints() throws Exception {
        HttpResponse<String> leaderboard = get(SERVICES.get("gateway"), "/api/v1/leaderboard?lambda=0.5");
        assertEquals(200, leaderboard.statusCode(), leaderboard.body());
        assertTrue(leaderboard.body().contains("efficientnet") && leaderboard.body().contains("convnext"),
                leaderboard.body());

        HttpResponse<String> xscore = post("/api/v1/xscore", """
                {"lambda":0.5,"anchors":"recompute","accuracies":{
                  "a":{"cifar10":90,"ham10000":70},"b":{"cifar10":80,"ham10000":75},"c":{"cifar10":85,"ham10000":80}}}""");
        assertEquals(200, xscore.statusCode(), xscore.body());
        JsonNode models = Json.MAPPER.readTree(xscore.body()).path("models");
        assertEquals(3, models.size(), xscore.body());
        // c: normalised (0.5, 1) → G 0.75, V 0.125 → xScore 0.6875, the best of the three.
        JsonNode c = null;
        for (JsonNode m : models) {
            if (m.path("model").asText().equals("c")) {
                c = m;
            }
        }
        assertNotNull(c, xscore.body());
        assertEquals(0.6875, c.path("xscore").asDouble(), 1e-12);
        assertEquals(1, c.path("rank").asInt());

        HttpResponse<String> bad = post("/api/v1/xscore",
                "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":101},\"b\":{\"cifar10\":50}}}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("accuracies.a.cifar10", Json.MAPPER.readTree(bad.body()).path("field").asText());
    }

    @Test
    void invalidRequestIsRejectedWithProblemJson() throws Exception {
        HttpResponse<String> rejected = post("/api/v1/evaluations",
                "{\"models\":[\"convmixer\"],\"datasets\":[\"imagenet-1k\"],\"seeds\":[0],\"protocol\":\"quick\"}");
        assertEquals(400, rejected.statusCode());
        assertTrue(rejected.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        assertEquals("datasets[0]", Json.MAPPER.readTree(rejected.body()).path("field").asText());
    }

    /**
     * The augmentation cache across processes: the dataset service pre-computes the epochs of a paper-pipeline job
     * (RandAugment + ColorJitter), and the trainer streams them instead of augmenting, which the job records. The
     * epochs are requested and awaited first, so that the trainer finds every one ready (no race with training).
     * Epoch 1 is also "mounted" where the trainer reads shards from disk; epoch 2 comes over HTTP.
     */
    @Test
    void trainerStreamsEpochsPrecomputedByTheDatasetService() throws Exception {
        ServiceProcess datasets = SERVICES.get("dataset-service");
        String warm = "{\"split\":\"train\",\"augmentation\":\"paper\",\"resolution\":32,\"seed\":4,"
                + "\"epochs\":[0,1]}";
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(datasets.url()
                        + "/api/v1/datasets/synthetic-shapes/augmented")).header("Content-Type", "application/json")
                .header("Authorization", TestTokens.bearer("e2e-trainer", Roles.SERVICE))
                .POST(HttpRequest.BodyPublishers.ofString(warm)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String location = accepted.headers().firstValue("Location").orElseThrow();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode status = Json.MAPPER.readTree(get(datasets, location).body());
            List<String> states = new ArrayList<>();
            status.path("epochs").forEach(e -> states.add(e.path("state").asText()));
            assertTrue(!states.contains("FAILED"), status.toPrettyString());
            return states.equals(List.of("READY", "READY"));
        });
        String key = location.substring(location.lastIndexOf('/') + 1);
        Path served = work.resolve("augmented").resolve("synthetic-shapes").resolve(key).resolve("epoch-00000");
        Path mounted = work.resolve("augmented-mount").resolve("synthetic-shapes").resolve(key).resolve("epoch-00000");
        Files.createDirectories(mounted);
        try (var shards = Files.list(served)) {
            for (Path shard : shards.filter(f -> f.toString().endsWith(".xsh")).toList()) {
                Files.copy(shard, mounted.resolve(shard.getFileName()));
            }
        }

        String pilot = "{\"models\":[\"convmixer-32-2\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[4],"
                + "\"protocol\":\"pilot\",\"overrides\":{\"epochs\":2,\"trainSubset\":1000,\"testSubset\":200}}";
        HttpResponse<String> submitted = post("/api/v1/evaluations", pilot);
        assertEquals(202, submitted.statusCode(), submitted.body());
        String id = Json.MAPPER.readTree(submitted.body()).path("id").asText();
        JsonNode done = awaitTerminal(id, Duration.ofMinutes(10), new ArrayList<>());
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toPrettyString());
        JsonNode job = done.path("jobs").get(0);
        assertEquals("cache", job.path("augmentationSource").asText(), job.toString());
        assertTrue(job.path("trainer").asText().contains("paper/cifar-style"), job.toString());
        assertTrue(get(datasets, "/q/metrics").body().contains("xscore_dataset_augmentation_cache_hits_total"));
        // the first epoch's shard was read from the mounted directory, the second's came over HTTP
        String trainerLog = Files.readString(SERVICES.get("trainer-service").log);
        String fromCache = "synthetic-shapes: epoch %d from the augmentation cache (key " + key + "; shards read from "
                + work.resolve("augmented-mount") + " so far: 1)";
        assertTrue(trainerLog.contains(String.format(fromCache, 1)), "epoch 1 not read from the mounted directory");
        assertTrue(trainerLog.contains(String.format(fromCache, 2)), "epoch 2 not fetched over HTTP");
    }

    /**
     * One evaluation is one trace (issue 14): the trace the gateway started for the POST is the trace of every
     * training job's span, travels on each TrainingResult record as its {@code traceparent} header, and is the trace
     * of the scoring service's span for each result and of its score computation; each job span leads back, parent by
     * parent, to the POST (through the request record, the planning span and the job record).
     */
    static void evaluationIsOneTrace(String id, JsonNode done) throws Exception {
        List<String> jobIds = new ArrayList<>();
        done.path("jobs").forEach(j -> jobIds.add(j.path("jobId").asText()));
        // spans are exported within a fraction of a second of ending; the score set's consumption ends last
        Map<String, OtlpReceiver.ExportedSpan> jobSpans = new HashMap<>();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            jobSpans.clear();
            for (OtlpReceiver.ExportedSpan span : TRACES.spans()) {
                String job = span.attributes().get("xscore.job.id");
                if (span.name().equals("train " + job) && jobIds.contains(job)) {
                    jobSpans.put(job, span);
                }
            }
            return jobSpans.size() == jobIds.size() && TRACES.trace(jobSpans.get(jobIds.get(0)).traceId()).stream()
                    .filter(s -> s.name().equals("score " + id)).count() >= jobIds.size()
                    && TRACES.trace(jobSpans.get(jobIds.get(0)).traceId()).stream()
                    .anyMatch(s -> s.service().equals("gateway") && s.name().startsWith("xscore.scores"));
            });
        } catch (ConditionTimeoutException e) {
            // the assertions below say what is missing
        }
        assertEquals(jobIds.size(), jobSpans.size(), "a span per training job: " + jobSpans.keySet());
        String traceId = jobSpans.get(jobIds.get(0)).traceId();
        List<OtlpReceiver.ExportedSpan> trace = TRACES.trace(traceId);
        Map<String, OtlpReceiver.ExportedSpan> byId = new HashMap<>();
        trace.forEach(s -> byId.put(s.spanId(), s));
        printTrace(id, trace);

        OtlpReceiver.ExportedSpan post = trace.stream().filter(OtlpReceiver.ExportedSpan::root).findFirst()
                .orElseThrow(() -> new AssertionError("no root span in trace " + traceId));
        assertEquals("gateway", post.service(), post.toString());
        assertEquals("SERVER", post.kind(), post.toString());
        assertTrue(post.name().startsWith("POST") && post.name().contains("/api/v1/evaluations"), post.toString());
        assertEquals(1, trace.stream().filter(OtlpReceiver.ExportedSpan::root).count(), "one root: the POST");
        // The request record may be planned more than once (a planning that waited for a dataset is completed by
        // the request published again through the outbox, in the stored context): each planning is in this trace.
        List<String> plans = trace.stream().filter(s -> s.name().equals("plan " + id))
                .peek(s -> assertEquals("gateway", s.service())).map(OtlpReceiver.ExportedSpan::spanId).toList();
        assertTrue(!plans.isEmpty(), "no planning span in the POST's trace");
        for (String job : jobIds) {
            OtlpReceiver.ExportedSpan train = jobSpans.get(job);
            assertEquals(traceId, train.traceId(), "job " + job + " in the POST's trace");
            List<String> path = ancestry(train, byId);
            assertEquals(post.spanId(), path.get(path.size() - 1), "job " + job + " leads back to the POST");
            assertTrue(path.stream().anyMatch(plans::contains), "job " + job + " was published by a planning span");
            assertEquals(id, train.attributes().get("xscore.evaluation.id"), train.toString());
            assertEquals(3, train.events().stream().filter(e -> e.startsWith("epoch ")).count(), train.toString());
            // the scoring service's span for the job's result record: a consumer span whose parent is the trainer's
            // publication of that record (a child of the job span), with the score computation under it
            List<String> published = trace.stream().filter(s -> train.spanId().equals(s.parentSpanId())
                    && s.name().startsWith("xscore.training-results")).map(OtlpReceiver.ExportedSpan::spanId).toList();
            List<String> consumed = trace.stream().filter(s -> s.service().contains("scoring")
                    && published.contains(s.parentSpanId())).map(OtlpReceiver.ExportedSpan::spanId).toList();
            assertTrue(!consumed.isEmpty(), "the scoring service's span for the result of " + job);
            assertTrue(trace.stream().anyMatch(s -> s.name().equals("score " + id) && consumed.contains(
                    s.parentSpanId())), "the score computation for the result of " + job);
        }

        assertTrue(trace.stream().anyMatch(s -> s.service().contains("scoring") && s.name().equals("score " + id)),
                "the scoring service's score computation is in the trace");
        assertTrue(trace.stream().anyMatch(s -> s.service().equals("gateway") && s.name().startsWith("xscore.scores")),
                "the gateway's consumption of the score set is in the trace");

        // The TrainingResult records themselves carry the trace (traceparent header), read from the topic.
        Map<String, String> carried = resultTraceparents(jobIds);
        for (String job : jobIds) {
            String traceparent = carried.get(job);
            assertNotNull(traceparent, "the result record of " + job + " has no traceparent header");
            assertEquals(traceId, traceparent.split("-")[1], "the result record of " + job + ": " + traceparent);
        }
    }

    /** The span ids from the span's parent up to its trace's root. */
    static List<String> ancestry(OtlpReceiver.ExportedSpan span, Map<String, OtlpReceiver.ExportedSpan> byId) {
        List<String> path = new ArrayList<>();
        OtlpReceiver.ExportedSpan at = span;
        while (!at.root()) {
            path.add(at.parentSpanId());
            at = byId.get(at.parentSpanId());
            assertNotNull(at, "a span's parent was not exported: " + path);
        }
        return path;
    }

    static Map<String, String> resultTraceparents(List<String> jobIds) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerTestResource.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                "e2e-trace-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, String> carried = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("xscore.training-results"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!carried.keySet().containsAll(jobIds) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    Header h = r.headers().lastHeader("traceparent");
                    if (jobIds.contains(r.key()) && h != null) {
                        carried.put(r.key(), new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return carried;
    }

    /** The trace as a tree: service, span name, kind (children indented under their parent). */
    static void printTrace(String id, List<OtlpReceiver.ExportedSpan> trace) {
        Map<String, List<OtlpReceiver.ExportedSpan>> children = new HashMap<>();
        trace.forEach(s -> children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s));
        StringBuilder out = new StringBuilder("trace " + trace.get(0).traceId() + " of evaluation " + id + ": "
                + trace.size() + " spans\n");
        printSpans(children.getOrDefault("", List.of()), children, 1, out);
        System.out.println(out);
    }

    private static void printSpans(List<OtlpReceiver.ExportedSpan> spans,
            Map<String, List<OtlpReceiver.ExportedSpan>> children, int depth, StringBuilder out) {
        for (OtlpReceiver.ExportedSpan s : spans) {
            out.append("  ".repeat(depth)).append(s.service()).append(" | ").append(s.name()).append(" | ")
                    .append(s.kind()).append(" | span ").append(s.spanId()).append(" parent ")
                    .append(s.root() ? "-" : s.parentSpanId());
            s.events().forEach(e -> out.append("\n").append("  ".repeat(depth + 2)).append("event ").append(e));
            out.append('\n');
            printSpans(children.getOrDefault(s.spanId(), List.of()), children, depth + 1, out);
        }
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode awaitTerminal(String id, Duration timeout, List<String> seenStates) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode view = Json.MAPPER.readTree(get(SERVICES.get("gateway"), "/api/v1/evaluations/" + id).body());
            view.path("jobs").forEach(j -> seenStates.add(j.path("state").asText()));
            String status = view.path("status").asText();
            if (List.of("SUCCEEDED", "FAILED", "COMPLETED_WITH_FAILURES").contains(status)) {
                return view;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("evaluation " + id + " not finished in " + timeout + ": "
                        + view.toPrettyString() + "\nlogs in " + LOGS);
            }
            Thread.sleep(500);
        }
    }

    static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(SERVICES.get("gateway").url() + path))
                .header("Authorization", TestTokens.bearer("e2e", Roles.SUBMITTER))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(ServiceProcess service, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + path))
                        .header("Authorization", TestTokens.bearer("e2e", Roles.VIEWER)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
