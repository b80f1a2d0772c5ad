package io.xscore.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.messaging.Topics;
import io.xscore.testsupport.KafkaSaslBrokerTestResource;
import io.xscore.testsupport.StrimziManifests;
import io.xscore.trainer.config.TrainerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trainer's own Kafka clients, configured by {@link KafkaClientSettings} from the {@code kafka.*} settings as
 * deploy/k8s/components/kafka-client-auth sets them (security.protocol, sasl.mechanism, sasl.jaas.config), against a
 * real broker that authenticates with SCRAM-SHA-512 and authorizes with the ACLs of the trainer's KafkaUser in
 * deploy/k8s/components/strimzi/users.yaml ({@link KafkaSaslBrokerTestResource}; SASL_PLAINTEXT here, SASL_SSL in
 * Kubernetes: TLS is not covered). The admin client configures the share group (ShareGroupSettings), the share
 * consumer takes a job as a member of {@code trainers}; neither the password nor the JAAS configuration appears in
 * what is logged, even when authentication fails.
 */
class KafkaClientSettingsSaslTest {

    private static final String TRAINER = "xscore-trainer-service";
    private static final String GATEWAY = "xscore-gateway";
    private static final String PASSWORD = "Tr41ner-S3cret-" + Long.toHexString(System.nanoTime());
    private static final String WRONG_PASSWORD = "Wr0ng-S3cret-" + Long.toHexString(System.nanoTime());

    private final StringBuilder logged = new StringBuilder();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            try {
                if (record.getParameters() != null && record.getParameters().length > 0) {
                    message = message + " " + java.util.Arrays.toString(record.getParameters());
                }
                message = new java.util.logging.SimpleFormatter().formatMessage(record) + " | " + message;
            } catch (RuntimeException e) {
                // keep the raw message
            }
            synchronized (logged) {
                logged.append(record.getLoggerName()).append(": ").append(message).append('\n');
                if (record.getThrown() != null) {
                    for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                        logged.append("  ").append(t).append('\n');
                    }
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void brokerWithTheManifestsUsersAndAcls() {
        KafkaSaslBrokerTestResource.createTopics(StrimziManifests.topics());
        Map<String, List<org.apache.kafka.common.acl.AclBinding>> acls = StrimziManifests.userAcls();
        KafkaSaslBrokerTestResource.createScramUser(TRAINER, PASSWORD);
        KafkaSaslBrokerTestResource.createAcls(acls.get(TRAINER));
        KafkaSaslBrokerTestResource.createScramUser(GATEWAY, "gateway-" + PASSWORD);
        KafkaSaslBrokerTestResource.createAcls(acls.get(GATEWAY));
    }

    /** Levels changed for the capture, to restore: loggers are global, and Quarkus sets Kafka's clients to WARN. */
    private final Map<Logger, Level> levels = new HashMap<>();

    @BeforeEach
    void captureLogs() {
        capture.setLevel(Level.ALL);
        // Every Kafka and xScore logger at INFO at least, so that Kafka's configuration logs (ProducerConfig,
        // AdminClientConfig... "values:") are seen even after a @QuarkusTest of this JVM set its categories.
        List<String> names = new java.util.ArrayList<>(List.of("org.apache.kafka", "org.apache.kafka.clients", "io.xscore"));
        java.util.Collections.list(java.util.logging.LogManager.getLogManager().getLoggerNames()).stream()
                .filter(n -> n.startsWith("org.apache.kafka") || n.startsWith("io.xscore")).forEach(names::add);
        for (String name : names) {
            Logger logger = Logger.getLogger(name);
            if (!levels.containsKey(logger)) {
                levels.put(logger, logger.getLevel());
                if (logger.getLevel() == null || logger.getLevel().intValue() > Level.INFO.intValue()) {
                    logger.setLevel(Level.INFO);
                }
            }
        }
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
        levels.forEach(Logger::setLevel);
        levels.clear();
    }

    private String logged() {
        synchronized (logged) {
            return logged.toString();
        }
    }

    /**
     * The default-kafka-broker map as Quarkus makes it of application.properties and the pod's environment
     * (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG), with the test broker's SASL listener.
     */
    private static Map<String, Object> defaultKafkaBroker(String password) {
        Map<String, Object> m = new HashMap<>(KafkaSaslBrokerTestResource.clientConfig(TRAINER, password));
        m.put("group.id", "not-for-these-clients");
        return m;
    }

    @Test
    void theAdminClientConfiguresTheShareGroupAndTheShareConsumerTakesAJob() throws Exception {
        KafkaClientSettings kafka = new KafkaClientSettings(defaultKafkaBroker(PASSWORD));

        ShareGroupSettings settings = new ShareGroupSettings(kafka, shareGroup());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        assertNull(settings.apply(() -> System.nanoTime() > deadline), "share group configured as the trainer user");
        try (Admin admin = KafkaSaslBrokerTestResource.admin()) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "trainers");
            ConfigEntry lock = admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .get("share.record.lock.duration.ms");
            assertEquals("15000", lock.value(), "the trainer's admin client did not configure the share group");
        }

