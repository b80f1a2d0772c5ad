package io.xscore.trainer.messaging;

import io.xscore.common.messaging.Topics;
import io.xscore.trainer.config.TrainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Sets the trainers' share group configuration on the broker at start-up, explicitly and idempotently (SET of the
 * same values by every trainer), so a real cluster is configured by the same code as the test broker:
 *
 * <ul>
 *   <li>group configs (Kafka 4.3 {@code GroupConfig}): {@code share.record.lock.duration.ms},
 *       {@code share.delivery.count.limit}, {@code share.auto.offset.reset}, {@code share.renew.acknowledge.enable};
 *   <li>{@code share.acquire.mode} is a consumer config in 4.3 (set on the consumer, not here);
 *   <li>broker configs, which this code cannot set: the share.version feature (share groups on), the bounds
 *       {@code group.share.min/max.record.lock.duration.ms} and {@code group.share.min/max.delivery.count.limit},
 *       and the replication of {@code __share_group_state} ({@code share.coordinator.state.topic.*}).
 * </ul>
 *
 * Must run before the first trainer subscribes, or the group would start at the latest offset (Kafka's default).
 *
 * <p>It also creates {@code xscore.training-jobs} with ONE partition when the topic does not exist yet. Kafka's share
 * group assignor gives a partition to several members only when the group has more members than the topic has
 * partitions; with as many trainers as partitions or fewer, each partition has a single trainer, and a partition's
 * jobs wait for that trainer while the others idle (measured: 12 jobs of one evaluation on a 3-partition topic all
 * went to one of 3 trainers). One partition makes every trainer a member of it: any idle trainer takes the next job,
 * in publish order. A few long jobs need no partition throughput. An existing topic with more partitions is left as
 * it is (partitions cannot be removed) and a warning says so.
 */
final class ShareGroupSettings {

    private static final Logger LOG = Logger.getLogger(ShareGroupSettings.class);

    private final KafkaClientSettings kafka;
    private final TrainerConfig.ShareGroup config;

    ShareGroupSettings(KafkaClientSettings kafka, TrainerConfig.ShareGroup config) {
        this.kafka = kafka;
        this.config = config;
    }

    /**
     * The admin client's configuration: the cluster's connection and security settings (the same {@code kafka.*}
     * settings as the SmallRye channels, {@link KafkaClientSettings}) and its timeouts.
     */
    Map<String, Object> adminConfig() {
        return kafka.with(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000));
    }

    /** The group configs this trainer sets, in order. */
    Map<String, String> groupConfigs() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("share.auto.offset.reset", config.autoOffsetReset());
        values.put("share.renew.acknowledge.enable", Boolean.toString(config.renewAcknowledgeEnable()));
        values.put("share.record.lock.duration.ms", Long.toString(config.lockDuration().toMillis()));
        values.put("share.delivery.count.limit", Integer.toString(config.deliveryLimit()));
        return values;
    }

    /**
     * Checks that share groups are enabled and sets the group's configs; retries while the broker cannot be reached
     * (until {@code stopping}). A value the broker refuses (outside its bounds) is logged as an error and the others
     * are still set one by one.
     *
     * @return a problem to report (share groups off, values refused), or null when all is set
     */
    String apply(BooleanSupplier stopping) throws InterruptedException {
        long backoff = 1_000;
        while (!stopping.getAsBoolean()) {
            try (Admin admin = Admin.create(adminConfig())) {
                String problem = checkFeature(admin);
                ensureJobsTopic(admin);
                ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, config.id());
                try {
                    set(admin, group, groupConfigs());
                    LOG.infof("share group %s configured: %s", config.id(), groupConfigs());
                    return problem;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RetriableException) {
                        throw e;
                    }
                    LOG.errorf("share group %s: the broker refused its configuration %s (%s); setting each value "
                            + "alone", config.id(), groupConfigs(), e.getCause().getMessage());
                }
                List<String> refused = new ArrayList<>();
                for (Map.Entry<String, String> entry : groupConfigs().entrySet()) {
                    try {
                        set(admin, group, Map.of(entry.getKey(), entry.getValue()));
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RetriableException) {
                            throw e;
                        }
                        LOG.errorf("share group %s: %s=%s refused by the broker: %s", config.id(), entry.getKey(),
                                entry.getValue(), e.getCause().getMessage());
                        refused.add(entry.getKey() + "=" + entry.getValue());
                    }
                }
                String refusal = refused.isEmpty() ? null : "share group configs refused by the broker: " + refused;
                return problem == null ? refusal : refusal == null ? problem : problem + "; " + refusal;
            } catch (ExecutionException | org.apache.kafka.common.KafkaException | java.util.concurrent.TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                LOG.warnf("share group %s cannot be configured yet (%s); retrying in %d ms", config.id(),
                        cause.toString(), backoff);
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 15_000);
        }
        return null;
    }

    private static void set(Admin admin, ConfigResource group, Map<String, String> values)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        List<AlterConfigOp> ops = values.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(60, TimeUnit.SECONDS);
    }

    /** Creates the jobs topic with one partition if it is missing; warns when it has more. */
    private static void ensureJobsTopic(Admin admin)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        String topic = Topics.TRAINING_JOBS;
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(60, TimeUnit.SECONDS).get(topic);
            int partitions = description.partitions().size();
            if (partitions > 1) {
                LOG.warnf("%s has %d partitions: the share group gives each partition to a single trainer while the "
                        + "pool has %d trainers or fewer, so jobs can wait behind a busy trainer while others idle. "
                        + "Recreate it with 1 partition (deploy/k8s/components/strimzi/topics.yaml does).", topic, partitions,
                        partitions);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                        .get(60, TimeUnit.SECONDS);
                LOG.infof("created %s with 1 partition (one queue shared by every trainer)", topic);
            } catch (ExecutionException created) {
                if (!(created.getCause() instanceof TopicExistsException)) {
                    throw created;
                }
            }
        }
    }

    /** Null when the cluster has share groups on (feature share.version ≥ 1), else what to do about it. */
    private String checkFeature(Admin admin)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        FeatureMetadata features = admin.describeFeatures().featureMetadata().get(60, TimeUnit.SECONDS);
        FinalizedVersionRange share = features.finalizedFeatures().get("share.version");
        if (share != null && share.maxVersionLevel() >= 1) {
            return null;
        }
        String problem = "share groups are not enabled on the Kafka cluster (feature share.version is "
                + (share == null ? "absent" : share.maxVersionLevel()) + "): trainers cannot take jobs. Kafka 4.2+ "
                + "enables them on clusters formatted at its metadata version; an older cluster: "
                + "kafka-features.sh --bootstrap-server <broker> upgrade --feature share.version=1";
        LOG.error(problem);
        return problem;
    }
}
