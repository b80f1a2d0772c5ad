package io.xscore.scoring.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.testsupport.KafkaSaslBrokerTestResource;
import io.xscore.testsupport.StrimziManifests;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The scoring service's SmallRye channels with the Kafka settings of deploy/k8s/components/kafka-client-auth
 * ({@code kafka.security.protocol}, {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config}; SASL_PLAINTEXT here,
 * SASL_SSL there: TLS is not covered) against a broker that authenticates with SCRAM-SHA-512 and authorizes with the
 * ACLs of deploy/k8s/components/strimzi/users.yaml ({@link KafkaSaslBrokerTestResource}): the service consumes plans
 * and results in its group and publishes the score set as user xscore-scoring-service. This test plays the gateway
 * and the trainers with their own users.
 */
@QuarkusTest
@TestProfile(ScoringSaslTest.Sasl.class)
class ScoringSaslTest {

    static final String SCORING = "xscore-scoring-service";
    static final String GATEWAY = "xscore-gateway";
    static final String TRAINER = "xscore-trainer-service";

    static String password(String user) {
        return "pw-" + user + "-sasl-test";
    }

    /**
     * A client of {@code user} on the broker the service uses. The profile (system class loader) started that broker;
     * this test runs in Quarkus' class loader, where KafkaSaslBrokerTestResource is another class with no broker: the
     * bootstrap servers come from the configuration.
     */
    static Map<String, Object> client(String user) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig()
                .getValue("mp.messaging.connector.smallrye-kafka.bootstrap.servers", String.class));
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        c.put(SaslConfigs.SASL_MECHANISM, KafkaSaslBrokerTestResource.MECHANISM);
        c.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaSaslBrokerTestResource.jaasConfig(user, password(user)));
        return c;
    }

    /** The SASL broker with the manifests' topics, users and ACLs; the service connects as the scoring user. */
    public static class Sasl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String bootstrap = KafkaSaslBrokerTestResource.bootstrapServers();
            KafkaSaslBrokerTestResource.createTopics(StrimziManifests.topics());
            Map<String, List<AclBinding>> acls = StrimziManifests.userAcls();
            for (String user : List.of(SCORING, GATEWAY, TRAINER)) {
                KafkaSaslBrokerTestResource.createScramUser(user, password(user));
                KafkaSaslBrokerTestResource.createAcls(acls.get(user));
            }
            // kafka.bootstrap.servers is the plaintext test broker's (KafkaBrokerTestResource applies to every
            // @QuarkusTest of the module): the channels' bootstrap is set at the connector level, which wins over
            // kafka.*; the security settings are the kafka.* ones the Kubernetes deployment sets.
            return Map.of("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap,
                    "kafka.security.protocol", "SASL_PLAINTEXT",
                    "kafka.sasl.mechanism", KafkaSaslBrokerTestResource.MECHANISM,
                    "kafka.sasl.jaas.config", KafkaSaslBrokerTestResource.jaasConfig(SCORING, password(SCORING)));
        }
    }

    @Test
    void theScoringUserConsumesPlansAndResultsAndPublishesTheScoreSet() throws Exception {
        String evaluation = "eval-sasl-" + UUID.randomUUID();
        PlannedJob job = ScoringFlowTest.job(ScoringFlowTest.M1, ScoringFlowTest.FM);
        EvaluationPlan plan = ScoringFlowTest.plan(evaluation, List.of(job), false);
        TrainingResult result = ScoringFlowTest.succeeded(evaluation, job, 80);

        Map<String, Object> gatewayConfig = client(GATEWAY);
        gatewayConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway");
        gatewayConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> scores = new KafkaConsumer<>(gatewayConfig, new StringDeserializer(),
                new StringDeserializer())) {
            scores.subscribe(List.of(Topics.SCORES));
            send(GATEWAY, Topics.EVALUATION_PLANS, evaluation, MessageCodec.encode(plan));
            send(TRAINER, Topics.TRAINING_RESULTS, job.jobId(), MessageCodec.encode(result));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/results/" + job.jobId())
                    .then().statusCode(200).body("testAccuracy", equalTo(80.0f)));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            ScoreSet complete = null;
            while (complete == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : scores.poll(Duration.ofMillis(500))) {
                    ScoreSet set = MessageCodec.decode(r.value(), ScoreSet.class);
                    if (evaluation.equals(r.key()) && set.complete()) {
                        complete = set;
                    }
                }
            }
            if (complete == null) {
                throw new AssertionError("no complete score set for " + evaluation + " on " + Topics.SCORES);
            }
        }
    }

    private static void send(String user, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                client(user), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }
}
