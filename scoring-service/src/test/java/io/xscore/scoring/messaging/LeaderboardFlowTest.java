package io.xscore.scoring.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.Protocols;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.repository.ReferenceRepository;
import io.xscore.scoring.repository.ResultRepository;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * From Kafka to the leaderboard on the real in-JVM broker and Mongo server: a paper-protocol model on all 7 datasets
 * (two seeds), one on the 4 proxy datasets only (with a redelivered duplicate result), and a quick-protocol model.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class LeaderboardFlowTest {

    static final List<String> SEVEN = List.of("imagenette", "cifar10", "cifar100", "ham10000", "stanford_dogs",
            "mit_indoor67", "miniplaces");
    static final List<String> PROXY = List.of("cifar10", "ham10000", "stanford_dogs", "mit_indoor67");
    static final String FULL = "convmixer-96-3";
    static final String PROXIED = "convmixer-48-3";
    static final String QUICK = "convmixer-40-5";
    /** FULL's accuracies per dataset (seed 0 = value − 1, seed 1 = value + 1). */
    static final Map<String, Double> FULL_ACC = Map.of("imagenette", 88.0, "cifar10", 96.0, "cifar100", 79.0,
            "ham10000", 80.0, "stanford_dogs", 60.0, "mit_indoor67", 58.0, "miniplaces", 60.0);
    static final Map<String, Double> PROXY_ACC = Map.of("cifar10", 93.5, "ham10000", 78.0, "stanford_dogs", 52.0,
            "mit_indoor67", 47.0);


    @Inject
    ReferenceRepository references;
    @Inject
    ResultRepository results;

    @org.junit.jupiter.api.BeforeAll
    static void listen() {
        TestKafka.scores(); // subscribed before anything is published
    }

    @Test
    void paperResultsReachTheLeaderboardOnTheReferenceScale() {
        // full model: all 7 datasets × 2 seeds
        String e1 = "eval-" + UUID.randomUUID();
        EvaluationPlan full = plan(e1, "paper-v1", true, FULL, SEVEN, List.of(0L, 1L));
        TestKafka.produce(Topics.EVALUATION_PLANS, e1, MessageCodec.encode(full));
        for (PlannedJob j : full.jobs()) {
            TestKafka.produceResult(result(e1, j, "paper-v1", true, FULL_ACC.get(j.dataset()) + (j.seed() == 0 ? -1 : 1)));
        }
        // proxy model: the 4 proxy datasets, one result redelivered
        String e2 = "eval-" + UUID.randomUUID();
        EvaluationPlan proxy = plan(e2, "paper-v1", true, PROXIED, PROXY, List.of(0L));
        TestKafka.produce(Topics.EVALUATION_PLANS, e2, MessageCodec.encode(proxy));
        List<TrainingResult> proxyResults = proxy.jobs().stream()
                .map(j -> result(e2, j, "paper-v1", true, PROXY_ACC.get(j.dataset()))).toList();
        proxyResults.forEach(TestKafka::produceResult);
        TestKafka.produceResult(proxyResults.get(1)); // redelivery
        // quick model: never on the paper leaderboard
        String e3 = "eval-" + UUID.randomUUID();
        EvaluationPlan quick = plan(e3, "quick", false, QUICK, List.of("fashion-mnist"), List.of(0L));
        TestKafka.produce(Topics.EVALUATION_PLANS, e3, MessageCodec.encode(quick));
        TestKafka.produceResult(result(e3, quick.jobs().get(0), "quick", false, 91.0));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonPath board = get("/api/v1/leaderboard");
            assertTrue(entry(board, FULL, "evaluated") != null && entry(board, PROXIED, "evaluated") != null,
                    "both evaluated models listed");
            // Results arrive over several partitions in any order: wait until every one of them is in.
            Map<?, ?> accuracies = (Map<?, ?>) entry(board, FULL, "evaluated").get("accuracies");
            assertEquals(SEVEN.size(), accuracies.size(), "all seven datasets of the full model");
            for (Object cell : accuracies.values()) {
                assertEquals(2.0, ((Number) ((Map<?, ?>) cell).get("seeds")).doubleValue());
            }
            assertEquals(PROXY.size(), ((Map<?, ?>) entry(board, PROXIED, "evaluated").get("accuracies")).size());
        });
        assertEquals(1, results.mongoCollection().countDocuments(Filters.eq("jobId", proxyResults.get(1).jobId())));

        JsonPath board = get("/api/v1/leaderboard");
        assertEquals("paper-v1", board.getString("protocol"));
        assertEquals("reference", board.getString("scale"));
        assertEquals(SEVEN, board.getList("datasets"));
        assertEquals(List.of("cifar10", "ham10000", "stanford_dogs", "mit_indoor67"), board.getList("proxy.datasets"));

        // the 11 reference models keep exactly their reference xScores
        XScoreTable reference = XScoreCalculator.defaults().scoreRecomputed(ReferenceData.paper().table());
        List<Map<String, Object>> entries = board.getList("entries");
        assertEquals(11, entries.stream().filter(e -> "reference".equals(e.get("source"))).count());
        for (ModelXScore m : reference.models()) {
            Map<String, Object> e = entry(board, m.model(), "reference");
            assertEquals(m.xscore(), num(e, "xscore"), 1e-12, m.model());
            assertEquals(m.g(), num(e, "g"), 1e-12, m.model());
            assertEquals("full", e.get("kind"));
        }
        // the reference MobileViT row says which network it is: not the zoo's mobilevit
        assertTrue(((String) entry(board, "mobilevit", "reference").get("note")).contains("4,667,562"));
        assertEquals(null, entry(board, "convmixer", "reference").get("note"));
        // the full model: its fixed-anchor xScore on the seed means, by a direct computation
        Map<String, Object> f = entry(board, FULL, "evaluated");
        assertEquals("full", f.get("kind"));
        assertEquals(direct(FULL_ACC), num(f, "xscore"), 1e-9);
        Map<?, ?> cifar = (Map<?, ?>) ((Map<?, ?>) f.get("accuracies")).get("cifar10");
        assertEquals(96.0, ((Number) cifar.get("mean")).doubleValue(), 1e-12);
        assertEquals(1.0, ((Number) cifar.get("stderr")).doubleValue(), 1e-12); // sd √2 / √2
        // the proxy model: its proxy xScore, labelled
        Map<String, Object> p = entry(board, PROXIED, "evaluated");
        assertEquals("proxy", p.get("kind"));
        ReferenceScale scale = ReferenceScale.of(ReferenceData.paper(), XScoreCalculator.defaults(), 4);
        assertEquals(scale.proxy().predict(PROXY_ACC), num(p, "xscore"), 1e-12);
        assertTrue(((String) p.get("note")).startsWith("proxy:"));
        assertNull(p.get("g"));
        // ranks: competition ranking over everything scored, in order
        List<Double> xs = entries.stream().filter(e -> e.get("rank") != null).map(e -> num(e, "xscore")).toList();
        for (int i = 1; i < xs.size(); i++) {
            assertTrue(xs.get(i - 1) >= xs.get(i));
        }
        assertEquals(13, xs.size());
        // quick never on the paper board; on its own, recomputed
        assertFalse(entries.stream().anyMatch(e -> QUICK.equals(e.get("model"))));
        // the quick result travels on its own partition: the wait above covers only the paper models
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                given().get("/api/v1/leaderboard?protocol=quick").then().statusCode(200)
                        .body("scale", equalTo("recomputed")).body("protocol", equalTo("quick"))
                        .body("entries.model", hasItem(QUICK)).body("entries.protocol", hasItem("quick")));

        // λ and a dataset subset
        JsonPath l2 = get("/api/v1/leaderboard?lambda=2");
        XScoreTable ref2 = new XScoreCalculator(2, io.xscore.scoring.xscore.VarianceDivisor.SAMPLE)
                .scoreRecomputed(ReferenceData.paper().table());
        assertEquals(ref2.model("tinynet").orElseThrow().xscore(), num(entry(l2, "tinynet", "reference"), "xscore"),
                1e-12);
        JsonPath sub = get("/api/v1/leaderboard?datasets=cifar10,ham10000");
        assertNull(entry(sub, QUICK, "evaluated"), "a quick-protocol model is never on the paper board");
        assertEquals("full", entry(sub, PROXIED, "evaluated").get("kind"), "has both datasets");
        assertNull(sub.get("proxy"));

        // the evaluation score sets were published on the reference scale
        await().atMost(Duration.ofSeconds(30)).until(() -> published(e2) != null && published(e1) != null);
        ScoreSet s2 = published(e2);
        assertEquals("reference", s2.scale());
        assertEquals(scale.proxy().predict(PROXY_ACC), s2.scores().get(0).xscore(), 1e-12);
        assertTrue(s2.scores().get(0).note().startsWith("proxy:"));
        assertEquals(direct(FULL_ACC), published(e1).scores().get(0).xscore(), 1e-9);

        // per-model scores, proxy subsets, diagnostics
        given().get("/api/v1/scores/" + PROXIED).then().statusCode(200)
                .body("entries[0].protocol", equalTo("paper-v1")).body("entries[0].entry.kind", equalTo("proxy"));
        given().get("/api/v1/scores/efficientnet").then().statusCode(200)
                .body("entries[0].entry.source", equalTo("reference"))
                .body("entries[0].entry.rank", equalTo(((Number) entry(board, "efficientnet", "reference").get("rank"))
                        .intValue()));
        given().get("/api/v1/scores/no-such-model").then().statusCode(404).contentType("application/problem+json");
        JsonPath subsets = get("/api/v1/proxy-subsets");
        assertEquals(35, subsets.getList("subsets").size());
        assertEquals(12, subsets.getList("models").size(), "11 reference + the full evaluated model");
        assertEquals(1, subsets.getInt("evaluatedModels"));
        double best = subsets.getDouble("best.r2");
        subsets.getList("subsets", Map.class).stream().skip(1).forEach(s -> assertTrue(num(s, "r2") < best));
        assertEquals(21, get("/api/v1/proxy-subsets?k=2").getList("subsets").size(), "C(7,2)");
        JsonPath diag = get("/api/v1/diagnostics");
        assertEquals(6, diag.getList("lambdaSweep.lambdas").size());
        assertEquals(12, diag.getInt("imagenetteCorrelation.models"));
        assertTrue(diag.getDouble("imagenetteCorrelation.pearson") > 0);
        assertEquals(List.of("efficientnet"), diag.getList("bestWorst.stanford_dogs.best").stream()
                .filter(m -> !FULL.equals(m)).toList());
    }

    @Test
    void referenceTableIsSeededOnceAndReseedingNeverDuplicates() {
        assertEquals(77, references.count());
        references.seed(ReferenceData.paper());
        references.seed(ReferenceData.paper());
        assertEquals(77, references.count());
        AccuracyTable stored = references.load("paper-v1").orElseThrow().table();
        assertEquals(ReferenceData.paper().table().toString(), stored.toString());
    }

    @Test
    void leaderboardParametersAreValidated() {
        given().get("/api/v1/leaderboard?lambda=abc").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("lambda"));
        given().get("/api/v1/leaderboard?lambda=-1").then().statusCode(400).body("field", equalTo("lambda"));
        given().get("/api/v1/leaderboard?lambda=NaN").then().statusCode(400).body("field", equalTo("lambda"));
        given().get("/api/v1/leaderboard?protocol=nope").then().statusCode(400).body("field", equalTo("protocol"));
        given().get("/api/v1/leaderboard?datasets=fashion-mnist").then().statusCode(400)
                .body("field", equalTo("datasets"));
        given().get("/api/v1/leaderboard?datasets=cifar10,cifar10").then().statusCode(400)
                .body("field", equalTo("datasets"));
        given().get("/api/v1/proxy-subsets?k=9").then().statusCode(400).body("field", equalTo("k"));
        given().get("/api/v1/diagnostics?lambda=Infinity").then().statusCode(400).body("field", equalTo("lambda"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/api/v1/leaderboard"))
                .body(org.hamcrest.Matchers.containsString("/api/v1/xscore"))
                .body(org.hamcrest.Matchers.containsString("/api/v1/proxy-subsets"))
                .body(org.hamcrest.Matchers.containsString("/api/v1/diagnostics"))
                .body(org.hamcrest.Matchers.containsString("/api/v1/scores/{model}"));
    }

    // ------------------------------------------------------------------ helpers

    static double direct(Map<String, Double> acc) {
        AccuracyTable ref = ReferenceData.paper().table();
        double[] n = new double[SEVEN.size()];
        double g = 0;
        for (int j = 0; j < n.length; j++) {
            double[] col = ref.column(SEVEN.get(j));
            double min = java.util.Arrays.stream(col).min().orElseThrow();
            double max = java.util.Arrays.stream(col).max().orElseThrow();
            n[j] = (acc.get(SEVEN.get(j)) - min) / (max - min);
            g += n[j] / n.length;
        }
        double ss = 0;
        for (double v : n) {
            ss += (v - g) * (v - g);
        }
        return g - 0.5 * ss / (n.length - 1);
    }

    static JsonPath get(String path) {
        String body = given().get(path).then().statusCode(200).extract().asString();
        return JsonPath.from(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    static Map<String, Object> entry(JsonPath board, String model, String source) {
        List<Map<String, Object>> entries = board.getList("entries");
        return entries.stream().filter(e -> model.equals(e.get("model")) && source.equals(e.get("source")))
                .findFirst().orElse(null);
    }

    static double num(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    static ScoreSet published(String evaluation) {
        return TestKafka.scores().getRecords().stream().filter(r -> evaluation.equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), ScoreSet.class)).filter(ScoreSet::complete)
                .reduce((a, b) -> b).orElse(null);
    }

    static EvaluationPlan plan(String evaluation, String protocol, boolean paper, String model, List<String> datasets,
                               List<Long> seeds) {
        List<PlannedJob> jobs = new ArrayList<>();
        for (String d : datasets) {
            for (long s : seeds) {
                jobs.add(new PlannedJob(UUID.randomUUID().toString().replace("-", ""), model, d, s, false));
            }
        }
        return new EvaluationPlan(1, evaluation, protocol, paper, List.of(model), datasets, seeds, jobs, Instant.now());
    }

    static TrainingResult result(String evaluation, PlannedJob j, String protocol, boolean paper, double accuracy) {
        return new TrainingResult(1, evaluation, j.jobId(), j.model(), j.dataset(), j.seed(), protocol, paper,
                TrainingResult.Status.SUCCEEDED, accuracy, List.of(accuracy), 0.5, 12_345L, 3.0, 400.0, 100, 50, 32,
                "trainer-a", null, Protocols.get(protocol), Instant.now());
    }



}
