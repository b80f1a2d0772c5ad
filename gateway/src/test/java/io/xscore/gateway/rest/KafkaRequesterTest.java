package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.common.auth.Roles;
import io.xscore.common.messaging.Topics;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests written straight to Kafka are attributed to the producer: one written to
 * {@code xscore.evaluation-requests.from.<principal>} (a topic that only that Kafka user may write, by ACL) is
 * {@code kafka:<principal>}'s, whatever its {@code requestedBy} says; and another producer cannot take over an
 * evaluation id that is not its own (dead-lettered with the reason).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DatasetServiceFixture.class, restrictToAnnotatedClass = false)
class KafkaRequesterTest {

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

    @BeforeEach
    void viewer() {
        TestTokens.authenticateAs("kafka-tests", Roles.VIEWER);
    }

    static String request(String id, String requestedBy) {
        return """
                {"schemaVersion":1,"evaluationId":"%s","models":["convmixer-32-2"],"datasets":["fashion-mnist"],
                 "seeds":[0],"protocol":"quick","overrides":{"epochs":1},"requestedBy":"%s"}"""
                .formatted(id, requestedBy);
    }

    private static void produce(String topic, String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion(Duration.ofSeconds(10));
    }

    @Test
    void aRequestOnAProducersTopicIsThatPrincipals() {
        String id = "kafka-" + UUID.randomUUID();
        produce(Topics.evaluationRequestsFrom("team-a"), id, request(id, "mallory"));
        await().atMost(Duration.ofSeconds(60)).until(() -> evaluations.findByIdOptional(id).isPresent());
        assertEquals("kafka:team-a", evaluations.findById(id).requestedBy);
        given().when().get("/api/v1/evaluations/" + id).then().statusCode(200)
                .body("submittedBy", equalTo("kafka:team-a")).body("source", equalTo("kafka"));
    }

    @Test
    void anotherProducerCannotReuseAnEvaluationIdThatIsNotItsOwn() {
        String id = "kafka-" + UUID.randomUUID();
        produce(Topics.evaluationRequestsFrom("team-a"), id, request(id, "x"));
        await().atMost(Duration.ofSeconds(60)).until(() -> evaluations.findByIdOptional(id).isPresent());

        produce(Topics.evaluationRequestsFrom("team-b"), id, request(id, "x"));
        String dlq = Topics.deadLetter(Topics.EVALUATION_REQUESTS, "gateway");
        String reason = await().atMost(Duration.ofSeconds(60)).until(() -> kafka.consumeStrings()
                        .fromTopics(dlq, Duration.ofSeconds(3)).awaitCompletion().getRecords().stream()
                        .filter(r -> id.equals(r.key())).map(r -> new String(r.headers()
                                .lastHeader(Topics.DEAD_LETTER_REASON_HEADER).value(), StandardCharsets.UTF_8))
                        .findFirst().orElse(null),
                java.util.Objects::nonNull);
        org.junit.jupiter.api.Assertions.assertTrue(reason.contains("another submitter"), reason);
        assertEquals("kafka:team-a", evaluations.findById(id).requestedBy);
    }

    @Test
    void theProducerIsTakenFromTheTopicName() {
        assertEquals("team-a", Topics.producerOf("xscore.evaluation-requests.from.team-a").orElseThrow());
        assertEquals(java.util.Optional.empty(), Topics.producerOf(Topics.EVALUATION_REQUESTS));
        assertEquals(java.util.Optional.empty(), Topics.producerOf("xscore.evaluation-requests.dlq.gateway"));
        org.junit.jupiter.api.Assertions.assertFalse(
                java.util.regex.Pattern.matches(Topics.EVALUATION_REQUESTS_PATTERN, "xscore.evaluation-requests.dlq.gateway"));
        org.junit.jupiter.api.Assertions.assertTrue(
                java.util.regex.Pattern.matches(Topics.EVALUATION_REQUESTS_PATTERN, "xscore.evaluation-requests.from.team-a"));
    }
}
