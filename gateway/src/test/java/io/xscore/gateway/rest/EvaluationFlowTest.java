package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.common.auth.Roles;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway against a real in-JVM Kafka broker and a MongoDB wire-protocol server. Trainers and the scoring service
 * are played by this test, writing the records they would write.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DatasetServiceFixture.class, restrictToAnnotatedClass = false)
class EvaluationFlowTest {

    /** Every request of these tests is made as a submitter (AuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("evaluation-flow-tests", Roles.SUBMITTER);
    }

    static KafkaCompanion kafka;

    @Inject
    EvaluationRepository evaluations;

    @BeforeAll
    static void companion() {
        kafka = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers());
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    static final String REQUEST = """
            {"models":["convmixer-32-2","convmixer-64-2"],"datasets":["fashion-mnist","synthetic-shapes"],
             "seeds":[0],"protocol":"quick","overrides":{"epochs":2}}""";

    @Test
    void submitPlanProgressResultScoreAndReuse() {
        long jobsBefore = endOffset(Topics.TRAINING_JOBS);
        String location = given().contentType(ContentType.JSON).body(REQUEST)
                .when().post("/api/v1/evaluations")
                .then().statusCode(202)
                .body("status", equalTo("ACCEPTED"))
                .body("protocol", equalTo("quick"))
                .body("paperProtocol", equalTo(false))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        // The planner fans out 4 jobs, publishes them keyed by evaluation id (one partition, longest first), and the plan.
        JsonPath planned = awaitStatus(id, "RUNNING");
        assertEquals(4, planned.getInt("summary.jobs"));
        assertEquals(4, planned.getInt("summary.queued"));
        assertEquals(jobsBefore + 4, endOffset(Topics.TRAINING_JOBS));
        List<TrainingJob> jobs = kafka.consumeStrings().fromTopics(Topics.TRAINING_JOBS)
                .awaitRecords((int) (jobsBefore + 4), Duration.ofSeconds(20)).getRecords().stream()
                .map(r -> { TrainingJob j = MessageCodec.decode(r.value(), TrainingJob.class); assertEquals(j.evaluationId(), r.key()); return j; })
                .filter(j -> j.evaluationId().equals(id)).toList();
        assertEquals(4, jobs.size());
        assertTrue(jobs.stream().allMatch(j -> j.protocol().epochs() == 2 && !j.protocol().paper()));
        EvaluationPlan plan = kafka.consumeStrings().fromTopics(Topics.EVALUATION_PLANS)
                .awaitRecords((int) endOffset(Topics.EVALUATION_PLANS), Duration.ofSeconds(20)).getRecords().stream()
                .map(r -> MessageCodec.decode(r.value(), EvaluationPlan.class))
                .filter(p -> p.evaluationId().equals(id)).findFirst().orElseThrow();
        assertEquals(4, plan.jobs().size());

        // A trainer reports progress, then results.
        TrainingJob first = jobs.get(0);
        produce(Topics.TRAINING_PROGRESS, first.jobId(), MessageCodec.encode(new TrainingProgress(1, id, first.jobId(),
                first.model(), first.dataset(), 0, "quick", TrainingProgress.Kind.EPOCH, 1, 2, 1.5, 40.0, 55.0, 1e-3,
                321.0, 10.0, "trainer-a", Instant.now())));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get(location).then()
                .body("jobs.find { it.jobId == '" + first.jobId() + "' }.state", equalTo("RUNNING"))
                .body("jobs.find { it.jobId == '" + first.jobId() + "' }.epoch", equalTo(1))
                .body("jobs.find { it.jobId == '" + first.jobId() + "' }.testAccuracy", equalTo(55.0f)));

        for (TrainingJob job : jobs) {
            produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(succeeded(job, 80.0)));
        }
        awaitStatus(id, "SCORING");
        // A late heartbeat of a finished job does not undo its result.
        produce(Topics.TRAINING_PROGRESS, first.jobId(), MessageCodec.encode(new TrainingProgress(1, id, first.jobId(),
                first.model(), first.dataset(), 0, "quick", TrainingProgress.Kind.HEARTBEAT, 1, 2, null, null, null,
                null, null, null, "trainer-a", Instant.now())));

        ScoreSet scores = new ScoreSet(1, id, "quick", false, "recomputed", 0.5, "sample",
                List.of("fashion-mnist", "synthetic-shapes"),
                List.of(new ScoreSet.ModelScore("convmixer-64-2", Map.of(), 1.0, 0.0, 1.0, 1, null),
                        new ScoreSet.ModelScore("convmixer-32-2", Map.of(), 0.0, 0.0, 0.0, 2, null)),
                true, null, Instant.now());
        produce(Topics.SCORES, id, MessageCodec.encode(scores));
        JsonPath done = awaitStatus(id, "SUCCEEDED");
        assertEquals(4, done.getInt("summary.succeeded"));
        assertEquals("convmixer-64-2", done.getString("scores.scores[0].model"));
        assertEquals(80.0f, done.getFloat("jobs.find { it.jobId == '" + first.jobId() + "' }.finalTestAccuracy"));
        assertEquals("cache", done.getString("jobs.find { it.jobId == '" + first.jobId() + "' }.augmentationSource"));

        // The same evaluation again reuses every finished job: nothing new is queued.
        String again = given().contentType(ContentType.JSON).body(REQUEST).post("/api/v1/evaluations")
                .then().statusCode(202).extract().header("Location");
        String againId = again.substring(again.lastIndexOf('/') + 1);
        JsonPath reused = awaitStatus(againId, "SCORING");
        assertEquals(4, reused.getInt("summary.reused"));
        assertEquals(jobsBefore + 4, endOffset(Topics.TRAINING_JOBS));
    }

    @Test
    void failedJobsAreRequeuedOnResubmission() {
        String body = """
                {"models":["convmixer-16-1"],"datasets":["synthetic-textures"],"seeds":[3],"protocol":"quick"}""";
        String id = submit(body);
        awaitStatus(id, "RUNNING");
        TrainingJob job = jobsOf(id).get(0);
        produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(new TrainingResult(1, id, job.jobId(),
                job.model(), job.dataset(), 3, "quick", false, TrainingResult.Status.FAILED, null, null, null, null,
                null, null, null, null, null, "trainer-a", "dataset unavailable", null, Instant.now())));
        JsonPath failed = awaitStatus(id, "FAILED");
        assertEquals("dataset unavailable", failed.getString("jobs[0].failureReason"));
        // The event stream of a finished evaluation sends its final view and ends.
        String events = given().accept("text/event-stream").get("/api/v1/evaluations/" + id + "/events")
                .then().statusCode(200).extract().asString();
        assertTrue(events.startsWith("data:") && events.contains("\"status\":\"FAILED\""), events);
        given().accept("text/event-stream").get("/api/v1/evaluations/nope/events").then().statusCode(404);

        long before = endOffset(Topics.TRAINING_JOBS);
        String retry = submit(body);
        JsonPath running = awaitStatus(retry, "RUNNING");
        assertEquals(0, running.getInt("summary.reused"));
        assertEquals(before + 1, endOffset(Topics.TRAINING_JOBS));
    }

    @Test
    void cancellationReachesTheTrainersTopicAndEndsTheEvaluation() {
        String id = submit("""
                {"models":["convmixer-24-1","convmixer-24-2"],"datasets":["synthetic-shapes"],"seeds":[5],"protocol":"quick"}""");
        awaitStatus(id, "RUNNING");
        List<TrainingJob> jobs = jobsOf(id);
        produce(Topics.TRAINING_RESULTS, jobs.get(0).jobId(), MessageCodec.encode(succeeded(jobs.get(0), 50.0)));
        given().contentType(ContentType.JSON).body("{\"reason\":\"wrong grid\"}")
                .post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(202)
                .body("status", equalTo("CANCELLING")).body("cancelReason", equalTo("wrong grid"));
        EvaluationCancellation cancellation = kafka.consumeStrings().fromTopics(Topics.EVALUATION_CANCELLATIONS)
                .awaitRecords((int) endOffset(Topics.EVALUATION_CANCELLATIONS), Duration.ofSeconds(20)).getRecords()
                .stream().filter(r -> id.equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), EvaluationCancellation.class)).findFirst().orElseThrow();
        assertEquals("wrong grid", cancellation.reason());
        assertEquals(jobs.stream().map(TrainingJob::jobId).sorted().toList(),
                cancellation.jobIds().stream().sorted().toList(), "no other evaluation awaits its jobs");
        // Cancelling again changes nothing; the trainer reports the stopped job, and the evaluation is CANCELLED.
        given().post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(202)
                .body("cancelReason", equalTo("wrong grid"));
        TrainingJob stopped = jobs.get(1);
        produce(Topics.TRAINING_RESULTS, stopped.jobId(), MessageCodec.encode(new TrainingResult(1, id, stopped.jobId(),
                stopped.model(), stopped.dataset(), 5, "quick", false, TrainingResult.Status.FAILED, null, null, null,
                null, null, null, null, null, null, "trainer-a", "cancelled by request: wrong grid", null,
                Instant.now())));
        awaitStatus(id, "CANCELLED");
        given().post("/api/v1/evaluations/does-not-exist/cancel").then().statusCode(404);
    }

    @Test
    void cancellingAnEvaluationLeavesJobsThatAnotherOneAwaits() {
        String first = submit("""
                {"models":["convmixer-40-1","convmixer-40-2"],"datasets":["synthetic-textures"],"seeds":[11],"protocol":"quick"}""");
        awaitStatus(first, "RUNNING");
        String second = submit("""
                {"models":["convmixer-40-2"],"datasets":["synthetic-textures"],"seeds":[11],"protocol":"quick"}""");
        awaitStatus(second, "RUNNING");
        List<TrainingJob> queued = jobsOf(first);
        String shared = queued.stream().filter(j -> j.model().equals("convmixer-40-2")).findFirst().orElseThrow().jobId();
        String own = queued.stream().filter(j -> j.model().equals("convmixer-40-1")).findFirst().orElseThrow().jobId();
        assertTrue(jobsOf(second).isEmpty(), "the second evaluation shares the queued job instead of queueing it again");

        given().post("/api/v1/evaluations/" + first + "/cancel").then().statusCode(202);
        EvaluationCancellation cancellation = kafka.consumeStrings().fromTopics(Topics.EVALUATION_CANCELLATIONS)
                .awaitRecords((int) endOffset(Topics.EVALUATION_CANCELLATIONS), Duration.ofSeconds(20)).getRecords()
                .stream().filter(r -> first.equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), EvaluationCancellation.class)).findFirst().orElseThrow();
        assertEquals(List.of(own), cancellation.jobIds());
        assertTrue(cancellation.stops(own) && !cancellation.stops(shared));

        // the shared job finishes for the second evaluation, which goes on to scoring (no scoring service here)
        TrainingJob sharedJob = queued.stream().filter(j -> j.jobId().equals(shared)).findFirst().orElseThrow();
        produce(Topics.TRAINING_RESULTS, shared, MessageCodec.encode(succeeded(sharedJob, 60.0)));
        JsonPath scoring = awaitStatus(second, "SCORING");
        assertEquals("SUCCEEDED", scoring.getString("jobs[0].state"));
    }

    @Test
    void degenerateOverridesAreAcceptedWithAWarning() {
        String oneEpoch = "{\"models\":[\"convmixer-44-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[3],"
                + "\"protocol\":\"quick\",\"overrides\":{\"epochs\":1}}";
        String warned = given().contentType(ContentType.JSON).body(oneEpoch).post("/api/v1/evaluations").then()
                .statusCode(202)
                .body("warnings", hasSize(1))
                .body("warnings[0]", containsString("whole run trains at lr_min"))
                .extract().path("id");
        String plain = "{\"models\":[\"convmixer-44-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[3],"
                + "\"protocol\":\"quick\"}";
        String quiet = given().contentType(ContentType.JSON).body(plain).post("/api/v1/evaluations").then()
                .statusCode(202)
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("warnings")))
                .extract().path("id");
        // planned before the test ends: other tests count the jobs published on the shared topic
        awaitStatus(warned, "RUNNING");
        awaitStatus(quiet, "RUNNING");
    }

    @Test
    void finishedEvaluationsCannotBeCancelled() {
        String id = submit("""
                {"models":["convmixer-12-1"],"datasets":["synthetic-textures"],"seeds":[9],"protocol":"quick"}""");
        awaitStatus(id, "RUNNING");
        TrainingJob job = jobsOf(id).get(0);
        produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(new TrainingResult(1, id, job.jobId(),
                job.model(), job.dataset(), 9, "quick", false, TrainingResult.Status.FAILED, null, null, null, null,
                null, null, null, null, null, "trainer-a", "boom", null, Instant.now())));
        awaitStatus(id, "FAILED");
        given().post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void clientChosenIdsMakeSubmissionIdempotent() {
        String body = """
                {"evaluationId":"my-eval-1","models":["convmixer-16-2"],"datasets":["synthetic-shapes"],"seeds":[0],"protocol":"quick"}""";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/evaluations").then().statusCode(202);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/evaluations").then().statusCode(200)
                .body("id", equalTo("my-eval-1"));
        given().contentType(ContentType.JSON).body(body.replace("[0]", "[1]")).post("/api/v1/evaluations")
                .then().statusCode(409).contentType("application/problem+json").body("field", equalTo("evaluationId"));
    }

    @Test
    void robustnessSuitesAreResolvedOntoThePlanAndEveryJob() {
        String id = submit("""
                {"models":["convmixer-16-1","convmixer-16-2"],"datasets":["synthetic-shapes"],"seeds":[0],
                 "protocol":"quick","robustness":{"suites":["pgd","corruptions"],"images":64,
                 "corruptions":{"names":["zoom_blur","defocus_blur"],"severities":[3],"baseline":"convmixer-16-2"}}}""");
        JsonPath view = awaitStatus(id, "RUNNING");
        assertEquals(List.of("corruptions", "pgd"), view.getList("robustness.suites"));
        assertEquals("convmixer-16-2", view.getString("robustness.corruptions.baseline"));
        assertEquals(10, view.getInt("robustness.pgd.steps"), "defaults written out");
        List<TrainingJob> jobs = jobsOf(id);
        assertEquals(2, jobs.size());
        for (TrainingJob job : jobs) {
            assertEquals(64, job.robustness().images());
            assertEquals(List.of("defocus_blur", "zoom_blur"), job.robustness().corruptions().names(),
                    "the platform's order");
            assertEquals(io.xscore.common.protocol.JobIds.robustnessDigest(job.robustness()),
                    job.identity().robustness());
            assertEquals(io.xscore.common.protocol.JobIds.jobId(job.model(), job.dataset(), job.seed(),
                    job.identity()), job.jobId(), "the suites are part of the job id");
        }
        EvaluationPlan plan = kafka.consumeStrings().fromTopics(Topics.EVALUATION_PLANS)
                .awaitRecords((int) endOffset(Topics.EVALUATION_PLANS), Duration.ofSeconds(20)).getRecords().stream()
                .map(r -> MessageCodec.decode(r.value(), EvaluationPlan.class))
                .filter(p -> p.evaluationId().equals(id)).findFirst().orElseThrow();
        assertEquals(jobs.get(0).robustness(), plan.robustness());

        // Every corruption the platform generates is a valid name on the wire (e.g. frost-procedural)
        String all = submit("""
                {"models":["convmixer-16-1"],"datasets":["synthetic-shapes"],"seeds":[1],"protocol":"quick",
                 "robustness":{"suites":["corruptions"]}}""");
        awaitStatus(all, "RUNNING");
        assertEquals(io.xscore.augment.Corruptions.NAMES, jobsOf(all).get(0).robustness().corruptions().names());

        // The same grid without suites is other jobs: their results measure less.
        String plain = submit("""
                {"models":["convmixer-16-1"],"datasets":["synthetic-shapes"],"seeds":[0],"protocol":"quick"}""");
        awaitStatus(plain, "RUNNING");
        TrainingJob plainJob = jobsOf(plain).get(0);
        assertEquals(null, plainJob.robustness());
        assertTrue(jobs.stream().noneMatch(j -> j.jobId().equals(plainJob.jobId())));
    }

    @Test
    void aJobsAdversarialExampleComesFromATrainerWithTheJobAsPlanned() {
        String id = submit("""
                {"models":["convmixer-16-3"],"datasets":["synthetic-shapes"],"seeds":[4],"protocol":"quick",
                 "overrides":{"epochs":2}}""");
        awaitStatus(id, "RUNNING");
        TrainingJob job = jobsOf(id).get(0);
        byte[] png = given().get("/api/v1/evaluations/" + id + "/jobs/" + job.jobId()
                        + "/adversarial-example?index=3&epsilon=0.01&steps=5&scale=2")
                .then().statusCode(200).contentType("image/png")
                .header("X-Xscore-Clean-Correct", "true").header("X-Xscore-Adversarial-Correct", "false")
                .extract().asByteArray();
        assertEquals((byte) 0x89, png[0], "a PNG, passed through");
        var sent = TrainerServiceFixture.lastExampleRequest;
        TrainingJob asSent = MessageCodec.decode(sent.path("job").toString(), TrainingJob.class);
        assertEquals(job.jobId(), asSent.jobId());
        assertEquals(2, asSent.protocol().epochs(), "the resolved protocol, overrides applied");
        assertEquals(job.identity(), asSent.identity());
        assertEquals(io.xscore.common.protocol.JobIds.jobId(asSent.model(), asSent.dataset(), asSent.seed(),
                asSent.identity()), asSent.jobId(), "the trainer can check the job's identity");
        assertEquals(3, sent.path("index").asInt());
        assertEquals(0.01, sent.path("pgd").path("epsilons").get(0).asDouble());
        assertEquals(5, sent.path("pgd").path("steps").asInt());

        given().get("/api/v1/evaluations/" + id + "/jobs/" + job.jobId() + "/adversarial-example?index=999")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no stored checkpoint"));
        given().get("/api/v1/evaluations/" + id + "/jobs/" + "0".repeat(32) + "/adversarial-example?index=1")
                .then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/evaluations/" + id + "/jobs/" + job.jobId() + "/adversarial-example")
                .then().statusCode(400).body("field", equalTo("index"));
    }

    @Test
    void robustnessRulesBeyondTheSchemaAreProblems() {
        long stored = evaluations.count();
        given().contentType(ContentType.JSON).body("""
                {"models":["convmixer-16-1"],"datasets":["synthetic-shapes"],"seeds":[0],"protocol":"quick",
                 "robustness":{"suites":["corruptions"],"corruptions":{"names":["contrast","sunburn"]}}}""")
                .post("/api/v1/evaluations").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("robustness.corruptions.names[1]"))
                .body("detail", containsString("sunburn"));
        given().contentType(ContentType.JSON).body("""
                {"models":["convmixer-16-1"],"datasets":["synthetic-shapes"],"seeds":[0],"protocol":"quick",
                 "robustness":{"suites":["corruptions"],"corruptions":{"baseline":"mobilenet"}}}""")
                .post("/api/v1/evaluations").then().statusCode(400)
                .body("field", equalTo("robustness.corruptions.baseline"));
        given().contentType(ContentType.JSON).body("""
                {"models":["convmixer-16-1"],"datasets":["synthetic-shapes"],"seeds":[0],"protocol":"quick",
                 "robustness":{"suites":["gaussian-blur"]}}""")
                .post("/api/v1/evaluations").then().statusCode(400)
                .body("field", containsString("robustness.suites"));
        given().contentType(ContentType.JSON).body("""
                {"models":["convmixer-16-1"],"datasets":["synthetic-shapes"],"seeds":[0],"protocol":"quick",
                 "robustness":{"suites":["pgd"],"pgd":{"epsilons":[8]}}}""")
                .post("/api/v1/evaluations").then().statusCode(400)
                .body("field", equalTo("robustness.pgd.epsilons")).body("detail", containsString("4/255"));
        assertEquals(stored, evaluations.count());
    }

    @Test
    void invalidRequestsGetProblemJsonAndStoreNothing() {
        long stored = evaluations.count();
        given().contentType(ContentType.JSON).body("{\"models\":[\"convmixer\",\"vgg\"],\"datasets\":[\"cifar10\"],"
                        + "\"seeds\":[0],\"protocol\":\"quick\"}")
                .post("/api/v1/evaluations").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("field", equalTo("models[1]"))
                .body("detail", containsString("vgg"));
        given().contentType(ContentType.JSON).body("{\"models\":[\"convmixer\"],\"datasets\":[\"cifar10\"],"
                        + "\"seeds\":[-5],\"protocol\":\"quick\"}")
                .post("/api/v1/evaluations").then().statusCode(400).body("field", equalTo("seeds[0]"));
        given().contentType(ContentType.JSON).body("{\"models\": [\"convmixer\"")
                .post("/api/v1/evaluations").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("body"))
                .body("detail", startsWith("body: malformed JSON"));
        given().contentType(ContentType.JSON).body("")
                .post("/api/v1/evaluations").then().statusCode(400).body("field", equalTo("body"));
        String huge = "{\"models\":[\"convmixer\"],\"datasets\":[\"cifar10\"],\"seeds\":[0],\"protocol\":\"quick\","
                + "\"requestedBy\":\"" + "x".repeat(70_000) + "\"}";
        given().contentType(ContentType.JSON).body(huge.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/evaluations").then().statusCode(413)
                .contentType("application/problem+json").body("field", equalTo("body"));
        given().get("/api/v1/evaluations/does-not-exist").then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(stored, evaluations.count(), "no evaluation may be stored for an invalid request");
    }

    @Test
    void requestsWrittenStraightToKafkaArePlannedOrDeadLettered() {
        long stored = evaluations.count();
        produce(Topics.EVALUATION_REQUESTS, null, "{\"schemaVersion\":1,\"models\":[\"convmixer\"],"
                + "\"datasets\":[\"mnist-3d\"],\"seeds\":[0],\"protocol\":\"quick\"}");
        produce(Topics.EVALUATION_REQUESTS, null, "not json at all");
        List<ConsumerRecord<String, String>> dead = kafka.consumeStrings()
                .fromTopics(Topics.deadLetter(Topics.EVALUATION_REQUESTS, "gateway"))
                .awaitRecords(2, Duration.ofSeconds(30)).getRecords();
        List<String> reasons = dead.stream().map(r -> new String(r.headers().lastHeader(Topics.DEAD_LETTER_REASON_HEADER)
                .value(), StandardCharsets.UTF_8)).collect(Collectors.toList());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("datasets[0]") && r.contains("mnist-3d")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("malformed JSON")), reasons.toString());

        // A valid request from another service, without an id, is planned under a derived id.
        produce(Topics.EVALUATION_REQUESTS, null, "{\"schemaVersion\":1,\"models\":[\"convmixer-8-1\"],"
                + "\"datasets\":[\"synthetic-shapes\"],\"seeds\":[42],\"protocol\":\"quick\",\"requestedBy\":\"ci-bot\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> evaluations.count() == stored + 1);
        JsonPath list = given().get("/api/v1/evaluations?limit=200").then().statusCode(200).extract().jsonPath();
        String id = list.getString("find { it.models == ['convmixer-8-1'] }.id");
        assertTrue(id.startsWith("kafka-"), id);
        JsonPath view = awaitStatus(id, "RUNNING");
        assertEquals("kafka", view.getString("source"));
        given().get("/api/v1/evaluations?limit=0").then().statusCode(400);
    }

    @Test
    void catalogListsWhatRequestsMayName() {
        given().get("/api/v1/catalog").then().statusCode(200)
                .body("datasets.id", org.hamcrest.Matchers.hasItems("cifar10", "fashion-mnist", "synthetic-shapes"))
                .body("protocols.name", org.hamcrest.Matchers.hasItems("paper-v1", "quick"))
                .body("protocols.find { it.name == 'paper-v1' }.epochs", equalTo(100));
    }

    @Test
    void healthAndMetricsAreExposed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems(
                        "SmallRye Reactive Messaging - readiness check",
                        "MongoDB connection health check"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("xscore_"));
    }

    // ------------------------------------------------------------------ helpers

    static String submit(String body) {
        String location = given().contentType(ContentType.JSON).body(body).post("/api/v1/evaluations")
                .then().statusCode(202).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static JsonPath awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/api/v1/evaluations/" + id).then().statusCode(200).body("status", equalTo(status)));
        return given().get("/api/v1/evaluations/" + id).then().extract().jsonPath();
    }

    static List<TrainingJob> jobsOf(String id) {
        return kafka.consumeStrings().fromTopics(Topics.TRAINING_JOBS).awaitRecords((int) endOffset(Topics.TRAINING_JOBS),
                        Duration.ofSeconds(20)).getRecords().stream()
                .map(r -> MessageCodec.decode(r.value(), TrainingJob.class))
                .filter(j -> j.evaluationId().equals(id)).toList();
    }

    static TrainingResult succeeded(TrainingJob job, double accuracy) {
        return new TrainingResult(1, job.evaluationId(), job.jobId(), job.model(), job.dataset(), job.seed(),
                job.protocol().name(), false, TrainingResult.Status.SUCCEEDED, accuracy, List.of(50.0, accuracy), 0.7,
                12_345L, 3.5, 400.0, 100, 50, 32, "trainer-a", null, job.protocol(), Instant.now(),
                TrainingResult.AugmentationRecord.of("light: RandomResizedCrop(0.9-1.1, ratio 1) + flip",
                        accuracy > 75 ? 2 : 0, accuracy > 75 ? 0 : 2, null));
    }

    static void produce(String topic, String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion(Duration.ofSeconds(10));
    }

    /** Total records ever written to a topic (sum of its partitions' end offsets). */
    static long endOffset(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerTestResource.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
