package io.xscore.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Map;

/**
 * A real Kafka broker (KRaft, in this JVM) for {@code @QuarkusTest}s: started once per test JVM and shared by every
 * test class and profile, since starting one costs seconds. Exposes {@code kafka.bootstrap.servers}. Share groups
 * are enabled (the trainers take jobs from one).
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = new EmbeddedKafkaBroker()
                    .withNodeId(0)
                    .withKafkaPort(FreePorts.pick())
                    .withControllerPort(FreePorts.pick())
                    .withDeleteLogDirsOnClose(true)
                    .withAdditionalProperties(p -> {
                        p.put("num.partitions", "3");
                        p.put("auto.create.topics.enable", "true");
                        p.put("group.initial.rebalance.delay.ms", "0");
                        p.put("offsets.topic.num.partitions", "1");
                        // Share groups (KIP-932; the trainers' job queue). Kafka 4.2+ enables them with the
                        // share.version feature, on by default in storage formatted at the latest production metadata
                        // version (as here); the share-state topic needs replication 1 on a single broker (default
                        // 3: share groups would never initialise).
                        p.put("share.coordinator.state.topic.replication.factor", "1");
                        p.put("share.coordinator.state.topic.min.isr", "1");
                        p.put("share.coordinator.state.topic.num.partitions", "1");
                        // Tests use the shortest acquisition lock the broker accepts by default (15 s) and the
                        // smallest delivery limit (2); stated here so a change of broker defaults is seen.
                        p.put("group.share.min.record.lock.duration.ms", "15000");
                        p.put("group.share.min.delivery.count.limit", "2");
                    })
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        }
        return broker.getAdvertisedListeners();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM; closed by the shutdown hook.
    }
}
