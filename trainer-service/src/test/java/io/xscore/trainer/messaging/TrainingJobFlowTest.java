package io.xscore.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.trainer.training.CheckpointStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(DatasetFixtureServer.class)
class TrainingJobFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static KafkaCompanion companion;
    private static ConsumerTask<String, String> results;
    private static ConsumerTask<String, String> progress;
    private static ConsumerTask<String, String> deadLetters;

    @BeforeAll
    static void consume() {
        companion = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers());
        results = companion.consumeStrings().fromTopics(Topics.TRAINING_RESULTS);
        progress = companion.consumeStrings().fromTopics(Topics.TRAINING_PROGRESS);
        deadLetters = companion.consumeStrings().fromTopics(Topics.deadLetter(Topics.TRAINING_JOBS, "trainer-service"));
    }

    @AfterAll
    static void close() {
        results.stop();
        progress.stop();
        deadLetters.stop();
        companion.close();
    }

    private static TrainingJob job(String model, String dataset, long seed) {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", 1, "trainSubset", 64, "testSubset", 32,
                "resolution", 16));
        return new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-trainer-test", jobId(quick, model, dataset, seed),
                model, dataset, seed, quick, Instant.now());
    }

    /** A job id as the planner derives it, with stand-in model, dataset and augmentation digests. */
    private static String jobId(ProtocolSpec protocol, String model, String dataset, long seed) {
        String digest = io.xscore.common.hash.Sha256.hex("stand-in");
        return JobIds.jobId(model, dataset, seed, JobIds.identity(protocol, digest, digest, digest));
    }

    private static void produce(String key, String value) {
        produce(Topics.TRAINING_JOBS, key, value);
    }

    private static void produce(String topic, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private static TrainingResult awaitResult(String jobId) {
        ConsumerRecord<String, String> record = await().atMost(WAIT).until(
                () -> results.getRecords().stream().filter(r -> jobId.equals(r.key())).findFirst(), Optional::isPresent)
                .orElseThrow();
        return MessageCodec.decode(record.value(), TrainingResult.class);
    }

    @Test
    void trainsJobsReportsFailuresAndDeadLettersGarbage() {
        TrainingJob good = job("convmixer-16-1", "synthetic-shapes", 3);
        produce(good.jobId(), MessageCodec.encode(good));
        TrainingResult ok = awaitResult(good.jobId());
        assertEquals(TrainingResult.Status.SUCCEEDED, ok.status(), ok.failureReason());
        assertEquals(ModelCount.CONVMIXER_16_1_PATCH_2, ok.parameterCount());
        assertTrue(ok.testAccuracy() >= 0 && ok.testAccuracy() <= 100);
        assertEquals(List.of(ok.testAccuracy()), ok.epochTestAccuracies());
        assertEquals(64, ok.trainImages());
        assertEquals(32, ok.testImages());
        assertEquals(16, ok.resolution());
        assertEquals(good.protocol(), ok.resolved());
        assertEquals("eval-trainer-test", ok.evaluationId());
        // progress is fire-and-forget: it may reach this consumer after the result
        List<TrainingProgress> reports = await().atMost(WAIT).until(() -> progress.getRecords().stream()
                .filter(r -> good.jobId().equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), TrainingProgress.class)).toList(),
                l -> l.stream().anyMatch(p -> p.kind() == TrainingProgress.Kind.EPOCH));
        assertTrue(reports.stream().anyMatch(p -> p.kind() == TrainingProgress.Kind.STARTED), reports.toString());
        TrainingProgress epoch = reports.stream().filter(p -> p.kind() == TrainingProgress.Kind.EPOCH).findFirst()
                .orElseThrow();
        assertEquals(1, epoch.epoch());
        assertEquals(ok.testAccuracy(), epoch.testAccuracy());
        ConsumerRecord<String, String> resultRecord = results.getRecords().stream()
                .filter(r -> good.jobId().equals(r.key())).findFirst().orElseThrow();
        assertEquals("io.xscore.training-result.v1", header(resultRecord, "ce_type"));
        assertEquals("xscore/trainer-service", header(resultRecord, "ce_source"));

        TrainingJob unknown = job("convmixer-16-1", "no-such-dataset", 3);
        produce(unknown.jobId(), MessageCodec.encode(unknown));
        TrainingResult failed = awaitResult(unknown.jobId());
        assertEquals(TrainingResult.Status.FAILED, failed.status());
        assertEquals("unknown dataset 'no-such-dataset'", failed.failureReason());

        produce("garbage", "{\"this is\": \"not a training job\"");
        ConsumerRecord<String, String> dead = await().atMost(WAIT).until(
                () -> deadLetters.getRecords().stream().filter(r -> "garbage".equals(r.key())).findFirst(),
                Optional::isPresent).orElseThrow();
        assertEquals("{\"this is\": \"not a training job\"", dead.value());
        assertNotNull(header(dead, Topics.DEAD_LETTER_REASON_HEADER));

        int downloads = DatasetFixtureServer.SHARD_DOWNLOADS.get();
        TrainingJob again = job("convmixer-16-1", "synthetic-shapes", 4);
        produce(again.jobId(), MessageCodec.encode(again));
        assertEquals(TrainingResult.Status.SUCCEEDED, awaitResult(again.jobId()).status());
        assertEquals(downloads, DatasetFixtureServer.SHARD_DOWNLOADS.get(), "cached shards are reused");

        given().get("/api/v1/trainer/status").then().statusCode(200).body("state", equalTo("idle"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("xscore_jobs_total{dataset=\"synthetic-shapes\",model=\"convmixer-16-1\","
                        + "protocol=\"quick\",state=\"succeeded\"} 2.0"))
                .body(containsString("xscore_training_step_seconds_count"))
                .body(containsString("xscore_training_images_per_second"))
                .body(containsString("xscore_trainer_busy"))
                .body(containsString("xscore_training_native_memory_bytes"));
    }

    /**
     * A paper-v1 job (100 epochs, the paper pipeline: cifar-style for synthetic-shapes) trains until its evaluation
     * is cancelled on xscore.evaluation-cancellations; it stops, ends FAILED "cancelled by request: …", its
     * checkpoint is removed, a later job of that evaluation fails at once, and the trainer takes other jobs.
     */
    @Test
    void cancellationStopsARunningJobAndLaterJobsOfTheEvaluation() {
        String evaluation = "eval-to-cancel";
        // other tests of this class's JVM (ShareGroupPoolTest) cancel jobs of the same model: count this test's only
        double cancelledBefore = cancelledJobs("convmixer-16-1");
        TrainingJob paper = new TrainingJob(TrainingJob.SCHEMA_VERSION, evaluation,
                jobId(Protocols.get("paper-v1"), "convmixer-16-1", "synthetic-shapes", 1), "convmixer-16-1",
                "synthetic-shapes", 1, Protocols.get("paper-v1"), Instant.now());
        produce(paper.jobId(), MessageCodec.encode(paper));
        TrainingProgress epoch = await().atMost(WAIT).until(() -> progress.getRecords().stream()
                .filter(r -> paper.jobId().equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), TrainingProgress.class))
                .filter(p -> p.kind() == TrainingProgress.Kind.EPOCH).findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(100, epoch.epochs());
        Path checkpoint = new CheckpointStore(Path.of("target/trainer-checkpoints-test")).fileOf(paper.jobId());
        assertTrue(Files.exists(checkpoint), "a checkpoint is written after every epoch");

        produce(Topics.EVALUATION_CANCELLATIONS, evaluation, MessageCodec.encode(
                new EvaluationCancellation(EvaluationCancellation.SCHEMA_VERSION, evaluation, "user request",
                        Instant.now())));
        TrainingResult cancelled = awaitResult(paper.jobId());
        assertEquals(TrainingResult.Status.FAILED, cancelled.status());
        assertEquals("cancelled by request: user request", cancelled.failureReason());
        await().atMost(WAIT).until(() -> !Files.exists(checkpoint));

        TrainingJob later = new TrainingJob(TrainingJob.SCHEMA_VERSION, evaluation,
                jobId(Protocols.get("paper-v1"), "convmixer-16-1", "synthetic-shapes", 2), "convmixer-16-1",
                "synthetic-shapes", 2, Protocols.get("paper-v1"), Instant.now());
        produce(later.jobId(), MessageCodec.encode(later));
        assertEquals("cancelled by request: user request", awaitResult(later.jobId()).failureReason());

        TrainingJob other = job("convmixer-8-1", "synthetic-shapes", 9); // another model: the other test counts its jobs
        produce(other.jobId(), MessageCodec.encode(other));
        TrainingResult ok = awaitResult(other.jobId());
        assertEquals(TrainingResult.Status.SUCCEEDED, ok.status(), ok.failureReason());
        assertTrue(ok.trainer().contains("augmentation light"), ok.trainer());
        assertEquals(cancelledBefore + 2, cancelledJobs("convmixer-16-1"), "the running job and the later one");
    }

    /** Sum of the trainer's cancelled-job counters of one model, over every other tag. */
    private static double cancelledJobs(String model) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith("xscore_jobs_total{") && l.contains("model=\"" + model + "\"")
                        && l.contains("state=\"cancelled\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * A finished job never trains again: delivered a second time (its offset was not committed before a broker
     * outage), it is answered from the result ledger with the same result; a job the scoring service already has a
     * success for (another trainer finished it) is acknowledged without training or publishing.
     */
    @Test
    void aFinishedJobIsNeverTrainedAgain() {
        TrainingJob job = job("convmixer-12-1", "synthetic-shapes", 21); // own model: other tests count theirs
        produce(job.jobId(), MessageCodec.encode(job));
        TrainingResult first = awaitResult(job.jobId());
        assertEquals(TrainingResult.Status.SUCCEEDED, first.status(), first.failureReason());
        double trained = metric("xscore_jobs_total{dataset=\"synthetic-shapes\",model=\"convmixer-12-1\","
                + "protocol=\"quick\",state=\"started\"}");
        assertEquals(1.0, trained);

        produce(job.jobId(), MessageCodec.encode(job));
        await().atMost(WAIT).until(() -> results.getRecords().stream().filter(r -> job.jobId().equals(r.key()))
                .count() == 2);
        List<TrainingResult> both = results.getRecords().stream().filter(r -> job.jobId().equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), TrainingResult.class)).toList();
        assertEquals(both.get(0), both.get(1), "the same result, published again");
        assertEquals(trained, metric("xscore_jobs_total{dataset=\"synthetic-shapes\",model=\"convmixer-12-1\","
                + "protocol=\"quick\",state=\"started\"}"), "not trained again");
        assertEquals(1.0, metric("xscore_trainer_jobs_not_retrained_total{source=\"ledger\"}"));

        TrainingJob elsewhere = job("convmixer-12-1", "synthetic-shapes", 22);
        DatasetFixtureServer.STORED_RESULTS.put(elsewhere.jobId(), MessageCodec.encode(new TrainingResult(1,
                "another-evaluation", elsewhere.jobId(), elsewhere.model(), elsewhere.dataset(), 22, "quick", false,
                TrainingResult.Status.SUCCEEDED, 42.0, List.of(42.0), 1.0, 100L, 1.0, 10.0, 64, 32, 16, "trainer-b",
                null, elsewhere.protocol(), Instant.now())));
        produce(elsewhere.jobId(), MessageCodec.encode(elsewhere));
        await().atMost(WAIT).until(() -> metric("xscore_trainer_jobs_not_retrained_total{source=\"scoring\"}") == 1.0);
        assertEquals(trained, metric("xscore_jobs_total{dataset=\"synthetic-shapes\",model=\"convmixer-12-1\","
                + "protocol=\"quick\",state=\"started\"}"));
        assertTrue(results.getRecords().stream().noneMatch(r -> elsewhere.jobId().equals(r.key())));
    }

    private static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0.0);
    }

    @Test
    void listsModelsWithExactParameterCounts() {
        given().queryParam("resolution", 32).get("/api/v1/models").then().statusCode(200)
                .body("find { it.id == 'convmixer-256-8' }.parameters", equalTo(594_186))
                .body("find { it.id == 'mobilenet' }.parameters", equalTo(2_236_682))
                .body("find { it.id == 'mobilevit' }.elements.selfAttention", equalTo(true));
        given().get("/api/v1/models").then().statusCode(200)
                .body("find { it.id == 'convmixer' }.parameters", equalTo(2_306_058))
                .body("find { it.id == 'convmixer' }.elements.isotropic", equalTo(true))
                .body("find { it.id == 'convmixer' }.macs", org.hamcrest.Matchers.greaterThan(2_000_000_000L));
        // Table 6 view: element → model → value, from the records.
        given().queryParam("resolution", 32).get("/api/v1/models/elements").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.greaterThan(3));
        given().queryParam("resolution", 4).get("/api/v1/models").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
    }

    @Test
    void healthIsUp() {
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP")));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Parameter counts computed by hand. */
    static final class ModelCount {
        // embed 3·16·4+16 + BN 32; layer: dw 16·25+16 + BN 32, pw 16·16+16 + BN 32; head 16·10+10
        static final long CONVMIXER_16_1_PATCH_2 = (3 * 16 * 4 + 16 + 32) + (16 * 25 + 16 + 32) + (16 * 16 + 16 + 32)
                + (16 * 10 + 10);
    }
}
