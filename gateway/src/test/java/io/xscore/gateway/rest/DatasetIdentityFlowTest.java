package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.augment.AugmentationDefinitions;
import io.xscore.common.auth.Roles;
import io.xscore.common.catalog.ModelDefinitions;
import io.xscore.common.hash.Sha256;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Job identity in the gateway's flow: the planner derives job ids from the resolved protocol, the model definition,
 * the dataset's content digest (asked of the dataset service, here {@link DatasetServiceFixture}) and the augmentation
 * pipeline, publishes them on the job and shows them in the view; it waits for a dataset not prepared yet, and for a
 * dataset service that is down, without holding its consumer.
 */
@QuarkusTest
class DatasetIdentityFlowTest {

    /** Every request of these tests is made as a submitter (AuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("dataset-identity-tests", Roles.SUBMITTER);
    }

    static KafkaCompanion kafka;

    @BeforeAll
    static void companion() {
        kafka = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers());
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    static List<TrainingJob> jobsOf(String id) {
        return kafka.consumeStrings().fromTopics(Topics.TRAINING_JOBS)
                .awaitRecords((int) EvaluationFlowTest.endOffset(Topics.TRAINING_JOBS), Duration.ofSeconds(20))
                .getRecords().stream().map(r -> MessageCodec.decode(r.value(), TrainingJob.class))
                .filter(j -> j.evaluationId().equals(id)).toList();
    }

    static String submit(String body) {
        String location = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/evaluations")
                .then().statusCode(202).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static JsonPath view(String id) {
        return given().get("/api/v1/evaluations/" + id).then().statusCode(200).extract().jsonPath();
    }

    static List<TrainingJob> awaitJobs(String id, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> jobsOf(id), j -> j.size() == count);
    }

    @Test
    void publishedJobsCarryTheirIdentityAndIdsDeriveFromIt() {
        String digest = Sha256.hex("identity test content");
        DatasetServiceFixture.prepared("cifar10", digest);
        try {
            String id = submit("""
                    {"models":["convmixer-24-2"],"datasets":["cifar10","synthetic-shapes"],"seeds":[3],
                     "protocol":"quick","overrides":{"epochs":2}}""");
            EvaluationFlowTest.awaitStatus(id, "RUNNING");
            ProtocolSpec protocol = Protocols.resolve("quick", Map.of("epochs", 2));
            for (TrainingJob job : awaitJobs(id, 2)) {
                String datasetDigest = job.dataset().equals("cifar10") ? digest
                        : DatasetServiceFixture.defaultDigest(job.dataset());
                JobIdentity expected = new JobIdentity(JobIds.protocolDigest(protocol),
                        ModelDefinitions.find("convmixer-24-2").orElseThrow().digest(), datasetDigest,
                        AugmentationDefinitions.digest("light", job.dataset()));
                assertEquals(expected, job.identity(), job.dataset());
                assertEquals(JobIds.jobId("convmixer-24-2", job.dataset(), 3, expected), job.jobId());
                JsonPath v = view(id);
                String path = "jobs.find { it.jobId == '" + job.jobId() + "' }.identity";
                assertEquals(datasetDigest, v.getString(path + ".dataset"));
                assertEquals(expected.model(), v.getString(path + ".model"));
                assertEquals(expected.protocol(), v.getString(path + ".protocol"));
                assertEquals(expected.augmentation(), v.getString(path + ".augmentation"));
            }
        } finally {
            DatasetServiceFixture.reset("cifar10");
        }
    }

    /** Data prepared again from other files gets another digest: the same request is new jobs, nothing reused. */
    @Test
    void otherDatasetContentIsOtherJobs() {
        String request = """
                {"models":["convmixer-24-1"],"datasets":["cifar100"],"seeds":[0],"protocol":"quick"}""";
        try {
            DatasetServiceFixture.prepared("cifar100", Sha256.hex("cifar100 v1"));
            String first = submit(request);
            EvaluationFlowTest.awaitStatus(first, "RUNNING");
            DatasetServiceFixture.prepared("cifar100", Sha256.hex("cifar100 v2"));
            String second = submit(request);
            EvaluationFlowTest.awaitStatus(second, "RUNNING");
            TrainingJob a = awaitJobs(first, 1).get(0);
            TrainingJob b = awaitJobs(second, 1).get(0);
            assertNotEquals(a.jobId(), b.jobId());
            assertEquals(Sha256.hex("cifar100 v2"), b.identity().dataset());
            assertEquals(0, view(second).getInt("summary.reused"));
        } finally {
            DatasetServiceFixture.reset("cifar100");
        }
    }

