package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static io.xscore.gateway.rest.EvaluationFlowTest.awaitStatus;
import static io.xscore.gateway.rest.EvaluationFlowTest.endOffset;
import static io.xscore.gateway.rest.EvaluationFlowTest.submit;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.common.auth.Roles;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.ModelDefinitions;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.CostEstimate;
import io.xscore.common.messaging.JobAttempt;
import io.xscore.common.messaging.Provenance;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.gateway.GrafanaDashboardTest;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's side of the share-group trainer pool, on the real in-JVM broker and Mongo server: an evaluation's jobs
 * published longest first with their cost estimate, and each job's attempts merged from records that arrive out of
 * order and more than once (trainers played by this test).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class TrainerPoolTest {

    /** Every request of these tests is made as a submitter (AuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("trainer-pool-tests", Roles.SUBMITTER);
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

    @Test
    void jobsArePublishedLongestFirstWithTheirEstimate() {
        // 3 models × 2 datasets whose training sets differ (subset 10,000: fashion-mnist 10,000, synthetic 5,000),
        // so the cost order interleaves models and datasets
        String id = submit("""
                {"models":["convmixer-20-3","convmixer-96-1","convmixer-48-2"],
                 "datasets":["synthetic-shapes","fashion-mnist"],"seeds":[7],"protocol":"quick",
                 "overrides":{"epochs":2,"trainSubset":10000}}""");
        JsonPath view = awaitStatus(id, "RUNNING");

        List<ConsumerRecord<String, String>> records = kafka.consumeStrings().fromTopics(Topics.TRAINING_JOBS)
                .awaitRecords((int) endOffset(Topics.TRAINING_JOBS), Duration.ofSeconds(20)).getRecords().stream()
                .filter(r -> MessageCodec.decode(r.value(), TrainingJob.class).evaluationId().equals(id)).toList();
        assertEquals(6, records.size());
        for (ConsumerRecord<String, String> r : records) {
            TrainingJob job = MessageCodec.decode(r.value(), TrainingJob.class);
            CostEstimate e = job.estimate();
            assertNotNull(e, "every published job carries its estimate");
            long macs = ModelDefinitions.find(job.model()).orElseThrow().macs(32);
            long images = Math.min(10_000, DatasetCatalog.find(job.dataset()).orElseThrow().trainImages());
            assertEquals(macs, e.macsPerImage());
            assertEquals(images, e.trainImages());
            assertEquals(2, e.epochs());
            assertEquals(3.0 * macs * images * 2, e.trainingMacs(), 1.0);
            assertEquals(e.trainingMacs() / 1.0e10, e.seconds(), 1e-9, "the cpu reference rate of the config");
        }

        // Publishing order, longest first, and strict: keyed by evaluation id, all of the evaluation's job records are
        // on one partition, where the share group's trainers acquire them in offset order.
        assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(),
                "an evaluation's jobs share one partition");
        List<TrainingJob> expected = records.stream().map(r -> MessageCodec.decode(r.value(), TrainingJob.class))
                .sorted(Comparator.comparingDouble((TrainingJob j) -> j.estimate().trainingMacs()).reversed()).toList();
        assertTrue(expected.get(0).model().equals("convmixer-96-1") && expected.get(0).dataset().equals("fashion-mnist"));
        List<String> order = expected.stream().map(TrainingJob::jobId).toList();
        for (ConsumerRecord<String, String> a : records) {
            for (ConsumerRecord<String, String> b : records) {
                if (a.offset() < b.offset()) {
                    String ja = MessageCodec.decode(a.value(), TrainingJob.class).jobId();
                    String jb = MessageCodec.decode(b.value(), TrainingJob.class).jobId();
                    assertTrue(order.indexOf(ja) < order.indexOf(jb),
                            "published " + ja + " before " + jb + " against the cost order " + order);
                }
            }
        }

        // The view shows the estimate per job, jobs in the request's order.
        assertEquals(List.of("convmixer-20-3", "convmixer-20-3", "convmixer-96-1", "convmixer-96-1",
                "convmixer-48-2", "convmixer-48-2"), view.getList("jobs.model"));
        for (TrainingJob job : expected) {
            String at = "jobs.find { it.jobId == '" + job.jobId() + "' }.estimate.";
            // (the JSON path reads numbers as floats)
            assertEquals(job.estimate().trainingMacs(), view.getDouble(at + "trainingMacs"),
                    job.estimate().trainingMacs() * 1e-6);
            assertEquals(job.estimate().macsPerImage(), view.getLong(at + "macsPerImage"));
            assertEquals(job.estimate().seconds(), view.getDouble(at + "seconds"), job.estimate().seconds() * 1e-6);
            assertEquals("cpu", view.getString(at + "device"));
        }
    }

    @Test
    void attemptsMergeWhateverTheOrderAndHowOftenRecordsArrive() {
        for (long seed = 21; seed <= 23; seed++) {
            TrainingJob job = queueOneJob("convmixer-28-1", seed);
            Instant t0 = Instant.parse("2026-11-23T10:00:00Z").plusSeconds(seed);
            Instant released = t0.plusSeconds(40);
            Instant t2 = t0.plusSeconds(55);
            Instant finished = t0.plusSeconds(130);
            JobAttempt first = new JobAttempt(1, "trainer-a", t0, null);
            JobAttempt second = new JobAttempt(2, "trainer-b", t2, "epoch 1, batch 0");
            List<Runnable> records = new ArrayList<>(List.of(
                    () -> progress(job, TrainingProgress.Kind.STARTED, 0, first, t0),
                    () -> progress(job, TrainingProgress.Kind.RELEASED, 1, first, released),
                    () -> progress(job, TrainingProgress.Kind.STARTED, 1, second, t2),
                    () -> result(job, TrainingResult.Status.SUCCEEDED, null, second, finished)));
            records.addAll(List.copyOf(records)); // every record twice
            Collections.shuffle(records, new Random(seed));
            records.forEach(Runnable::run);

            String at = "jobs[0].";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    given().get("/api/v1/evaluations/" + job.evaluationId()).then()
                            .body(at + "state", equalTo("SUCCEEDED"))
                            .body(at + "attempts.size()", equalTo(2))
                            .body(at + "attempts[0].outcome", equalTo("RELEASED"))
                            .body(at + "attempts[1].outcome", equalTo("ACCEPTED")));
            JsonPath view = given().get("/api/v1/evaluations/" + job.evaluationId()).then().extract().jsonPath();
            assertEquals(1, view.getInt(at + "attempts[0].delivery"));
            assertEquals("trainer-a", view.getString(at + "attempts[0].trainer"));
            assertEquals(t0, Instant.parse(view.getString(at + "attempts[0].startedAt")));
            assertEquals(released, Instant.parse(view.getString(at + "attempts[0].endedAt")));
            assertEquals(1, view.getInt(at + "attempts[0].releasedAtEpoch"));
            assertNull(view.get(at + "attempts[0].resumedFrom"));
            assertEquals(2, view.getInt(at + "attempts[1].delivery"));
            assertEquals("trainer-b", view.getString(at + "attempts[1].trainer"));
            assertEquals(t2, Instant.parse(view.getString(at + "attempts[1].startedAt")));
            assertEquals(finished, Instant.parse(view.getString(at + "attempts[1].endedAt")));
            assertEquals("epoch 1, batch 0", view.getString(at + "attempts[1].resumedFrom"));
            // actual time from the first start to the result; training time as the result reports it
            assertEquals(t0, Instant.parse(view.getString(at + "startedAt")));
            assertEquals(finished, Instant.parse(view.getString(at + "finishedAt")));
            assertEquals(130.0, view.getDouble(at + "actualSeconds"), 1e-6);
            assertEquals(70.0, view.getDouble(at + "wallSeconds"), 1e-6);
            assertEquals("gpu(0)", view.getString(at + "provenance.device"));
            assertEquals("2.5.1", view.getString(at + "provenance.pytorch"));
            assertNotNull(view.get(at + "estimate.trainingMacs"));
        }
    }

    @Test
    void aLaterDeliveryWithoutAnEndMeansTheLockExpired() {
        double expiredBefore = metric("xscore_job_attempts_total{outcome=\"lock_expired\"}");
        double redeliveredBefore = metric("xscore_job_redeliveries_total");
        TrainingJob job = queueOneJob("convmixer-28-2", 31);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        progress(job, TrainingProgress.Kind.STARTED, 0, new JobAttempt(1, "trainer-a", t0, null), t0);
        progress(job, TrainingProgress.Kind.STARTED, 0, new JobAttempt(2, "trainer-b", t0.plusSeconds(60), null),
                t0.plusSeconds(60));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/api/v1/evaluations/" + job.evaluationId()).then()
                        .body("jobs[0].state", equalTo("RUNNING"))
                        .body("jobs[0].attempts.size()", equalTo(2))
                        .body("jobs[0].attempts[0].outcome", equalTo("LOCK_EXPIRED"))
                        .body("jobs[0].attempts[1].outcome", equalTo("RUNNING"))
                        .body("jobs[0].attempts[1].trainer", equalTo("trainer-b")));
        assertEquals(expiredBefore + 1, metric("xscore_job_attempts_total{outcome=\"lock_expired\"}"));
        assertEquals(redeliveredBefore + 1, metric("xscore_job_redeliveries_total"));
    }

    @Test
    void theGatewaySeriesOfTheTrainerPoolDashboardAreExported() throws Exception {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : GrafanaDashboardTest.poolMetrics()) {
            if (!series.startsWith("xscore_trainer_")) {
                assertTrue(Pattern.compile("(?m)^" + series + "[{ ]").matcher(text).find(),
                        series + " is queried by the Trainer pool row but not exported by the gateway");
            }
        }
        // the pool gauges count the jobs collection
        queueOneJob("convmixer-28-4", 51);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("xscore_jobs_queued") > 0);
    }

    @Test
    void aJobRejectedAtTheDeliveryLimitShowsRejected() {
        double rejectedBefore = metric("xscore_job_attempts_total{outcome=\"rejected\"}");
        TrainingJob job = queueOneJob("convmixer-28-3", 41);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        progress(job, TrainingProgress.Kind.STARTED, 0, new JobAttempt(1, "trainer-a", t0, null), t0);
        progress(job, TrainingProgress.Kind.STARTED, 0, new JobAttempt(2, "trainer-b", t0.plusSeconds(60), null),
                t0.plusSeconds(60));
        JobAttempt third = new JobAttempt(3, "trainer-c", t0.plusSeconds(120), null);
        String reason = "rejected after 3 deliveries: the job's trainers stopped without a result each time";
        result(job, TrainingResult.Status.FAILED, reason, third, t0.plusSeconds(121));
        result(job, TrainingResult.Status.FAILED, reason, third, t0.plusSeconds(121)); // redelivered
        JsonPath view = awaitStatus(job.evaluationId(), "FAILED");
        assertEquals(reason, view.getString("jobs[0].failureReason"));
        assertEquals(List.of("LOCK_EXPIRED", "LOCK_EXPIRED", "REJECTED"), view.getList("jobs[0].attempts.outcome"));
        assertEquals(t0.plusSeconds(121), Instant.parse(view.getString("jobs[0].attempts[2].endedAt")));
        assertEquals(rejectedBefore + 1, metric("xscore_job_attempts_total{outcome=\"rejected\"}"));
    }

    @Test
    void theOpenApiDocumentDescribesEstimatesAttemptsAndProvenance() {
        String doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        for (String expected : List.of("\"EstimateView\"", "\"AttemptView\"", "\"LOCK_EXPIRED\"",
                "\"actualSeconds\"", "\"provenance\"", "trainingMacs = 3")) {
            assertTrue(doc.contains(expected), "OpenAPI lacks " + expected);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Submits a one-job evaluation and returns the job as published. */
    static TrainingJob queueOneJob(String model, long seed) {
        String id = submit("{\"models\":[\"" + model + "\"],\"datasets\":[\"synthetic-textures\"],\"seeds\":[" + seed
                + "],\"protocol\":\"quick\"}");
        awaitStatus(id, "RUNNING");
        List<TrainingJob> jobs = kafka.consumeStrings().fromTopics(Topics.TRAINING_JOBS)
                .awaitRecords((int) endOffset(Topics.TRAINING_JOBS), Duration.ofSeconds(20)).getRecords().stream()
                .map(r -> MessageCodec.decode(r.value(), TrainingJob.class))
                .filter(j -> j.evaluationId().equals(id)).toList();
        assertEquals(1, jobs.size());
        return jobs.get(0);
    }

    static void progress(TrainingJob job, TrainingProgress.Kind kind, int epoch, JobAttempt attempt, Instant at) {
        produce(Topics.TRAINING_PROGRESS, job.jobId(), MessageCodec.encode(new TrainingProgress(1, job.evaluationId(),
                job.jobId(), job.model(), job.dataset(), job.seed(), job.protocol().name(), kind, epoch,
                job.protocol().epochs(), null, null, null, null, null, null, attempt.trainer(), at, attempt)));
    }

    static void result(TrainingJob job, TrainingResult.Status status, String reason, JobAttempt attempt,
            Instant finishedAt) {
        boolean ok = status == TrainingResult.Status.SUCCEEDED;
        TrainingResult r = new TrainingResult(1, job.evaluationId(), job.jobId(), job.model(), job.dataset(),
                job.seed(), job.protocol().name(), false, status, ok ? 61.5 : null,
                ok ? List.of(40.0, 52.0, 61.5) : null, ok ? 1.1 : null, ok ? 9_000L : null, ok ? 70.0 : null,
                ok ? 250.0 : null, ok ? 2_000 : null, ok ? 1_000 : null, ok ? 32 : null, attempt.trainer(), reason,
                job.protocol(), finishedAt);
        produce(Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(r.withAttempt(attempt,
                new Provenance("trainer 1.0 (abc123)", "0.33.0", "2.5.1", "12.4", "gpu(0)"))));
    }

    static void produce(String topic, String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(10));
    }

    /** The value of one series on /q/metrics (0 when absent). */
    static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }
}
