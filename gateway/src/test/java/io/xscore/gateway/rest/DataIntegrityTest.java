package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static io.xscore.gateway.rest.EvaluationFlowTest.awaitStatus;
import static io.xscore.gateway.rest.EvaluationFlowTest.endOffset;
import static io.xscore.gateway.rest.EvaluationFlowTest.jobsOf;
import static io.xscore.gateway.rest.EvaluationFlowTest.produce;
import static io.xscore.gateway.rest.EvaluationFlowTest.submit;
import static io.xscore.gateway.rest.EvaluationFlowTest.succeeded;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.common.auth.Roles;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.evaluation.JobState;
import io.xscore.gateway.planner.EvaluationPlanning;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.repository.JobRepository;
import io.xscore.gateway.service.OutboxRelay;
import io.xscore.gateway.service.Reconciler;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What keeps the gateway's view true under faults, against the real in-JVM broker and Mongo server: one rule for
 * competing results, an epoch that never goes back, a planner that plans an evaluation once, the outbox that
 * publishes what the broker did not take, and the reconciler that repairs what Kafka never delivered. Broker and
 * database outages themselves are exercised with real processes by the fault suite (fault-tests).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class DataIntegrityTest {

    /** Every request of these tests is made as a submitter (AuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("data-integrity-tests", Roles.SUBMITTER);
    }

    @Inject
    EvaluationRepository evaluations;

    @Inject
    JobRepository jobs;

    @Inject
    OutboxRelay outbox;

    @Inject
    Reconciler reconciler;

    @BeforeAll
    static void companion() {
        EvaluationFlowTest.kafka = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers());
    }

    @AfterAll
    static void close() {
        EvaluationFlowTest.kafka.close();
    }

    @Test
    void theFirstResultStandsAndADifferentOneIsRefusedAndCounted() {
        String id = submit("""
                {"models":["convmixer-20-1"],"datasets":["synthetic-shapes"],"seeds":[101],"protocol":"quick"}""");
        awaitStatus(id, "RUNNING");
        TrainingJob job = jobsOf(id).get(0);
        double conflictsBefore = metric("xscore_results_refused_total{reason=\"conflict\"}");
        double duplicatesBefore = metric("xscore_results_duplicates_total");

        TrainingResult first = succeeded(job, 61.0);
        produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(first));
        awaitStatus(id, "SCORING");
        produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(first)); // redelivery
        produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(succeeded(job, 99.0))); // conflict
        produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(new TrainingResult(1, id, job.jobId(),
                job.model(), job.dataset(), job.seed(), "quick", false, TrainingResult.Status.FAILED, null, null, null,
                null, null, null, null, null, null, "trainer-b", "late failure", null, Instant.now()))); // stale

        await().atMost(Duration.ofSeconds(20)).until(() ->
                metric("xscore_results_refused_total{reason=\"conflict\"}") == conflictsBefore + 1
                        && metric("xscore_results_duplicates_total") == duplicatesBefore + 1);
        JsonPath view = given().get("/api/v1/evaluations/" + id).then().extract().jsonPath();
        assertEquals("SUCCEEDED", view.getString("jobs[0].state"));
        assertEquals(61.0f, view.getFloat("jobs[0].finalTestAccuracy"));
        assertNull(view.get("jobs[0].failureReason"));
    }

    @Test
    void theEpochShownNeverGoesBackWhenATrainerResumes() {
        String id = submit("""
                {"models":["convmixer-20-2"],"datasets":["synthetic-shapes"],"seeds":[102],"protocol":"quick",
                 "overrides":{"epochs":4}}""");
        awaitStatus(id, "RUNNING");
        TrainingJob job = jobsOf(id).get(0);
        produce(Topics.TRAINING_PROGRESS, job.jobId(), MessageCodec.encode(progress(job, TrainingProgress.Kind.EPOCH, 2)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/evaluations/" + id).then()
                .body("jobs[0].epoch", equalTo(2)));
        // A trainer resuming from the checkpoint after epoch 2 first reports that it started (epoch 0).
        produce(Topics.TRAINING_PROGRESS, job.jobId(), MessageCodec.encode(progress(job, TrainingProgress.Kind.STARTED, 0)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/evaluations/" + id).then()
                .body("jobs[0].trainer", equalTo("trainer-b")));
        given().get("/api/v1/evaluations/" + id).then().body("jobs[0].epoch", equalTo(2));
        produce(Topics.TRAINING_PROGRESS, job.jobId(), MessageCodec.encode(progress(job, TrainingProgress.Kind.HEARTBEAT, 3)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/evaluations/" + id).then()
                .body("jobs[0].epoch", equalTo(3)));
    }

    @Test
    void aRequestDeliveredTwiceIsPlannedOnce() throws Exception {
        EvaluationRequest request = new EvaluationRequest(1, "twice-" + System.nanoTime(), List.of("convmixer-20-3"),
                List.of("synthetic-textures", "synthetic-shapes"), List.of(103L), "quick", null, "test", Instant.now());
        double ignoredBefore = metric("xscore_planner_requests_already_planned_total");
        produce(Topics.EVALUATION_REQUESTS, request.evaluationId(), MessageCodec.encode(request));
        produce(Topics.EVALUATION_REQUESTS, request.evaluationId(), MessageCodec.encode(request));
        Map<TopicPartition, Long> written = endOffsets(Topics.EVALUATION_REQUESTS);
        awaitStatus(request.evaluationId(), "RUNNING");
        // Both records handled: the gateway's group committed past them (same key, same partition, one consumer).
        await().atMost(Duration.ofSeconds(30)).until(() -> committedPast("gateway", written));
        // Counted here, but not only here: other records (another test's outbox relaying) may count too.
        assertTrue(metric("xscore_planner_requests_already_planned_total") >= ignoredBefore + 1);
        List<TrainingJob> published = jobsOf(request.evaluationId());
        assertEquals(2, published.size(), "the jobs are published once: " + published);
        long plans = EvaluationFlowTest.kafka.consumeStrings().fromTopics(Topics.EVALUATION_PLANS)
                .awaitRecords((int) endOffset(Topics.EVALUATION_PLANS), Duration.ofSeconds(20)).getRecords().stream()
                .filter(r -> request.evaluationId().equals(r.key())).count();
        assertEquals(1, plans, "the plan is published once");
    }

    /** Each partition's end offset now. */
    private static Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerTestResource.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    /** Whether the consumer group committed, on every partition, at least the given offsets. */
    private static boolean committedPast(String group, Map<TopicPartition, Long> offsets) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerTestResource.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
        }
    }

    @Test
    void theOutboxPublishesARequestTheBrokerDidNotTakeInTime() {
        // As left by a submission during a broker outage: stored, answered 202, its record not acknowledged.
        String id = "outbox-" + System.nanoTime();
        EvaluationRequest request = new EvaluationRequest(1, id, List.of("convmixer-20-4"), List.of("synthetic-shapes"),
                List.of(104L), "quick", null, "test", Instant.now().minusSeconds(60));
        EvaluationEntity stored = EvaluationEntity.of(request, EvaluationPlanning.protocolOf(request), "rest",
                request.requestedAt());
        stored.requestPending = true;
        evaluations.insertIfAbsent(stored);
        given().get("/api/v1/evaluations/" + id).then().statusCode(200).body("status", equalTo("ACCEPTED"));

        outbox.relay();
        JsonPath view = awaitStatus(id, "RUNNING");
        assertEquals(1, view.getInt("summary.jobs"));
        assertNull(evaluations.findById(id).requestPending, "published: no longer pending");
    }

    @Test
    void aCancellationIsStoredFirstAndPublishedByTheOutboxIfNeeded() {
        String id = submit("""
                {"models":["convmixer-20-5"],"datasets":["synthetic-shapes"],"seeds":[105],"protocol":"quick"}""");
        awaitStatus(id, "RUNNING");
        given().contentType("application/json").body("{\"reason\":\"outbox\"}")
                .post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(202);
        EvaluationEntity cancelled = evaluations.findById(id);
        assertNull(cancelled.cancellationPending, "published at once while the broker is up");
        // As if the broker had not acknowledged it: the relay publishes the same cancellation again.
        long before = endOffset(Topics.EVALUATION_CANCELLATIONS);
        evaluations.mongoCollection().updateOne(com.mongodb.client.model.Filters.eq("_id", id),
                com.mongodb.client.model.Updates.set("cancellationPending", true));
        evaluations.mongoCollection().updateOne(com.mongodb.client.model.Filters.eq("_id", id),
                com.mongodb.client.model.Updates.set("cancelledAt", Instant.now().minusSeconds(60)));
        outbox.relay();
        assertEquals(before + 1, endOffset(Topics.EVALUATION_CANCELLATIONS));
        EvaluationCancellation again = EvaluationFlowTest.kafka.consumeStrings()
                .fromTopics(Topics.EVALUATION_CANCELLATIONS)
                .awaitRecords((int) endOffset(Topics.EVALUATION_CANCELLATIONS), Duration.ofSeconds(20)).getRecords()
                .stream().filter(r -> id.equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), EvaluationCancellation.class)).reduce((a, b) -> b)
                .orElseThrow();
        assertEquals("outbox", again.reason());
        assertEquals(1, again.jobIds().size());
    }

    @Test
    void theReconcilerAppliesResultsAndScoresKafkaNeverDelivered() {
        String id = submit("""
                {"models":["convmixer-20-6"],"datasets":["synthetic-shapes"],"seeds":[106],"protocol":"quick"}""");
        awaitStatus(id, "RUNNING");
        TrainingJob job = jobsOf(id).get(0);
        // The job is running in the view, and its result is stored by the scoring service but never reached us.
        produce(Topics.TRAINING_PROGRESS, job.jobId(), MessageCodec.encode(progress(job, TrainingProgress.Kind.EPOCH, 1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.findById(job.jobId()).state == JobState.RUNNING);
        jobs.mongoCollection().updateOne(com.mongodb.client.model.Filters.eq("_id", job.jobId()),
                com.mongodb.client.model.Updates.set("updatedAt", Instant.now().minusSeconds(600)));
        ScoringProxyTest.EchoScoringService.STORED.put("/api/v1/results/" + job.jobId(),
                MessageCodec.encode(succeeded(job, 72.5)));
        ScoreSet scores = new ScoreSet(1, id, "quick", false, "recomputed", 0.5, "sample",
                List.of("synthetic-shapes"), List.of(new ScoreSet.ModelScore("convmixer-20-6",
                        Map.of("synthetic-shapes", new ScoreSet.DatasetAccuracy(72.5, 0.0, 1)), null, null, null, 1,
                        null)), true, null, Instant.now());
        ScoringProxyTest.EchoScoringService.STORED.put("/api/v1/evaluations/" + id + "/scores",
                MessageCodec.encode(scores));

        assertTrue(reconciler.reconcile() >= 1);
        given().get("/api/v1/evaluations/" + id).then().body("jobs[0].state", equalTo("SUCCEEDED"))
                .body("jobs[0].finalTestAccuracy", equalTo(72.5f));
        // The score set is due once the evaluation's jobs ended and no complete set came for reconcile-after.
        evaluations.mongoCollection().updateOne(com.mongodb.client.model.Filters.eq("_id", id),
                com.mongodb.client.model.Updates.set("scoresComputedAt", Instant.now().minusSeconds(600)));
        reconciler.reconcile();
        awaitStatus(id, "SUCCEEDED");
    }

    @Test
    void eachEpochIsKeptOnceInTheJobsHistory() {
        String id = submit("""
                {"models":["convmixer-20-7"],"datasets":["synthetic-shapes"],"seeds":[107],"protocol":"quick",
                 "overrides":{"epochs":2}}""");
        awaitStatus(id, "RUNNING");
        TrainingJob job = jobsOf(id).get(0);
        Instant t1 = Instant.parse("2030-01-01T00:01:00Z");
        jobs.applyProgress(epoch(job, TrainingProgress.Kind.EPOCH, 1, 2.0, 30.0, 40.0, 1e-3, t1));
        jobs.applyProgress(epoch(job, TrainingProgress.Kind.EPOCH, 2, 1.5, 45.0, 55.0, 5e-4, t1.plusSeconds(60)));
        JsonPath view = given().get("/api/v1/evaluations/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 2), view.getList("jobs[0].history.epoch"));
        assertEquals(List.of(2.0f, 1.5f), view.getList("jobs[0].history.trainLoss"));
        assertEquals(List.of(30.0f, 45.0f), view.getList("jobs[0].history.trainAccuracy"));
        assertEquals(List.of(40.0f, 55.0f), view.getList("jobs[0].history.testAccuracy"));
        assertEquals(List.of(1e-3f, 5e-4f), view.getList("jobs[0].history.learningRate"));
        assertEquals(t1, Instant.parse(view.getString("jobs[0].history[0].at")));

        // A redelivered epoch and a heartbeat add no point; an attempt that resumes and reports epoch 2 again
        // replaces that epoch's point.
        jobs.applyProgress(epoch(job, TrainingProgress.Kind.EPOCH, 1, 2.0, 30.0, 40.0, 1e-3, t1));
        jobs.applyProgress(epoch(job, TrainingProgress.Kind.HEARTBEAT, 1, 1.7, null, null, null, t1.plusSeconds(90)));
        jobs.applyProgress(epoch(job, TrainingProgress.Kind.EPOCH, 2, 1.4, 46.0, 56.0, 5e-4, t1.plusSeconds(120)));
        view = given().get("/api/v1/evaluations/" + id).then().extract().jsonPath();
        assertEquals(List.of(1, 2), view.getList("jobs[0].history.epoch"));
        assertEquals(List.of(2.0f, 1.4f), view.getList("jobs[0].history.trainLoss"));
        assertEquals(List.of(40.0f, 56.0f), view.getList("jobs[0].history.testAccuracy"));

        // The result keeps the history the progress drew (its per-epoch accuracies fill only missing epochs).
        jobs.applyResult(succeeded(job, 56.0));
        view = given().get("/api/v1/evaluations/" + id).then().extract().jsonPath();
        assertEquals("SUCCEEDED", view.getString("jobs[0].state"));
        assertEquals(List.of(1, 2), view.getList("jobs[0].history.epoch"));
        assertEquals(List.of(2.0f, 1.4f), view.getList("jobs[0].history.trainLoss"));
        assertEquals(List.of(50.0, 56.0), jobs.findById(job.jobId()).epochTestAccuracies);
    }

    @Test
    void aJobWithoutProgressShowsItsResultsEpochsAndALateEpochStillCounts() {
        String id = submit("""
                {"models":["convmixer-20-8"],"datasets":["synthetic-shapes"],"seeds":[108],"protocol":"quick",
                 "overrides":{"epochs":2}}""");
        JsonPath view = awaitStatus(id, "RUNNING");
        assertNull(view.get("jobs[0].history"), "no history before any epoch");
        TrainingJob job = jobsOf(id).get(0);
        // As for a job reused from a run whose progress the gateway never stored: only the result's accuracies.
        jobs.applyResult(succeeded(job, 64.0));
        view = given().get("/api/v1/evaluations/" + id).then().extract().jsonPath();
        assertEquals(List.of(1, 2), view.getList("jobs[0].history.epoch"));
        assertEquals(List.of(50.0f, 64.0f), view.getList("jobs[0].history.testAccuracy"));
        assertNull(view.get("jobs[0].history[0].trainLoss"));

        // The last epoch's progress overtaken by the result (another topic) still enters the history, and only it.
        jobs.applyProgress(epoch(job, TrainingProgress.Kind.EPOCH, 2, 0.9, 70.0, 64.0, 1e-4, Instant.now()));
        view = given().get("/api/v1/evaluations/" + id).then().extract().jsonPath();
        assertEquals("SUCCEEDED", view.getString("jobs[0].state"));
        assertEquals(List.of(1, 2), view.getList("jobs[0].history.epoch"));
        assertEquals(0.9f, view.getFloat("jobs[0].history[1].trainLoss"));
        assertNull(view.get("jobs[0].history[0].trainLoss"));
        assertNull(view.get("jobs[0].trainLoss"), "the job's latest numbers stay as the result left them");
    }

    static TrainingProgress epoch(TrainingJob job, TrainingProgress.Kind kind, int epoch, Double trainLoss,
                                  Double trainAccuracy, Double testAccuracy, Double learningRate, Instant at) {
        return new TrainingProgress(1, job.evaluationId(), job.jobId(), job.model(), job.dataset(), job.seed(), "quick",
                kind, epoch, job.protocol().epochs(), trainLoss, trainAccuracy, testAccuracy, learningRate, 100.0, 10.0,
                "trainer-a", at);
    }

    static TrainingProgress progress(TrainingJob job, TrainingProgress.Kind kind, int epoch) {
        return new TrainingProgress(1, job.evaluationId(), job.jobId(), job.model(), job.dataset(), job.seed(), "quick",
                kind, epoch, job.protocol().epochs(), 1.0, null, null, null, 100.0, 10.0,
                kind == TrainingProgress.Kind.EPOCH ? "trainer-a" : "trainer-b", Instant.now());
    }

    static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series.replace("}", ",") ))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
