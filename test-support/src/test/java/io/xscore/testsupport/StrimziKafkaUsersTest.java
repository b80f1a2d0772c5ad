package io.xscore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka users of deploy/k8s/components/strimzi/users.yaml, with their ACLs as declared there, against a real broker
 * that authenticates with SCRAM-SHA-512 and authorizes with ACLs ({@link KafkaSaslBrokerTestResource}; SASL_PLAINTEXT:
 * TLS, the only difference from the Strimzi listener, is not covered). What each service needs is read from its
 * application.properties (its producer topics, its consumer topics and group ids, the dead-letter topics it writes)
 * plus what the trainer's own clients do (share group {@code trainers}, its group configs): each need must be covered by
 * an ACL (and the broker must allow it), and each ACL must be needed by its service (nothing more).
 */
class StrimziKafkaUsersTest {

    /** The services and their KafkaUsers; the dataset service uses no Kafka and has none. */
    private static final Map<String, String> USERS = Map.of(
            "gateway", "xscore-gateway",
            "scoring-service", "xscore-scoring-service",
            "trainer-service", "xscore-trainer-service");

    /** Not in application.properties: the trainer's own share consumer (TrainingJobConsumer, Topics.TRAINING_JOBS). */
    private static final String TRAINING_JOBS = "xscore.training-jobs";

    private static Map<String, List<AclBinding>> acls;

    @BeforeAll
    static void usersTopicsAndAclsAsDeclared() {
        acls = StrimziManifests.userAcls();
        KafkaSaslBrokerTestResource.createTopics(StrimziManifests.topics());
        acls.forEach((user, bindings) -> {
            KafkaSaslBrokerTestResource.createScramUser(user, password(user));
            KafkaSaslBrokerTestResource.createAcls(bindings);
        });
    }

    private static String password(String user) {
        return "pw-" + user + "-" + Integer.toHexString(user.hashCode());
    }

    // ---- what a service needs, from its application.properties --------------------------------------------------

    /** A service's needs: topics it writes, topics it reads with the group it reads them in. */
    /** {@code readPrefixes}: topic prefixes read through a pattern subscription (per-producer request topics). */
    record Needs(Set<String> writes, Map<String, Set<String>> readsByGroup, Set<String> shareGroups,
            Set<String> groupConfigsAltered, Set<String> readPrefixes) {

        Set<String> topics() {
            Set<String> topics = new TreeSet<>(writes);
            readsByGroup.values().forEach(topics::addAll);
            return topics;
        }
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{[^${}]*}");

    /** A value with its ${...} expressions replaced by a sample (a pod name): groups named after the pod. */
    static String resolve(String value) {
        String resolved = value;
        Matcher m;
        while ((m = EXPRESSION.matcher(resolved)).find()) {
            resolved = m.replaceAll("pod-7");
        }
        return resolved;
    }

    static Needs needs(String service) throws IOException {
        Path file = StrimziManifests.repositoryRoot().resolve(service).resolve("src/main/resources/application.properties");
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        }
        Set<String> writes = new TreeSet<>();
        Map<String, Set<String>> reads = new LinkedHashMap<>();
        Set<String> shareGroups = new TreeSet<>();
        Set<String> altered = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        String defaultGroup = p.getProperty("mp.messaging.connector.smallrye-kafka.group.id");
        for (String key : p.stringPropertyNames()) {
            Matcher m = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector").matcher(key);
            if (!m.matches() || !"smallrye-kafka".equals(p.getProperty(key))) {
                continue;
            }
            String prefix = "mp.messaging." + m.group(1) + "." + m.group(2) + ".";
            String topic = p.getProperty(prefix + "topic");
            assertTrue(topic != null, service + ": channel " + m.group(2) + " names no topic");
            if (m.group(1).equals("outgoing")) {
                writes.add(resolve(topic));
                continue;
            }
            String group = p.getProperty(prefix + "group.id", defaultGroup);
            assertTrue(group != null, service + ": channel " + m.group(2) + " has no group.id");
            if ("true".equals(p.getProperty(prefix + "pattern"))) {
                // Topics.EVALUATION_REQUESTS_PATTERN: the requests topic and every xscore.evaluation-requests.from.*
                assertEquals(io.xscore.common.messaging.Topics.EVALUATION_REQUESTS_PATTERN, topic,
                        service + ": channel " + m.group(2) + " subscribes to a pattern Topics does not know");
                topic = io.xscore.common.messaging.Topics.EVALUATION_REQUESTS;
                prefixes.add(io.xscore.common.messaging.Topics.EVALUATION_REQUESTS_FROM);
            }
            reads.computeIfAbsent(resolve(group), g -> new TreeSet<>()).add(resolve(topic));
            if ("dead-letter-queue".equals(p.getProperty(prefix + "failure-strategy"))) {
                String dlq = p.getProperty(prefix + "dead-letter-queue.topic");
                assertTrue(dlq != null, service + ": channel " + m.group(2) + " dead-letters to the default topic");
                writes.add(resolve(dlq));
            }
        }
        String shareGroup = p.getProperty("xscore.trainer.share-group.id");
        if (shareGroup != null) {
            shareGroups.add(shareGroup);
            altered.add(shareGroup); // ShareGroupSettings: incrementalAlterConfigs on the group
            reads.computeIfAbsent(shareGroup, g -> new TreeSet<>()).add(TRAINING_JOBS);
        }
        return new Needs(writes, reads, shareGroups, altered, prefixes);
    }

