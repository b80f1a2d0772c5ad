package io.xscore.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A real Kafka broker (KRaft, in this JVM) that authenticates clients the way the Strimzi cluster of deploy/k8s does:
 * SASL with SCRAM-SHA-512 (here over SASL_PLAINTEXT: TLS is the only difference from production, and not covered),
 * and authorizes them with ACLs ({@code StandardAuthorizer}, {@code allow.everyone.if.no.acl.found=false}: a client
 * may do only what an ACL allows). Separate from {@link KafkaBrokerTestResource} (plaintext, no ACLs), which every
 * other test keeps using; started once per test JVM on first use.
 *
 * <p>Listeners: {@code SASL_PLAINTEXT} for the clients under test ({@link #bootstrapServers()}); {@code PLAINTEXT}
 * (inter-broker) and {@code CONTROLLER}, unauthenticated, whose principal {@code User:ANONYMOUS} is therefore a super
 * user besides {@code User:admin} (the broker talks to its own controller through them, and the StandardAuthorizer
 * allows that only to super users). Tests set users, topics and ACLs up through {@link #admin()} on the PLAINTEXT
 * listener and connect their clients to the SASL listener only, where every principal is a SCRAM user.
 *
 * <p>As a {@code @QuarkusTestResource} (init arguments {@code user}, {@code password}) it creates that SCRAM user and
 * exposes the {@code kafka.*} settings of a service configured for it: {@code kafka.bootstrap.servers},
 * {@code kafka.security.protocol}, {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config}. Its ACLs are the
 * test's to create ({@link StrimziManifests}).
 */
public class KafkaSaslBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";

    private static EmbeddedKafkaBroker broker;
    private static String saslBootstrap;
    private static String plaintextBootstrap;

    private String user;
    private String password;

    /** Starts the broker if needed; the bootstrap servers of its SASL_PLAINTEXT listener. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            int plaintextPort = FreePorts.pick();
            int saslPort = FreePorts.pick();
            String saslListener = SecurityProtocol.SASL_PLAINTEXT.name;
            String prefix = "listener.name." + saslListener.toLowerCase() + ".";
            broker = new EmbeddedKafkaBroker()
                    .withNodeId(0)
                    .withKafkaHost("localhost")
                    .withKafkaPort(plaintextPort)
                    .withControllerPort(FreePorts.pick())
                    .withDeleteLogDirsOnClose(true)
                    .withAdvertisedListeners(
                            EmbeddedKafkaBroker.endpoint(SecurityProtocol.PLAINTEXT, "localhost", plaintextPort),
                            EmbeddedKafkaBroker.endpoint(saslListener, SecurityProtocol.SASL_PLAINTEXT, "localhost",
                                    saslPort))
                    .withAdditionalProperties(p -> {
                        p.put("num.partitions", "3");
                        // as in the Strimzi cluster (kafka.yaml): topics exist only where topics.yaml declares them
                        p.put("auto.create.topics.enable", "false");
                        p.put("group.initial.rebalance.delay.ms", "0");
                        p.put("offsets.topic.num.partitions", "1");
                        p.put("share.coordinator.state.topic.replication.factor", "1");
                        p.put("share.coordinator.state.topic.min.isr", "1");
                        p.put("share.coordinator.state.topic.num.partitions", "1");
                        p.put("group.share.min.record.lock.duration.ms", "15000");
                        p.put("group.share.min.delivery.count.limit", "2");
                        // SCRAM-SHA-512 on the SASL listener; credentials are created after start (alterUserScram...)
                        p.put("sasl.enabled.mechanisms", MECHANISM);
                        p.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
                        p.put(prefix + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                        // ACLs, as Strimzi's "simple" authorization in KRaft
                        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                        p.put("super.users", "User:" + ADMIN_USER + ";User:ANONYMOUS");
                        p.put("allow.everyone.if.no.acl.found", "false");
                    })
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-sasl-kafka-stop"));
            plaintextBootstrap = "localhost:" + plaintextPort;
            saslBootstrap = "localhost:" + saslPort;
            createScramUser(ADMIN_USER, ADMIN_PASSWORD);
        }
        return saslBootstrap;
    }

    /**
     * An admin client of a super user on the unauthenticated PLAINTEXT listener, to set users, topics and ACLs up.
     * Never hand it to code under test.
     */
    public static Admin admin() {
        bootstrapServers();
        return Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrap));
    }

    /** Creates (or changes the password of) a SCRAM-SHA-512 user. */
    public static void createScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM user " + user, e);
        }
    }

    /** Creates the topics that do not exist yet (the broker creates none by itself). */
    public static void createTopics(Map<String, Integer> partitionsByTopic) {
        try (Admin admin = admin()) {
            for (Map.Entry<String, Integer> topic : partitionsByTopic.entrySet()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create " + topic.getKey(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates ACLs (creating an existing one again changes nothing). */
    public static void createAcls(Collection<AclBinding> acls) {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create ACLs " + acls, e);
        }
    }

    /** The JAAS configuration of a SCRAM user, as Strimzi's User Operator writes it into the user's Secret. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** A client's connection settings for {@code user} on the SASL listener (as the services get them in Kubernetes). */
    public static Map<String, Object> clientConfig(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password));
        return config;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        user = initArgs.get("user");
        password = initArgs.get("password");
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = bootstrapServers();
        if (user == null || password == null) {
            throw new IllegalArgumentException("KafkaSaslBrokerTestResource needs the init arguments user and password");
        }
        createScramUser(user, password);
        return Map.of("kafka.bootstrap.servers", bootstrap,
                "kafka.security.protocol", SecurityProtocol.SASL_PLAINTEXT.name,
                "kafka.sasl.mechanism", MECHANISM,
                "kafka.sasl.jaas.config", jaasConfig(user, password));
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM; closed by the shutdown hook.
    }
}
