package io.xscore.k8scheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Strimzi's custom resources (kafka.strimzi.io/v1) checked against the CRD schemas Strimzi's own CRD generator
 * ({@code io.strimzi:crd-generator}) makes from Strimzi's model classes ({@code io.strimzi:api}), the ones the
 * operator's CRDs are built from. Both are compiled for Java 21, this build for 17: the generator runs in a JVM of
 * Java 21 or later (this one if it is, else {@code JAVA21_HOME}, else one found under /usr/lib/jvm, /opt/java,
 * /usr/local), with the test class path Maven wrote to target/strimzi.classpath.
 *
 * <p>The schemas are made strict the way {@code kubectl apply} is (field validation Strict): an object schema that
 * lists its properties, without x-kubernetes-preserve-unknown-fields, rejects any other (the API server would prune
 * it silently).
 */
final class StrimziSchemas {

    static final String GROUP = "kafka.strimzi.io";
    static final Map<String, String> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("Kafka", "io.strimzi.api.kafka.model.kafka.Kafka");
        MODELS.put("KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool");
        MODELS.put("KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic");
        MODELS.put("KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser");
    }

    private static final Path CRDS = Manifests.WORK.resolve("strimzi-crds");
    private static Map<String, JsonSchema> schemas;
    private static String unavailable;

    private StrimziSchemas() {
    }

    /** Problems with one kafka.strimzi.io object (empty: valid). */
    static synchronized List<String> validate(JsonNode object) {
        String kind = object.path("kind").asText();
        String apiVersion = object.path("apiVersion").asText();
        load();
        if (unavailable != null) {
            return List.of(unavailable);
        }
        JsonSchema schema = schemas.get(apiVersion + " " + kind);
        if (schema == null) {
            return List.of("no schema for " + apiVersion + " " + kind + " (Strimzi schemas generated here: "
                    + schemas.keySet() + ")");
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(object)) {
            problems.add(m.getMessage());
        }
        return problems;
    }

    /** The Java 21+ executable, or empty. */
    static Optional<Path> java21() {
        if (Runtime.version().feature() >= 21) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        List<Path> homes = new ArrayList<>();
        for (String env : List.of("JAVA21_HOME", "XSCORE_JAVA21_HOME")) {
            if (System.getenv(env) != null) {
                homes.add(Path.of(System.getenv(env)));
            }
        }
        for (String dir : List.of("/usr/lib/jvm", "/opt/java", "/usr/local", "/opt")) {
            Path d = Path.of(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.sorted(Comparator.reverseOrder()).forEach(homes::add);
                } catch (IOException e) {
                    // not readable: not a candidate
                }
            }
        }
        for (Path home : homes) {
            Path java = home.resolve("bin/java");
            if (Files.isExecutable(java) && feature(home) >= 21) {
                return Optional.of(java);
            }
        }
        return Optional.empty();
    }

    private static int feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        try (var in = Files.newBufferedReader(release)) {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
            return Integer.parseInt(v.split("[.+-]")[0]);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void load() {
        if (schemas != null || unavailable != null) {
            return;
        }
        Optional<Path> java = java21();
        if (java.isEmpty()) {
            unavailable = "no Java 21+ runtime found to run Strimzi's CRD generator (io.strimzi 1.2.0 is compiled for "
                    + "Java 21): set JAVA21_HOME";
            return;
        }
        try {
            Path classpath = Manifests.TARGET.resolve("strimzi.classpath");
            if (!Files.isRegularFile(classpath)) {
                throw new IllegalStateException(classpath + " is missing (written by maven-dependency-plugin in "
                        + "generate-test-resources: run the tests through Maven)");
            }
            Files.createDirectories(CRDS);
            List<String> command = new ArrayList<>(List.of(java.get().toString(), "-cp", Files.readString(classpath)
                    .trim(), "io.strimzi.crdgenerator.CrdGenerator", "--yaml", "--crd-api-version", "v1",
                    "--api-versions", "v1", "--storage-version", "v1"));
            MODELS.forEach((kind, model) -> command.add(model + "=" + CRDS.resolve(kind + ".yaml")));
            Manifests.Result r = Manifests.run(Manifests.ROOT, null, 120, command.toArray(String[]::new));
            if (r.exit() != 0) {
                throw new IllegalStateException("Strimzi's CrdGenerator failed (" + r.exit() + "):\n" + r.out()
                        + r.err());
            }
            Map<String, JsonSchema> loaded = new LinkedHashMap<>();
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
            for (String kind : MODELS.keySet()) {
                JsonNode crd = Manifests.YAML.readTree(CRDS.resolve(kind + ".yaml").toFile());
                for (JsonNode version : crd.path("spec").path("versions")) {
                    JsonNode schema = version.path("schema").path("openAPIV3Schema");
                    if (schema.isObject()) {
                        loaded.put(GROUP + "/" + version.path("name").asText() + " " + kind,
                                factory.getSchema(strict(schema.deepCopy()), config));
                    }
                }
            }
            schemas = loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema with additionalProperties: false on every object schema that lists its properties. */
    static JsonNode strict(JsonNode schema) {
        if (schema.isObject()) {
            ObjectNode o = (ObjectNode) schema;
            if ("object".equals(o.path("type").asText()) && o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.properties().forEach(e -> strict(e.getValue()));
        } else if (schema.isArray()) {
            schema.forEach(StrimziSchemas::strict);
        }
        return schema;
    }
}
