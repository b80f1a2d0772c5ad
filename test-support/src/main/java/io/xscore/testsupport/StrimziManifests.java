package io.xscore.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka users, their ACLs and the topics as deploy/k8s/components/strimzi declares them (KafkaUser in users.yaml,
 * KafkaTopic in topics.yaml), read from the repository so that tests check the real manifests.
 */
public final class StrimziManifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StrimziManifests() {
    }

    /** The repository's root: the first directory at or above the working directory holding deploy/k8s. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy/k8s/components/strimzi"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no deploy/k8s/components/strimzi above " + Path.of("").toAbsolutePath());
    }

    /**
     * deploy/k8s/components/strimzi, or the directory named by the system property {@code xscore.strimzi.dir} (to see
     * the tests fail on a changed copy).
     */
    public static Path strimziComponent() {
        String override = System.getProperty("xscore.strimzi.dir");
        return override != null ? Path.of(override) : repositoryRoot().resolve("deploy/k8s/components/strimzi");
    }

    /** Every document of a multi-document YAML file. */
    static List<JsonNode> documents(Path file) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isMissingNode() && !node.isNull()) {
                    documents.add(node);
                }
            });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The KafkaUsers of users.yaml by name, each with its ACLs as Kafka AclBindings for principal User:name. */
    public static Map<String, List<AclBinding>> userAcls() {
        Map<String, List<AclBinding>> users = new LinkedHashMap<>();
        for (JsonNode doc : documents(strimziComponent().resolve("users.yaml"))) {
            if (!"KafkaUser".equals(doc.path("kind").asText())) {
                continue;
            }
            String name = doc.path("metadata").path("name").asText();
            JsonNode authentication = doc.path("spec").path("authentication");
            if (!"scram-sha-512".equals(authentication.path("type").asText())) {
                throw new IllegalStateException(name + ": authentication " + authentication + ", not scram-sha-512");
            }
            JsonNode authorization = doc.path("spec").path("authorization");
            if (!"simple".equals(authorization.path("type").asText())) {
                throw new IllegalStateException(name + ": authorization " + authorization + ", not simple");
            }
            List<AclBinding> acls = new ArrayList<>();
            for (JsonNode acl : authorization.path("acls")) {
                ResourcePattern pattern = resource(name, acl.path("resource"));
                String host = acl.path("host").asText("*");
                AclPermissionType permission = "deny".equalsIgnoreCase(acl.path("type").asText("allow"))
                        ? AclPermissionType.DENY
                        : AclPermissionType.ALLOW;
                List<JsonNode> operations = new ArrayList<>();
                acl.path("operations").forEach(operations::add);
                if (!acl.path("operation").isMissingNode()) {
                    operations.add(acl.path("operation"));
                }
                for (JsonNode operation : operations) {
                    acls.add(new AclBinding(pattern,
                            new AccessControlEntry("User:" + name, host, operation(name, operation.asText()), permission)));
                }
            }
            users.put(name, acls);
        }
        return users;
    }

    /** The KafkaTopics of topics.yaml: name and partitions. */
    public static Map<String, Integer> topics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (JsonNode doc : documents(strimziComponent().resolve("topics.yaml"))) {
            if ("KafkaTopic".equals(doc.path("kind").asText())) {
                JsonNode name = doc.path("spec").path("topicName");
                topics.put(name instanceof MissingNode ? doc.path("metadata").path("name").asText() : name.asText(),
                        doc.path("spec").path("partitions").asInt(1));
            }
        }
        return topics;
    }

    private static ResourcePattern resource(String user, JsonNode resource) {
        String type = resource.path("type").asText();
        ResourceType resourceType = switch (type) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "cluster" -> ResourceType.CLUSTER;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            default -> throw new IllegalStateException(user + ": unknown ACL resource type " + type);
        };
        String name = resourceType == ResourceType.CLUSTER ? "kafka-cluster" : resource.path("name").asText();
        PatternType patternType = switch (resource.path("patternType").asText("literal")) {
            case "literal" -> PatternType.LITERAL;
            case "prefix" -> PatternType.PREFIXED;
            default -> throw new IllegalStateException(user + ": unknown patternType in " + resource);
        };
        return new ResourcePattern(resourceType, name, patternType);
    }

    /** Strimzi's spelling (Read, AlterConfigs, IdempotentWrite) to Kafka's (READ, ALTER_CONFIGS, IDEMPOTENT_WRITE). */
    private static AclOperation operation(String user, String strimzi) {
        String kafka = strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            return AclOperation.valueOf(kafka);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(user + ": unknown ACL operation " + strimzi, e);
        }
    }
}
