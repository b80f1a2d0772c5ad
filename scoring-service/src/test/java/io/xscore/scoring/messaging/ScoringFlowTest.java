package io.xscore.scoring.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.ScoreSet.ModelScore;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.Protocols;
import io.xscore.scoring.repository.ResultRepository;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The scoring service against a real in-JVM Kafka broker and a MongoDB wire-protocol server; this test plays the
 * gateway (plans) and the trainers (results).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class ScoringFlowTest {

    static final String M1 = "convmixer-32-2";
    static final String M2 = "convmixer-64-2";
    static final String FM = "fashion-mnist";
    static final String SS = "synthetic-shapes";


    @Inject
    ResultRepository results;

    @org.junit.jupiter.api.BeforeAll
    static void listen() {
        TestKafka.scores(); // subscribed before anything is published
    }
    @Inject
    MeterRegistry registry;

    @Test
    void resultsAndPlanInAnyOrderGiveOneCompleteScoreSetAndReusedJobsAreScoredFromStore() {
        String evaluation = "eval-" + UUID.randomUUID();
        List<PlannedJob> jobs = List.of(job(M1, FM), job(M1, SS), job(M2, FM), job(M2, SS));
        // M1: 80 / 90, M2: 70 / 60. Anchors FM [70, 80], SS [60, 90]: M1 Â (1, 1) → G 1, V 0, xScore 1 (rank 1);
        // M2 Â (0, 0) → G 0, V 0, xScore 0 (rank 2).
        double[] accuracies = {80, 90, 70, 60};
        List<TrainingResult> rs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rs.add(succeeded(evaluation, jobs.get(i), accuracies[i]));
        }
        double duplicatesBefore = duplicates();

        // One result arrives before the plan.
        TestKafka.produceResult(rs.get(0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/results/" + rs.get(0).jobId()).then().statusCode(200)
                        .body("testAccuracy", equalTo(80.0f)).body("model", equalTo(M1)));

        EvaluationPlan plan = plan(evaluation, jobs, false);
        TestKafka.produce(Topics.EVALUATION_PLANS, evaluation, MessageCodec.encode(plan));
        TestKafka.produceResult(rs.get(1));
        TestKafka.produceResult(rs.get(2));
        TestKafka.produceResult(rs.get(1)); // redelivery
        TestKafka.produceResult(rs.get(3));

        ConsumerRecord<String, String> record = awaitComplete(evaluation);
        ScoreSet set = MessageCodec.decode(record.value(), ScoreSet.class);
        assertEquals("io.xscore.score-set.v1", header(record, "ce_type"));
        assertEquals("xscore/scoring-service", header(record, "ce_source"));
        assertEquals("quick", set.protocol());
        assertFalse(set.paperProtocol());
        assertEquals("recomputed", set.scale());
        assertEquals(List.of(FM, SS), set.datasets());
        assertNull(set.note());
        ModelScore first = set.scores().get(0);
        ModelScore second = set.scores().get(1);
        assertEquals(M1, first.model());
        assertEquals(1.0, first.xscore(), 1e-12);
        assertEquals(1, first.rank());
        assertEquals(0.0, second.xscore(), 1e-12);
        assertEquals(2, second.rank());
        assertEquals(90.0, first.accuracies().get(SS).mean());
        assertEquals(1, first.accuracies().get(SS).seeds());
        XScoreTable expected = XScoreCalculator.defaults().scoreRecomputed(AccuracyTable.builder(List.of(FM, SS))
                .row(M1, 80, 90).row(M2, 70, 60).build());
        for (ModelScore s : set.scores()) {
            assertEquals(expected.model(s.model()).orElseThrow().xscore(), s.xscore(), 1e-12);
            assertEquals(expected.model(s.model()).orElseThrow().g(), s.g(), 1e-12);
            assertEquals(expected.model(s.model()).orElseThrow().v(), s.v(), 1e-12);
        }

        // Exactly one document per job despite the redelivery, which was counted.
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() >= duplicatesBefore + 1);
        List<String> jobIds = jobs.stream().map(PlannedJob::jobId).toList();
        assertEquals(4, results.mongoCollection().countDocuments(Filters.in("jobId", jobIds)));
        given().get("/api/v1/results?evaluationId=" + evaluation).then().statusCode(200)
                .body("size()", equalTo(4)).body("jobId", hasItems(jobIds.toArray()));
        given().get("/api/v1/results?model=" + M2 + "&protocol=quick").then().statusCode(200)
                .body("jobId", hasItems(jobs.get(2).jobId(), jobs.get(3).jobId()));

        // REST returns the same score set; a further redelivery republishes nothing and changes nothing.
        String computedAt = set.computedAt().toString();
        given().get("/api/v1/evaluations/" + evaluation + "/scores").then().statusCode(200)
                .body("complete", equalTo(true)).body("computedAt", equalTo(computedAt))
                .body("scores[0].model", equalTo(M1)).body("scores[0].xscore", equalTo(1.0f));
        TestKafka.produceResult(rs.get(3));
        TestKafka.produce(Topics.EVALUATION_PLANS, evaluation, MessageCodec.encode(plan));
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() >= duplicatesBefore + 2);
        given().get("/api/v1/evaluations/" + evaluation + "/scores").then().statusCode(200)
                .body("computedAt", equalTo(computedAt));
        assertEquals(1, completeSets(evaluation).size(), "an identical score set must not be republished");

        // A second evaluation reusing the same jobs (no new results) is scored from the stored results.
        String reuse = "eval-" + UUID.randomUUID();
        List<PlannedJob> reusedJobs = jobs.stream().map(j -> new PlannedJob(j.jobId(), j.model(), j.dataset(),
                j.seed(), true)).toList();
        TestKafka.produce(Topics.EVALUATION_PLANS, reuse, MessageCodec.encode(plan(reuse, reusedJobs, false)));
        ScoreSet reused = MessageCodec.decode(awaitComplete(reuse).value(), ScoreSet.class);
        assertEquals(reuse, reused.evaluationId());
        assertEquals(set.scores(), reused.scores());
        given().get("/api/v1/evaluations/" + reuse + "/scores").then().statusCode(200).body("complete", equalTo(true));
        given().get("/api/v1/results?evaluationId=" + reuse).then().statusCode(200).body("size()", equalTo(4))
                .body("evaluationId", hasItems(evaluation));
        assertEquals(4, results.mongoCollection().countDocuments(Filters.in("jobId", jobIds)));
    }

    @Test
    void aFailedJobEndsItsModelWithANote() {
        String evaluation = "eval-" + UUID.randomUUID();
        List<PlannedJob> jobs = List.of(job(M1, FM), job(M2, FM));
        double failedBefore = registry.counter("xscore.results.ingested", "status", "failed").count();
        TestKafka.produce(Topics.EVALUATION_PLANS, evaluation, MessageCodec.encode(plan(evaluation, jobs, false)));
        TestKafka.produceResult(succeeded(evaluation, jobs.get(0), 75));
        PlannedJob j = jobs.get(1);
        TestKafka.produceResult(new TrainingResult(1, evaluation, j.jobId(), j.model(), j.dataset(), j.seed(), "quick", false,
                TrainingResult.Status.FAILED, null, null, null, null, null, null, null, null, null, "trainer-a",
                "dataset fashion-mnist is missing", null, Instant.now()));
        ScoreSet set = MessageCodec.decode(awaitComplete(evaluation).value(), ScoreSet.class);
        ModelScore ok = set.scores().get(0);
        ModelScore failed = set.scores().get(1);
        assertEquals(M1, ok.model());
        assertNull(ok.xscore(), "one complete model cannot anchor a recomputed scale");
        assertEquals(75.0, ok.accuracies().get(FM).mean());
        assertEquals("anchors need at least 2 models (1 complete)", set.note());
        assertEquals(M2, failed.model());
        assertTrue(failed.note().contains(j.jobId()) && failed.note().contains("dataset fashion-mnist is missing"),
                failed.note());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                registry.counter("xscore.results.ingested", "status", "failed").count() >= failedBefore + 1);
        given().get("/api/v1/results/" + j.jobId()).then().statusCode(200).body("status", equalTo("FAILED"));
        assertTrue(registry.counter("xscore.scores.computed", "protocol", "quick").count() > 0);
        given().get("/q/metrics").then().body(containsString("xscore_scores_computed_total{protocol=\"quick\"}"));

        // The gateway re-queues a failed job under the same id; its success replaces the failure and the model is scored.
        TestKafka.produceResult(succeeded(evaluation, j, 60));
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() ->
                completeSets(evaluation).stream().map(r -> MessageCodec.decode(r.value(), ScoreSet.class))
                        .anyMatch(s -> s.scores().stream().allMatch(m -> m.xscore() != null)));
        given().get("/api/v1/results/" + j.jobId()).then().statusCode(200).body("status", equalTo("SUCCEEDED"));
        assertEquals(1, results.mongoCollection().countDocuments(Filters.eq("jobId", j.jobId())));
        // ...and a late failure of a job that succeeded changes nothing (refused as stale), nor does a different
        // second success (refused as a conflict: the first stands, as in the gateway's view).
        double staleBefore = registry.counter("xscore.results.refused", "reason", "stale").count();
        double conflictsBefore = registry.counter("xscore.results.refused", "reason", "conflict").count();
        TestKafka.produceResult(new TrainingResult(1, evaluation, j.jobId(), j.model(), j.dataset(), j.seed(), "quick", false,
                TrainingResult.Status.FAILED, null, null, null, null, null, null, null, null, null, "trainer-b",
                "late duplicate", null, Instant.now()));
        TestKafka.produceResult(succeeded(evaluation, j, 99));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                registry.counter("xscore.results.refused", "reason", "stale").count() > staleBefore
                        && registry.counter("xscore.results.refused", "reason", "conflict").count() > conflictsBefore);
        given().get("/api/v1/results/" + j.jobId()).then().statusCode(200).body("testAccuracy", equalTo(60.0f));
        given().get("/api/v1/results/" + j.jobId()).then().statusCode(200).body("status", equalTo("SUCCEEDED"));
    }

    @Test
    void robustnessReportsBecomeTheBoardAndTheModelsScores() {
        String evaluation = "eval-" + UUID.randomUUID();
        String model = "convmixer-24-1";
        List<PlannedJob> jobs = List.of(job(model, FM), job(M2, FM));
        RobustnessSpec spec = io.xscore.common.robustness.RobustnessSuites.resolve(new RobustnessSpec(
                List.of("low-resolution", "pgd"), 50, 0L, new RobustnessSpec.LowResolutionSettings(List.of(16)), null,
                new RobustnessSpec.PgdSettings("linf", List.of(2 / 255.0), 5, null, null)), List.of(model, M2),
                List.of());
        EvaluationPlan plan = plan(evaluation, jobs, false);
        plan = new EvaluationPlan(1, evaluation, "quick", false, plan.models(), plan.datasets(), plan.seeds(),
                plan.jobs(), plan.plannedAt(), spec);
        TestKafka.produce(Topics.EVALUATION_PLANS, evaluation, MessageCodec.encode(plan));
        double[][] values = {{80, 60, 30}, {70, 35, 20}}; // clean, n = 16, PGD
        for (int k = 0; k < 2; k++) {
            TestKafka.produceResult(succeeded(evaluation, jobs.get(k), values[k][0]).withRobustness(
                    new RobustnessReport(spec, 50, "stratified", values[k][0], List.of(
                            RobustnessReport.PerturbedAccuracy.lowResolution("lr0fm-16@32", values[k][1], 16),
                            RobustnessReport.PerturbedAccuracy.pgd("pgd-linf-5", values[k][2], "linf", 2 / 255.0)),
                            null, 2.0)));
        }
        ScoreSet set = MessageCodec.decode(awaitComplete(evaluation).value(), ScoreSet.class);
        assertNotNull(set.robustness(), "the board travels with the score set");
        assertEquals(2, set.robustness().models().size());
        assertEquals(0.75, set.robustness().models().get(0).lowResolution().get(0).gamma().get(FM), 1e-12);
        assertEquals(List.of("lr0fm-16", "pgd-linf-0.00784314"), set.robustness().robustXScores().stream()
                .map(io.xscore.common.messaging.RobustnessBoard.RobustXScore::measure).toList());
        given().get("/api/v1/evaluations/" + evaluation + "/scores").then().statusCode(200)
                .body("robustness.models[1].pgd[0].accuracy.'" + FM + "'", equalTo(20.0f));
        // the model's scores: its row on this evaluation's board, with its robust xScores there
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/scores/" + model).then()
                .statusCode(200)
                .body("robustness.evaluationId", hasItems(evaluation))
                .body("robustness.find { it.evaluationId == '" + evaluation + "' }.robustness.lowResolution[0]"
                        + ".accuracy.'" + FM + "'", equalTo(60.0f))
                .body("robustness.find { it.evaluationId == '" + evaluation + "' }.robustXScores.measure",
                        hasItems("lr0fm-16", "pgd-linf-0.00784314")));
    }

    @Test
    void invalidRecordsAreDeadLetteredAndTheServiceStaysUp() {
        TestKafka.produce(Topics.TRAINING_RESULTS, "k", "not json {");
        TestKafka.produce(Topics.EVALUATION_PLANS, "k", "{\"schemaVersion\":1,\"evaluationId\":\"x\"}");
        ConsumerRecord<String, String> deadResult = TestKafka.kafka().consumeStrings()
                .fromTopics(Topics.deadLetter(Topics.TRAINING_RESULTS, "scoring-service"))
                .awaitRecords(1, Duration.ofSeconds(30)).getRecords().get(0);
        assertEquals("not json {", deadResult.value());
        assertTrue(header(deadResult, Topics.DEAD_LETTER_REASON_HEADER).contains("malformed JSON"));
        ConsumerRecord<String, String> deadPlan = TestKafka.kafka().consumeStrings()
                .fromTopics(Topics.deadLetter(Topics.EVALUATION_PLANS, "scoring-service"))
                .awaitRecords(1, Duration.ofSeconds(30)).getRecords().get(0);
        assertTrue(header(deadPlan, Topics.DEAD_LETTER_REASON_HEADER).contains("violates its schema"),
                header(deadPlan, Topics.DEAD_LETTER_REASON_HEADER));

        // Still consuming: a valid result after the invalid one is stored.
        TrainingResult after = succeeded("eval-" + UUID.randomUUID(), job(M1, SS), 55);
        TestKafka.produceResult(after);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/results/" + after.jobId()).then().statusCode(200));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void httpErrorsAreProblemDetails() {
        given().get("/api/v1/evaluations/unknown-evaluation/scores").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("instance", equalTo("/api/v1/evaluations/unknown-evaluation/scores"));
        given().get("/api/v1/results/" + "0".repeat(32)).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/v1/results/NOT-A-JOB-ID").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("jobId"));
        given().get("/api/v1/results").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void healthMetricsAndOpenApiAreExposed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("SmallRye Reactive Messaging - readiness check",
                        "MongoDB connection health check"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("xscore_results_ingested_total{status=\"succeeded\"}"))
                .body(containsString("xscore_results_ingested_total{status=\"failed\"}"))
                .body(containsString("xscore_results_duplicates_total"))
                .body(containsString("xscore_score_sets_published_total"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/evaluations/{evaluationId}/scores"))
                .body(containsString("/api/v1/results/{jobId}"));
    }

    // ------------------------------------------------------------------ helpers

    private double duplicates() {
        return registry.counter("xscore.results.duplicates").count();
    }

    static PlannedJob job(String model, String dataset) {
        return new PlannedJob(UUID.randomUUID().toString().replace("-", ""), model, dataset, 0, false);
    }

    static EvaluationPlan plan(String evaluation, List<PlannedJob> jobs, boolean paper) {
        List<String> models = jobs.stream().map(PlannedJob::model).distinct().toList();
        List<String> datasets = jobs.stream().map(PlannedJob::dataset).distinct().toList();
        return new EvaluationPlan(1, evaluation, "quick", paper, models, datasets, List.of(0L), jobs, Instant.now());
    }

    static TrainingResult succeeded(String evaluation, PlannedJob job, double accuracy) {
        return new TrainingResult(1, evaluation, job.jobId(), job.model(), job.dataset(), job.seed(), "quick", false,
                TrainingResult.Status.SUCCEEDED, accuracy, List.of(accuracy - 5, accuracy), 0.5, 12_345L, 3.0, 400.0,
                100, 50, 32, "trainer-a", null, Protocols.get("quick"), Instant.now());
    }



    static List<ConsumerRecord<String, String>> completeSets(String evaluation) {
        return TestKafka.scores().getRecords().stream().filter(r -> evaluation.equals(r.key()))
                .filter(r -> MessageCodec.decode(r.value(), ScoreSet.class).complete()).toList();
    }

    static ConsumerRecord<String, String> awaitComplete(String evaluation) {
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                .until(() -> !completeSets(evaluation).isEmpty());
        return completeSets(evaluation).get(0);
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
