package io.xscore.fault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The suite's own Kafka client: writes records as another producer would, and reads whole topics (dead-letter topics
 * above all) from the beginning without joining any group, so it never disturbs the services' consumer groups.
 */
final class KafkaProbe implements AutoCloseable {

    private final String bootstrap;
    private KafkaProducer<String, String> producer;

    KafkaProbe(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Writes one record and waits for the broker's acknowledgement. */
    synchronized RecordMetadata send(String topic, String key, String value, Iterable<Header> headers) {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        try {
            return producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
            throw new IllegalStateException("cannot write to " + topic + ": " + e, e);
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Every record now in the topic, partition by partition in offset order; empty if the topic does not exist. */
    List<ConsumerRecord<String, String>> readAll(String topic) {
        try (KafkaConsumer<String, String> c = consumer()) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 60 s");
                }
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            return out;
        }
    }

    /** Sum over partitions of the end offsets (records ever written, for topics without compaction). */
    long endOffset(String topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, String> c = consumer()) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return Map.of();
            }
            return c.endOffsets(infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList(),
                    Duration.ofSeconds(30));
        }
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return Admin.create(p);
    }

    Set<String> topics() {
        try (Admin admin = admin()) {
            return new TreeSet<>(admin.listTopics().names().get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("cannot list topics: " + e, e);
        }
    }

    /** Consumer groups whose id starts with {@code prefix}. */
    @SuppressWarnings("deprecation")
    Set<String> groups(String prefix) {
        try (Admin admin = admin()) {
            Set<String> out = new TreeSet<>();
            admin.listConsumerGroups().all().get(60, TimeUnit.SECONDS).forEach(g -> {
                if (g.groupId().startsWith(prefix)) {
                    out.add(g.groupId());
                }
            });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list consumer groups: " + e, e);
        }
    }

    /** The group's committed offsets (empty when it committed nothing). */
    Map<TopicPartition, Long> committed(String group) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + ": " + e, e);
        }
    }

    /** Whether the group has committed every record of the topic that exists now (it has read them all). */
    boolean caughtUp(String group, String topic) {
        Map<TopicPartition, Long> end = endOffsets(topic);
        Map<TopicPartition, Long> committed = committed(group);
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                || committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
