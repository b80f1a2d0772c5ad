package io.xscore.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every overlay under deploy/k8s/overlays renders with kustomize 4.5.4, and every object it renders is valid against
 * its kind's real schema, unknown fields included; every component is rendered through an overlay (one that lists it,
 * else one made for it in target/). The fixtures show the check rejects what it should.
 */
class ManifestSchemaTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @TestFactory
    Stream<DynamicTest> everyOverlayRendersValidObjects() {
        List<Path> overlays = Manifests.overlays();
        assertFalse(overlays.isEmpty(), "no overlays under " + Manifests.K8S.resolve("overlays"));
        return overlays.stream().map(o -> DynamicTest.dynamicTest(Manifests.name(o), () -> assertValid(o)));
    }

    @TestFactory
    Stream<DynamicTest> everyComponentRendersValidObjectsThroughAnOverlay() {
        return Manifests.componentRenderings().entrySet().stream().map((Map.Entry<Path, Path> e) -> DynamicTest
                .dynamicTest(Manifests.name(e.getKey()) + " through " + e.getValue().getFileName(),
                        () -> assertValid(e.getValue())));
    }

    private static void assertValid(Path kustomization) {
        List<JsonNode> objects = Manifests.render(kustomization);
        assertFalse(objects.isEmpty(), kustomization + " renders nothing");
        List<String> problems = SchemaCheck.problems(objects);
        assertTrue(problems.isEmpty(), "kustomize build " + kustomization + ": " + problems.size()
                + " schema problem(s):\n  " + String.join("\n  ", problems));
    }

    @Test
    void aDeploymentWithAMisspelledFieldAndAWrongTypeIsRejected() throws IOException {
        List<String> problems = SchemaCheck.problems(fixture("broken-deployment.yaml"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("imagePullPolicyy: unknown field")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("/spec/replicas must be integer")), problems::toString);
    }

    @Test
    void aKafkaUserWithAnInvalidAclOperationIsRejected() throws IOException {
        List<String> problems = SchemaCheck.problems(fixture("broken-kafkauser.yaml"));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("operations") && problems.get(0).contains("enum"), problems::toString);
    }

    @Test
    void aKafkaTopicWithAMisspelledFieldIsRejected() throws IOException {
        List<String> problems = SchemaCheck.problems(fixture("misspelled-kafkatopic.yaml"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("partition")), problems::toString);
    }

    @Test
    void validStrimziResourcesPass() throws IOException {
        assertEquals(List.of(), SchemaCheck.problems(fixture("valid-strimzi.yaml")));
    }

    /** The templates users copy (applied by no overlay) are valid too. */
    @Test
    void theTemplatesAreValid() throws IOException {
        Path example = Manifests.ROOT.resolve("deploy/k8s/components/strimzi/producer.example.yaml");
        List<JsonNode> objects = new ArrayList<>(Manifests.parse(Files.readString(example)));
        assertEquals(2, objects.size());
        assertEquals(List.of(), SchemaCheck.problems(objects));
    }

    @Test
    void monitoringAndAutoscalingObjectsAreCheckedToo() throws IOException {
        List<String> problems = SchemaCheck.problems(fixture("broken-monitoring.yaml"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("ServiceMonitor") && p.contains("intervall")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("ScaledObject") && p.contains("maxReplicaCount")),
                problems::toString);
    }

    @Test
    void aMisspelledFieldInARenderedKafkaIsRejected() {
        JsonNode kafka = null;
        for (Path overlay : Manifests.overlays()) {
            for (JsonNode o : Manifests.render(overlay)) {
                if (kafka == null && o.path("kind").asText().equals("Kafka")
                        && o.path("apiVersion").asText().startsWith(StrimziSchemas.GROUP + "/")) {
                    kafka = o.deepCopy();
                }
            }
        }
        assumeTrue(kafka != null, "no overlay renders a Kafka (the fixtures still cover Strimzi's schemas)");
        assertEquals(List.of(), SchemaCheck.problems(List.of(kafka)));
        ((ObjectNode) kafka.path("spec").path("kafka")).put("listenerz", "plain");
        List<String> problems = SchemaCheck.problems(List.of(kafka));
        assertTrue(problems.stream().anyMatch(p -> p.contains("listenerz")), problems::toString);
    }

    @Test
    void aKindWithoutASchemaFails() throws IOException {
        List<String> problems = SchemaCheck.problems(fixture("unknown-kind.yaml"));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("no schema available"), problems::toString);
    }

    static List<JsonNode> fixture(String name) throws IOException {
        return new ArrayList<>(Manifests.parse(Files.readString(FIXTURES.resolve(name))));
    }
}
