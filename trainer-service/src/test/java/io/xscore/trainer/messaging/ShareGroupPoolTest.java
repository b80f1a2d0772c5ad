package io.xscore.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.trainer.service.ClaimHoldingProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainers' share group on a real broker (test profile: lock 15 s, renewed every 5 s; delivery limit 3).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(DatasetFixtureServer.class)
class ShareGroupPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static KafkaCompanion companion;
    private static ConsumerTask<String, String> results;
    private static ConsumerTask<String, String> progress;

    @BeforeAll
    static void consume() {
        companion = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers());
        results = companion.consumeStrings().fromTopics(Topics.TRAINING_RESULTS);
        progress = companion.consumeStrings().fromTopics(Topics.TRAINING_PROGRESS);
    }

    @AfterAll
    static void close() {
        results.stop();
        progress.stop();
        companion.close();
    }

    /**
     * (a) No partition ceiling: two share consumers of one group split the jobs of a single partition, each record
     * to exactly one of them (each holds its record a while, as a trainer does).
     */
    @Test
    void twoShareConsumersSplitTheJobsOfOnePartition() throws Exception {
        String topic = "pool-one-partition-" + UUID.randomUUID();
        String group = "pool-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokerTestResource.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        int jobs = 6;
        for (int i = 0; i < jobs; i++) {
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "job-" + i, "job-" + i))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
        Map<String, List<String>> taken = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(2);
        for (String member : List.of("trainer-a", "trainer-b")) {
            taken.put(member, Collections.synchronizedList(new ArrayList<>()));
            Thread t = new Thread(() -> {
                try (KafkaShareConsumer<String, String> c = shareConsumer(group)) {
                    c.subscribe(List.of(topic));
                    while (!done.get()) {
                        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                            taken.get(member).add(r.value());
                            sleep(1_500); // "training"
                            c.acknowledge(r, AcknowledgeType.ACCEPT);
                        }
                        c.commitSync();
                    }
                } finally {
                    finished.countDown();
                }
            }, member);
            t.setDaemon(true);
            t.start();
        }
        await().atMost(WAIT).until(() -> taken.values().stream().mapToInt(List::size).sum() >= jobs);
        done.set(true);
        assertTrue(finished.await(30, TimeUnit.SECONDS));
        List<String> all = new ArrayList<>();
        taken.values().forEach(all::addAll);
        assertEquals(jobs, all.size(), "each record to exactly one member: " + taken);
        assertEquals(jobs, all.stream().distinct().count(), taken.toString());
        assertTrue(taken.get("trainer-a").size() >= 1 && taken.get("trainer-b").size() >= 1,
                "both members of the group took jobs of the single partition: " + taken);
    }

    /**
     * (b) A job running longer than the lock (15 s) keeps it: renewed, never delivered to another member meanwhile.
     * (d) A job on its last allowed delivery (its earlier deliveries taken by another member and released, as a
     * trainer that stopped would) ends FAILED with the reason and is rejected, while other jobs finish.
     */
    @Test
    void aLongJobKeepsItsLockAndALastDeliveryEndsFailed() {
        String evaluation = "eval-pool-long";
        // paper-v1 (100 epochs) with a model big enough to outlast the test on an idle machine too: ConvMixer-16/1
        // finished all 100 epochs of the test's small synthetic split in 10 s and ended the job before the check
        TrainingJob longJob = new TrainingJob(TrainingJob.SCHEMA_VERSION, evaluation,
                jobId(Protocols.get("paper-v1"), "convmixer-128-4", "synthetic-shapes", 31), "convmixer-128-4",
                "synthetic-shapes", 31, Protocols.get("paper-v1"), Instant.now());
        produce(longJob.jobId(), MessageCodec.encode(longJob));
        TrainingProgress started = await().atMost(WAIT).until(() -> progressOf(longJob.jobId()).stream()
                .filter(p -> p.kind() == TrainingProgress.Kind.STARTED).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertNotNull(started.attempt(), "STARTED carries the attempt");
        assertEquals(1, started.attempt().delivery());
        double renewalsBefore = metric("xscore_trainer_lock_renewals_total");

        TrainingJob lastDelivery = job("convmixer-8-2", 32);
        try (KafkaShareConsumer<String, String> other = shareConsumer("trainers")) {
            other.subscribe(List.of(Topics.TRAINING_JOBS));
            // Another member of the trainers' group for longer than a lock: it never gets the long job.
            long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, String> r : other.poll(Duration.ofMillis(500))) {
                    assertTrue(!longJob.jobId().equals(r.key()), "the long job was delivered to another member "
                            + "while its trainer renewed its lock");
                    other.acknowledge(r, AcknowledgeType.RELEASE);
                }
                other.commitSync();
            }
            // It takes a new job and releases it, as a trainer stopping twice would, until the next delivery is the
            // last one; then it leaves the group.
            produce(lastDelivery.jobId(), MessageCodec.encode(lastDelivery));
            int releasedAt = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (releasedAt < 2) {
                assertTrue(System.nanoTime() < deadline, "the new job was never delivered here");
                for (ConsumerRecord<String, String> r : other.poll(Duration.ofMillis(500))) {
                    assertTrue(!longJob.jobId().equals(r.key()), "the long job was delivered to another member");
                    if (lastDelivery.jobId().equals(r.key())) {
                        releasedAt = r.deliveryCount().orElseThrow();
                    }
                    other.acknowledge(r, AcknowledgeType.RELEASE);
                }
                other.commitSync();
            }
        }
        assertTrue(progressOf(longJob.jobId()).stream().filter(p -> p.kind() == TrainingProgress.Kind.STARTED)
                .count() == 1, "the long job started once");
        assertTrue(results.getRecords().stream().noneMatch(r -> longJob.jobId().equals(r.key())), "still training");
        assertTrue(metric("xscore_trainer_lock_renewals_total") - renewalsBefore >= 3,
                "renewed every 5 s for 25 s");
        assertEquals(0.0, metric("xscore_trainer_lock_lost_total"));

        produce(Topics.EVALUATION_CANCELLATIONS, evaluation, MessageCodec.encode(
                new EvaluationCancellation(EvaluationCancellation.SCHEMA_VERSION, evaluation, "pool test",
                        Instant.now())));
        assertEquals("cancelled by request: pool test", awaitResult(longJob.jobId()).failureReason());

        TrainingResult rejected = awaitResult(lastDelivery.jobId());
        assertEquals(TrainingResult.Status.FAILED, rejected.status());
        assertTrue(rejected.failureReason().startsWith("rejected after 3 deliveries: "), rejected.failureReason());
        assertEquals(3, rejected.attempt().delivery());
        assertNotNull(rejected.provenance().djl());
        await().atMost(WAIT).until(() -> metric(
                "xscore_trainer_jobs_rejected_total{reason=\"delivery_limit\"}") == 1.0);
        assertTrue(metric("xscore_trainer_jobs_redelivered_total") >= 1.0);

        TrainingJob next = job("convmixer-8-2", 33);
        produce(next.jobId(), MessageCodec.encode(next));
        TrainingResult ok = awaitResult(next.jobId());
        assertEquals(TrainingResult.Status.SUCCEEDED, ok.status(), ok.failureReason());
        assertEquals(1, ok.attempt().delivery());
        assertNotNull(ok.provenance().pytorch());
        assertEquals(1, results.getRecords().stream().filter(r -> lastDelivery.jobId().equals(r.key())).count(),
                "the rejected job is not delivered again");
        given().get("/q/health").then().statusCode(200);
        assertTrue(metric("xscore_trainer_jobs_accepted_total{source=\"trained\"}") >= 2.0);
    }

    /**
     * (e) A copy of a job that another trainer process runs (it holds the job's claim, delivered from another record)
     * is acknowledged without training: the holder's own record comes back if that trainer fails. Once the holder is
     * gone (SIGKILL), the job sent again trains here.
     */
    @Test
    void aCopyOfAJobAnotherTrainerRunsIsNotTrained() throws Exception {
        TrainingJob job = job("convmixer-8-2", 41);
        String copies = "xscore_trainer_jobs_not_retrained_total{source=\"copy\"}";
        double copiesBefore = metric(copies);
        Path checkpoints = Path.of(ConfigProvider.getConfig().getValue("xscore.trainer.checkpoint-dir", String.class));
        Process holder = ClaimHoldingProcess.start(checkpoints, job.jobId(), "trainer-elsewhere",
                Topics.TRAINING_JOBS, 0, Long.MAX_VALUE - 1);
        try {
            produce(job.jobId(), MessageCodec.encode(job));
            await().atMost(WAIT).until(() -> metric(copies) >= copiesBefore + 1);
            assertTrue(progressOf(job.jobId()).isEmpty(), "the copy did not start training");
            assertTrue(results.getRecords().stream().noneMatch(r -> job.jobId().equals(r.key())), "no result");
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        produce(job.jobId(), MessageCodec.encode(job));
        TrainingResult trained = awaitResult(job.jobId());
        assertEquals(TrainingResult.Status.SUCCEEDED, trained.status(), trained.failureReason());
        assertEquals(copiesBefore + 1, metric(copies));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    static KafkaShareConsumer<String, String> shareConsumer(String group) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", KafkaBrokerTestResource.bootstrapServers());
        c.put("group.id", group);
        c.put("share.acknowledgement.mode", "explicit");
        c.put("share.acquire.mode", "record_limit");
        c.put("max.poll.records", 1);
        return new KafkaShareConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TrainingJob job(String model, long seed) {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", 1, "trainSubset", 64, "testSubset", 32,
                "resolution", 16));
        return new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-pool-test", jobId(quick, model, "synthetic-shapes",
                seed), model, "synthetic-shapes", seed, quick, Instant.now());
    }

    /** A unique job id of the schema's form (32 hex digits); how the planner derives it does not matter here. */
    static String jobId(ProtocolSpec protocol, String model, String dataset, long seed) {
        return io.xscore.common.hash.Sha256.hex("share-group-test/" + protocol.name() + "/" + model + "/" + dataset
                + "/" + seed + "/" + UUID.randomUUID()).substring(0, 32);
    }

    private static void produce(String key, String value) {
        produce(Topics.TRAINING_JOBS, key, value);
    }

    private static void produce(String topic, String key, String value) {
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    private static List<TrainingProgress> progressOf(String jobId) {
        return progress.getRecords().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), TrainingProgress.class)).toList();
    }

    private static TrainingResult awaitResult(String jobId) {
        ConsumerRecord<String, String> record = await().atMost(WAIT).until(
                () -> results.getRecords().stream().filter(r -> jobId.equals(r.key())).findFirst(), Optional::isPresent)
                .orElseThrow();
        return MessageCodec.decode(record.value(), TrainingResult.class);
    }

    static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0.0);
    }
}
