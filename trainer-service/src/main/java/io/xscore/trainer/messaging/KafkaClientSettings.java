package io.xscore.trainer.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The connection and security settings of the trainer's own Kafka clients (the share consumer taking jobs, the admin
 * client configuring the share group), the same as its SmallRye channels use.
 *
 * <p>Quarkus gathers every {@code kafka.*} property into the bean {@code @Identifier("default-kafka-broker")}, prefix
 * removed and environment spellings mapped ({@code KAFKA_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}), and the
 * SmallRye Kafka connector passes that map to every channel. Clients created with {@code new KafkaShareConsumer} or
 * {@code Admin.create} see none of it: before this class they got {@code bootstrap.servers} only, so against a
 * cluster that requires authentication (the Strimzi listener in deploy/k8s: SASL_SSL, SCRAM-SHA-512) the trainers'
 * channels connected while their job consumer did not. This selects from the same map what a client needs to reach
 * and authenticate to the cluster: {@code bootstrap.servers}, {@code security.protocol}, {@code client.dns.lookup},
 * every {@code sasl.*} and {@code ssl.*} setting, and Quarkus' {@code tls-configuration-name} (TLS registry). Other
 * {@code kafka.*} properties (a channel's group, offsets, serializers) do not apply to these clients and are left out.
 */
@ApplicationScoped
public class KafkaClientSettings {

    private final Map<String, Object> settings;

    @Inject
    public KafkaClientSettings(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.settings = Map.copyOf(select(kafkaConfig));
    }

    /** The connection and security settings among {@code kafkaConfig} (keys without the {@code kafka.} prefix). */
    static Map<String, Object> select(Map<String, ?> kafkaConfig) {
        Map<String, Object> selected = new TreeMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (value != null && !value.toString().isEmpty() && applies(key)) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    static boolean applies(String key) {
        return key.equals("bootstrap.servers") || key.equals("security.protocol") || key.equals("client.dns.lookup")
                || key.startsWith("sasl.") || key.startsWith("ssl.") || key.equals("tls-configuration-name");
    }

    /** A new, mutable client configuration: these settings, then {@code clientSpecific} (which wins). */
    public Map<String, Object> with(Map<String, Object> clientSpecific) {
        Map<String, Object> config = new HashMap<>(settings);
        config.putAll(clientSpecific);
        return config;
    }

    /** The bootstrap servers, for log messages. */
    public String bootstrapServers() {
        return String.valueOf(settings.getOrDefault("bootstrap.servers", ""));
    }

    /** The setting names (never their values: sasl.jaas.config holds a password). */
    @Override
    public String toString() {
        return "KafkaClientSettings" + settings.keySet();
    }
}