    // ---- the ACLs cover every need and nothing else -----------------------------------------------------------

    private static boolean allows(String user, ResourceType type, String name, AclOperation operation) {
        return acls.getOrDefault(user, List.of()).stream().anyMatch(b -> b.entry().permissionType() == AclPermissionType.ALLOW
                && b.entry().operation() == operation && b.pattern().resourceType() == type
                && (b.pattern().patternType() == PatternType.LITERAL ? b.pattern().name().equals(name)
                        : name.startsWith(b.pattern().name())));
    }

    @Test
    void everyServiceThatUsesKafkaHasItsOwnUserAndNoOtherUserExists() throws IOException {
        assertEquals(new TreeSet<>(USERS.values()), new TreeSet<>(acls.keySet()), "KafkaUsers in users.yaml");
        Needs dataset = needs("dataset-service");
        assertTrue(dataset.topics().isEmpty(), "the dataset service uses Kafka now: it needs a KafkaUser " + dataset);
        for (String service : USERS.keySet()) {
            assertFalse(needs(service).topics().isEmpty(), service + " uses no Kafka topic?");
        }
    }

    @Test
    void theAclsOfEachUserCoverEverythingItsServiceDoesAndEveryTopicIsDeclared() throws IOException {
        Set<String> declared = StrimziManifests.topics().keySet();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> service : USERS.entrySet()) {
            String user = service.getValue();
            Needs needs = needs(service.getKey());
            for (String topic : needs.topics()) {
                if (!declared.contains(topic)) {
                    missing.add(service.getKey() + ": topic " + topic + " is not in topics.yaml");
                }
                if (!allows(user, ResourceType.TOPIC, topic, AclOperation.DESCRIBE)) {
                    missing.add(user + ": Describe on topic " + topic);
                }
            }
            needs.writes().stream().filter(t -> !allows(user, ResourceType.TOPIC, t, AclOperation.WRITE))
                    .forEach(t -> missing.add(user + ": Write on topic " + t));
            for (String prefix : needs.readPrefixes()) {
                for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                    boolean granted = acls.getOrDefault(user, List.of()).stream().anyMatch(b -> b.pattern()
                            .patternType() == PatternType.PREFIXED && b.pattern().name().equals(prefix)
                            && b.entry().operation() == op && b.entry().permissionType() == AclPermissionType.ALLOW);
                    if (!granted) {
                        missing.add(user + ": " + op + " on topics prefixed " + prefix);
                    }
                }
            }
            needs.readsByGroup().forEach((group, topics) -> {
                for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                    if (!allows(user, ResourceType.GROUP, group, op)) {
                        missing.add(user + ": " + op + " on group " + group);
                    }
                }
                topics.stream().filter(t -> !allows(user, ResourceType.TOPIC, t, AclOperation.READ))
                        .forEach(t -> missing.add(user + ": Read on topic " + t + " (group " + group + ")"));
            });
            needs.groupConfigsAltered().stream()
                    .filter(g -> !allows(user, ResourceType.GROUP, g, AclOperation.ALTER_CONFIGS))
                    .forEach(g -> missing.add(user + ": AlterConfigs on group " + g));
        }
        assertEquals(List.of(), missing, "ACLs missing from deploy/k8s/components/strimzi/users.yaml");
    }

    @Test
    void noUserHasAnAclItsServiceDoesNotNeed() throws IOException {
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, String> service : USERS.entrySet()) {
            Needs needs = needs(service.getKey());
            Set<String> readTopics = new TreeSet<>();
            needs.readsByGroup().values().forEach(readTopics::addAll);
            for (AclBinding acl : acls.get(service.getValue())) {
                String name = acl.pattern().name();
                boolean prefix = acl.pattern().patternType() == PatternType.PREFIXED;
                AclOperation op = acl.entry().operation();
                boolean needed = switch (acl.pattern().resourceType()) {
                    case TOPIC -> prefix ? needs.readPrefixes().contains(name)
                            && (op == AclOperation.READ || op == AclOperation.DESCRIBE) : switch (op) {
                        case WRITE -> needs.writes().contains(name);
                        case READ -> readTopics.contains(name);
                        case DESCRIBE -> needs.topics().contains(name);
                        default -> false;
                    };
                    case GROUP -> needs.readsByGroup().keySet().stream()
                            .anyMatch(g -> prefix ? g.startsWith(name) : g.equals(name))
                            && (op == AclOperation.READ || op == AclOperation.DESCRIBE
                                    || op == AclOperation.ALTER_CONFIGS && needs.groupConfigsAltered().contains(name));
                    default -> false;
                };
                if (!needed || acl.entry().permissionType() != AclPermissionType.ALLOW || !acl.entry().host().equals("*")) {
                    extra.add(service.getValue() + ": " + acl);
                }
            }
        }
        assertEquals(List.of(), extra, "ACLs in users.yaml that no service needs");
    }

    // ---- against the broker -----------------------------------------------------------------------------------

    private static KafkaProducer<String, String> producer(String user, String password) {
        Map<String, Object> c = KafkaSaslBrokerTestResource.clientConfig(user, password);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) {
        Map<String, Object> c = KafkaSaslBrokerTestResource.clientConfig(user, password(user));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }

    /** Null when sent, else the exception (the send's cause, unwrapped). */
    private static Throwable send(KafkaProducer<String, String> producer, String topic) {
        try {
            producer.send(new ProducerRecord<>(topic, "k", "acl-test")).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** Null when the consumer joined {@code group}, got {@code topic} assigned and committed; else the exception. */
    private static Throwable consume(String user, String group, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(user, group)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return new AssertionError(user + " got no partition of " + topic + " in group " + group);
                }
                consumer.poll(Duration.ofMillis(200));
            }
            consumer.poll(Duration.ofMillis(200));
            consumer.commitSync(Duration.ofSeconds(15));
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void eachUserMayProduceToTheTopicsItsServiceWritesAndToNoOther() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> service : USERS.entrySet()) {
            String user = service.getValue();
            Set<String> writes = needs(service.getKey()).writes();
            try (KafkaProducer<String, String> producer = producer(user, password(user))) {
                for (String topic : StrimziManifests.topics().keySet()) {
                    Throwable failure = send(producer, topic);
                    if (writes.contains(topic) && failure != null) {
                        wrong.add(user + " could not produce to " + topic + ": " + failure);
                    } else if (!writes.contains(topic) && !(failure instanceof TopicAuthorizationException)) {
                        wrong.add(user + " producing to " + topic + ": expected TopicAuthorizationException, got "
                                + failure);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void eachUserMayConsumeItsTopicsInItsGroupsOnly() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> service : USERS.entrySet()) {
            String user = service.getValue();
            Needs needs = needs(service.getKey());
            needs.readsByGroup().forEach((group, topics) -> {
                if (needs.shareGroups().contains(group)) {
                    return; // a share group: theTrainerTakesJobsAsShareGroupTrainersAndConfiguresIt
                }
                for (String topic : topics) {
                    Throwable failure = consume(user, group, topic);
                    if (failure != null) {
                        wrong.add(user + " could not consume " + topic + " in group " + group + ": " + failure);
                    }
                }
            });
            // another group: refused
            String topic = needs.readsByGroup().values().iterator().next().iterator().next();
            Throwable otherGroup = consume(user, "someone-else", topic);
            if (!(otherGroup instanceof GroupAuthorizationException)) {
                wrong.add(user + " consuming " + topic + " in group someone-else: expected GroupAuthorizationException, got "
                        + otherGroup);
            }
            // its own group, a topic it does not read: refused
            String group = needs.readsByGroup().keySet().stream().filter(g -> !needs.shareGroups().contains(g))
                    .findFirst().orElseThrow();
            Set<String> readTopics = new TreeSet<>();
            needs.readsByGroup().values().forEach(readTopics::addAll);
            String notRead = StrimziManifests.topics().keySet().stream().filter(t -> !readTopics.contains(t))
                    .findFirst().orElseThrow();
            Throwable otherTopic = consume(user, group, notRead);
            if (!(otherTopic instanceof TopicAuthorizationException)) {
                wrong.add(user + " consuming " + notRead + " in group " + group
                        + ": expected TopicAuthorizationException, got " + otherTopic);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theTrainerTakesJobsAsShareGroupTrainersAndConfiguresIt() throws Exception {
        String trainer = USERS.get("trainer-service");
        String shareGroup = needs("trainer-service").shareGroups().iterator().next();
        // as the trainer's ShareGroupSettings does, before the first trainer subscribes
        try (Admin admin = Admin.create(KafkaSaslBrokerTestResource.clientConfig(trainer, password(trainer)))) {
            admin.describeTopics(List.of(TRAINING_JOBS)).allTopicNames().get(30, TimeUnit.SECONDS);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, shareGroup),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            // another group's configs: refused
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, "gateway"),
                            List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                                    AlterConfigOp.OpType.SET))))
                            .all().get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof GroupAuthorizationException, refused.getCause().toString());
        }
        String gateway = USERS.get("gateway");
        String job = "job-" + System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(gateway, password(gateway))) {
            producer.send(new ProducerRecord<>(TRAINING_JOBS, job, job)).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> c = KafkaSaslBrokerTestResource.clientConfig(trainer, password(trainer));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, shareGroup);
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TRAINING_JOBS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean received = false;
            while (!received && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    received |= job.equals(record.value());
                }
                consumer.commitSync();
            }
            assertTrue(received, "the trainer user took no job as share group " + shareGroup);
        }
        // the scoring service's user is not a trainer
        String scoring = USERS.get("scoring-service");
        Map<String, Object> s = KafkaSaslBrokerTestResource.clientConfig(scoring, password(scoring));
        s.put(ConsumerConfig.GROUP_ID_CONFIG, shareGroup);
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(s, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TRAINING_JOBS));
            Throwable failure = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(500));
                } catch (Exception e) {
                    failure = e;
                }
            }
            assertTrue(failure instanceof GroupAuthorizationException || failure instanceof TopicAuthorizationException,
                    "the scoring user in share group " + shareGroup + ": " + failure);
        }
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefused() {
        for (String[] credentials : List.of(new String[] { USERS.get("trainer-service"), "not-the-password" },
                new String[] { "xscore-nobody", "whatever" })) {
            Throwable failure;
            try (KafkaProducer<String, String> producer = producer(credentials[0], credentials[1])) {
                failure = send(producer, "xscore.training-results");
            } catch (Exception e) {
                failure = e;
            }
            Throwable cause = failure;
            while (cause != null && !(cause instanceof SaslAuthenticationException)) {
                cause = cause.getCause();
            }
            if (cause == null) {
                fail(credentials[0] + " with a wrong password: expected SaslAuthenticationException, got " + failure);
            }
        }
    }

    @Test
    void theSaslListenerAuthenticatesAndTheAdminSeesTheUsers() throws Exception {
        try (Admin admin = KafkaSaslBrokerTestResource.admin()) {
            Set<String> users = new TreeSet<>();
            admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS).keySet().forEach(users::add);
            assertTrue(users.containsAll(USERS.values()), users.toString());
        }
        Map<String, Object> c = new HashMap<>(KafkaSaslBrokerTestResource.clientConfig(
                KafkaSaslBrokerTestResource.ADMIN_USER, KafkaSaslBrokerTestResource.ADMIN_PASSWORD));
        try (Admin admin = Admin.create(c)) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TRAINING_JOBS));
        }
    }
}
