package io.xscore.trainer.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.protocol.Protocols;
import io.xscore.testsupport.KafkaBrokerTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * (e) A graceful stop (what SIGTERM's ShutdownEvent does) stops the running job after its batch, publishes RELEASED
 * with the attempt and releases the record: another member of the group gets it at once (its next delivery), not
 * after the lock (15 s) expires. Own profile: the stopped trainer takes no more jobs, so it must not be shared.
 */
@QuarkusTest
@TestProfile(GracefulReleaseTest.OwnTrainer.class)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(DatasetFixtureServer.class)
class GracefulReleaseTest {

    public static class OwnTrainer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xscore.trainer.name", "trainer-graceful-test");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Inject
    TrainingJobConsumer consumer;

    @Test
    void aGracefulStopReleasesTheJobAndPublishesReleased() {
        try (KafkaCompanion companion = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers())) {
            ConsumerTask<String, String> progress = companion.consumeStrings().fromTopics(Topics.TRAINING_PROGRESS);
            TrainingJob job = new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-graceful",
                    ShareGroupPoolTest.jobId(Protocols.get("paper-v1"), "convmixer-16-1", "synthetic-shapes", 41),
                    "convmixer-16-1", "synthetic-shapes", 41, Protocols.get("paper-v1"), Instant.now());
            companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAINING_JOBS, job.jobId(),
                    MessageCodec.encode(job))).awaitCompletion(Duration.ofSeconds(30));
            await().atMost(WAIT).until(() -> progressOf(progress, job.jobId()).stream()
                    .anyMatch(p -> p.kind() == TrainingProgress.Kind.EPOCH));

            long stopping = System.nanoTime();
            consumer.stop();
            TrainingProgress released = await().atMost(Duration.ofSeconds(30)).until(() -> progressOf(progress,
                    job.jobId()).stream().filter(p -> p.kind() == TrainingProgress.Kind.RELEASED).findFirst(),
                    Optional::isPresent).orElseThrow();
            assertNotNull(released.attempt());
            assertEquals(1, released.attempt().delivery());
            assertEquals("trainer-graceful-test", released.attempt().trainer());
            assertTrue(released.epoch() >= 1, "epochs completed: " + released.epoch());

            try (KafkaShareConsumer<String, String> next = ShareGroupPoolTest.shareConsumer("trainers")) {
                next.subscribe(List.of(Topics.TRAINING_JOBS));
                ConsumerRecord<String, String> again = null;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (again == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : next.poll(Duration.ofMillis(500))) {
                        if (job.jobId().equals(r.key())) {
                            again = r;
                            next.acknowledge(r, AcknowledgeType.ACCEPT);
                        } else {
                            next.acknowledge(r, AcknowledgeType.RELEASE);
                        }
                    }
                    next.commitSync();
                }
                assertNotNull(again, "the released job is delivered to the next member");
                assertEquals(2, (int) again.deliveryCount().orElseThrow());
                assertTrue(Duration.ofNanos(System.nanoTime() - stopping).compareTo(Duration.ofSeconds(14)) < 0,
                        "released at once, not after the 15 s lock expired");
            }
            progress.stop();
        }
    }

    private static List<TrainingProgress> progressOf(ConsumerTask<String, String> progress, String jobId) {
        return progress.getRecords().stream().filter(r -> jobId.equals(r.key()))
                .map(r -> MessageCodec.decode(r.value(), TrainingProgress.class)).toList();
    }
}
