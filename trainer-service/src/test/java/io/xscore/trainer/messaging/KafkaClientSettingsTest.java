package io.xscore.trainer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.trainer.config.TrainerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * The trainer's own Kafka clients (share consumer, admin client) get the cluster's security settings: what Quarkus
 * makes of KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG and the KAFKA_SSL_TRUSTSTORE_*
 * variables set by deploy/k8s/components/kafka-client-auth (the bean "default-kafka-broker": keys without the kafka.
 * prefix). Before, both clients got bootstrap.servers only and could not connect to an authenticating cluster.
 */
class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"xscore-trainer-service\" password=\"secret\";";

    /** The default-kafka-broker map as Quarkus builds it from application.properties and the pod's environment. */
    private static Map<String, Object> brokerConfig() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", "xscore-kafka-bootstrap:9093");
        m.put("security.protocol", "SASL_SSL");
        m.put("sasl.mechanism", "SCRAM-SHA-512");
        m.put("sasl.jaas.config", JAAS);
        m.put("ssl.truststore.type", "PEM");
        m.put("ssl.truststore.location", "/etc/xscore/kafka-ca/ca.crt");
        // not connection settings: must not reach the share consumer or the admin client
        m.put("group.id", "someone-elses-group");
        m.put("auto.offset.reset", "latest");
        m.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        // an empty value is an unset variable, not a setting
        m.put("ssl.keystore.location", "");
        return m;
    }

    @Test
    void theShareConsumerGetsTheSecuritySettingsAndItsGroupsOwn() {
        Map<String, Object> c = TrainingJobConsumer.consumerConfig(new KafkaClientSettings(brokerConfig()),
                shareGroup(), "trainer-7");

        assertEquals("xscore-kafka-bootstrap:9093", c.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("SASL_SSL", c.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", c.get("sasl.mechanism"));
        assertEquals(JAAS, c.get("sasl.jaas.config"));
        assertEquals("PEM", c.get("ssl.truststore.type"));
        assertEquals("/etc/xscore/kafka-ca/ca.crt", c.get("ssl.truststore.location"));
        // the share group's own settings win over anything in kafka.*
        assertEquals("trainers", c.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("trainer-jobs-trainer-7", c.get(ConsumerConfig.CLIENT_ID_CONFIG));
        assertEquals("explicit", c.get(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG));
        assertEquals("record_limit", c.get(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG));
        assertEquals(1, c.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertFalse(c.containsKey("auto.offset.reset"));
        assertFalse(c.containsKey("value.deserializer"));
        assertFalse(c.containsKey("ssl.keystore.location"));
    }

    @Test
    void theAdminClientGetsTheSecuritySettings() {
        Map<String, Object> c = new ShareGroupSettings(new KafkaClientSettings(brokerConfig()), shareGroup())
                .adminConfig();

        assertEquals("xscore-kafka-bootstrap:9093", c.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("SASL_SSL", c.get(AdminClientConfig.SECURITY_PROTOCOL_CONFIG));
        assertEquals("SCRAM-SHA-512", c.get("sasl.mechanism"));
        assertEquals(JAAS, c.get("sasl.jaas.config"));
        assertEquals("/etc/xscore/kafka-ca/ca.crt", c.get("ssl.truststore.location"));
        assertEquals(30_000, c.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
        assertFalse(c.containsKey("group.id"));
    }

    @Test
    void withoutSecuritySettingsOnlyTheBootstrapServersPass() {
        KafkaClientSettings plain = new KafkaClientSettings(Map.of("bootstrap.servers", "127.0.0.1:9092",
                "group.id", "gateway"));

        Map<String, Object> admin = new ShareGroupSettings(plain, shareGroup()).adminConfig();

        assertEquals("127.0.0.1:9092", admin.get("bootstrap.servers"));
        assertFalse(admin.containsKey("security.protocol"));
        assertFalse(admin.containsKey("group.id"));
        assertEquals("127.0.0.1:9092", plain.bootstrapServers());
    }

    @Test
    void theDescriptionNamesSettingsButNeverTheirValues() {
        String text = new KafkaClientSettings(brokerConfig()).toString();

        assertTrue(text.contains("sasl.jaas.config"), text);
        assertFalse(text.contains("secret"), text);
    }

    private static TrainerConfig.ShareGroup shareGroup() {
        return new TrainerConfig.ShareGroup() {
            @Override
            public String id() {
                return "trainers";
            }

            @Override
            public Duration lockDuration() {
                return Duration.ofSeconds(60);
            }

            @Override
            public int deliveryLimit() {
                return 10;
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