    /**
     * A dataset not prepared yet: the planner asks the dataset service to prepare it and the evaluation waits
     * (ACCEPTED, saying for what), then is planned once the digest is known.
     */
    @Test
    void aDatasetNotPreparedDefersPlanningUntilItIsPrepared() {
        DatasetServiceFixture.notPrepared("imagenette");
        try {
            String id = submit("""
                    {"models":["convmixer-24-3"],"datasets":["imagenette","synthetic-textures"],"seeds":[0],
                     "protocol":"quick"}""");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/v1/evaluations/" + id).then()
                    .body("status", equalTo("ACCEPTED"))
                    .body("waiting.datasets", equalTo(List.of("imagenette")))
                    .body("waiting.reason", containsString("imagenette: waiting for the dataset service to prepare it")));
            assertTrue(DatasetServiceFixture.REQUESTS.contains("POST /api/v1/datasets/imagenette/prepare"),
                    DatasetServiceFixture.REQUESTS.toString());
            // Several waiting passes later it is still waiting, and nothing was published for it.
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    given().get("/api/v1/evaluations/" + id).then().body("status", equalTo("ACCEPTED"))
                            .body("waiting.reason", containsString("preparing")));
            assertEquals(0, jobsOf(id).size());

            String digest = Sha256.hex("imagenette prepared");
            DatasetServiceFixture.prepared("imagenette", digest);
            JsonPath planned = EvaluationFlowTest.awaitStatus(id, "RUNNING");
            assertEquals(2, planned.getInt("summary.jobs"));
            given().get("/api/v1/evaluations/" + id).then().body("waiting", nullValue());
            Set<String> digests = awaitJobs(id, 2).stream().map(j -> j.identity().dataset())
                    .collect(Collectors.toSet());
            assertEquals(Set.of(digest, DatasetServiceFixture.defaultDigest("synthetic-textures")), digests);
        } finally {
            DatasetServiceFixture.reset("imagenette");
        }
    }

    /**
     * The dataset service down: the evaluation is accepted and stays so, saying why, while the consumer goes on
     * planning others; it is planned once the service is back. Nothing is guessed meanwhile.
     */
    @Test
    void datasetServiceDownKeepsTheEvaluationAcceptedUntilItIsBack() {
        long jobsBefore = EvaluationFlowTest.endOffset(Topics.TRAINING_JOBS);
        DatasetServiceFixture.down();
        String id;
        try {
            id = submit("""
                    {"models":["convmixer-24-4"],"datasets":["synthetic-shapes"],"seeds":[0,1],"protocol":"quick"}""");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/evaluations/" + id).then()
                    .body("status", equalTo("ACCEPTED"))
                    .body("waiting.datasets", equalTo(List.of("synthetic-shapes")))
                    .body("waiting.reason", containsString("the dataset service cannot be reached")));
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    given().get("/api/v1/evaluations/" + id).then().body("status", equalTo("ACCEPTED")));
            assertEquals(jobsBefore, EvaluationFlowTest.endOffset(Topics.TRAINING_JOBS), "no job was guessed");
        } finally {
            DatasetServiceFixture.up();
        }
        JsonPath planned = EvaluationFlowTest.awaitStatus(id, "RUNNING");
        assertEquals(2, planned.getInt("summary.jobs"));
        assertTrue(awaitJobs(id, 2).stream().allMatch(j ->
                DatasetServiceFixture.defaultDigest("synthetic-shapes").equals(j.identity().dataset())));
    }
}