        String job = "sasl-job-" + System.nanoTime();
        Map<String, Object> gateway = KafkaSaslBrokerTestResource.clientConfig(GATEWAY, "gateway-" + PASSWORD);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(gateway, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_JOBS, job, job)).get(30, TimeUnit.SECONDS);
        }

        Map<String, Object> config = TrainingJobConsumer.consumerConfig(kafka, shareGroup(), "trainer-sasl");
        assertEquals("SASL_PLAINTEXT", config.get("security.protocol"));
        boolean received = false;
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.TRAINING_JOBS));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!received && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received |= job.equals(record.value());
                    consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                }
                consumer.commitSync(Duration.ofSeconds(15));
            }
            consumer.close(Duration.ofSeconds(10));
        }
        assertTrue(received, "the trainer's share consumer took no job from " + Topics.TRAINING_JOBS);

        String logs = logged();
        // the capture sees Kafka's own configuration logs, which hide the JAAS configuration
        assertTrue(logs.contains("sasl.jaas.config = [hidden]"), "Kafka's client configuration was not captured");
        assertFalse(logs.contains(PASSWORD), "the password was logged");
        assertFalse(logs.contains("ScramLoginModule"), "the JAAS configuration was logged");
        assertFalse(kafka.toString().contains(PASSWORD), kafka.toString());
        assertFalse(kafka.toString().contains("ScramLoginModule"), kafka.toString());
    }

    @Test
    void aWrongPasswordIsRefusedAndNeitherPasswordIsLogged() throws Exception {
        KafkaClientSettings kafka = new KafkaClientSettings(defaultKafkaBroker(WRONG_PASSWORD));
        ShareGroupSettings settings = new ShareGroupSettings(kafka, shareGroup());
        AtomicInteger attempts = new AtomicInteger();
        // apply retries while it cannot reach the cluster: stop after the first refusal is logged
        settings.apply(() -> logged().contains("cannot be configured yet") || attempts.incrementAndGet() > 200);

        String logs = logged();
        assertTrue(logs.contains("SaslAuthenticationException"), "no authentication failure logged:\n" + logs);
        assertFalse(logs.contains(WRONG_PASSWORD), "the password was logged");
        assertFalse(logs.contains(PASSWORD), "the password was logged");
        assertFalse(logs.contains("ScramLoginModule"), "the JAAS configuration was logged");
    }

    private static TrainerConfig.ShareGroup shareGroup() {
        return new TrainerConfig.ShareGroup() {
            @Override
            public String id() {
                return "trainers";
            }

            @Override
            public Duration lockDuration() {
                return Duration.ofSeconds(15);
            }

            @Override
            public int deliveryLimit() {
                return 3;
            }

            @Override
            public String autoOffsetReset() {
                return "earliest";
            }

            @Override
            public boolean renewAcknowledgeEnable() {
                return true;
            }

            @Override
            public String acquireMode() {
                return "record_limit";
            }

            @Override
            public Duration stopTimeout() {
                return Duration.ofSeconds(90);
            }
        };
    }
}
