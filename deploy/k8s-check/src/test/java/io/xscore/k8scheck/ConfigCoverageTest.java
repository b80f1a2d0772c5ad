package io.xscore.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Each overlay's Deployment of each service sets every property whose default would not work in a cluster
 * (127.0.0.1/localhost, or an unset variable without a default); see {@link ConfigCoverage}.
 */
class ConfigCoverageTest {

    @TestFactory
    Stream<DynamicTest> everyOverlaySetsWhatTheServicesCannotDefault() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path overlay : Manifests.overlays()) {
            for (String service : ConfigCoverage.SERVICES) {
                tests.add(DynamicTest.dynamicTest(Manifests.name(overlay) + " " + service, () -> {
                    List<String> problems = problems(Manifests.render(overlay), service);
                    assertTrue(problems.isEmpty(), Manifests.name(overlay) + ", Deployment " + service + ":\n  "
                            + String.join("\n  ", problems));
                }));
            }
        }
        return tests.stream();
    }

    static List<String> problems(List<JsonNode> rendering, String service) {
        JsonNode deployment = ConfigCoverage.deployment(rendering, service);
        if (deployment == null) {
            return List.of("no Deployment " + service + " in the rendering");
        }
        List<String> notes = new ArrayList<>();
        Set<String> env = ConfigCoverage.environment(deployment, rendering, notes);
        List<String> problems = new ArrayList<>(ConfigCoverage.of(service).problems(env));
        if (!problems.isEmpty()) {
            problems.addAll(notes);
        }
        return problems;
    }

    @Test
    void theServicesHavePropertiesThatNeedSetting() {
        // Without any environment, each service has loopback defaults: the check has something to check.
        for (String service : ConfigCoverage.SERVICES) {
            assertTrue(ConfigCoverage.of(service).problems(Set.of()).stream()
                    .anyMatch(p -> p.startsWith("quarkus.http.host=")), service);
        }
        assertTrue(ConfigCoverage.of("gateway").properties.containsKey("xscore.gateway.event-interval"),
                "@ConfigMapping defaults are read");
    }

    @Test
    void removingAVariableFromARenderedDeploymentFails() {
        Path cpu = Manifests.overlays().stream().filter(p -> p.getFileName().toString().equals("cpu")).findFirst()
                .orElse(Manifests.overlays().get(0));
        List<JsonNode> rendering = new ArrayList<>();
        for (JsonNode o : Manifests.render(cpu)) {
            rendering.add(o.deepCopy());
        }
        // Drop QUARKUS_HTTP_HOST wherever it is set: container env and every ConfigMap or Secret.
        for (JsonNode o : rendering) {
            for (String field : List.of("data", "stringData")) {
                if (o.path(field).isObject()) {
                    ((ObjectNode) o.path(field)).remove("QUARKUS_HTTP_HOST");
                }
            }
            for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
                if (c.path("env").isArray()) {
                    for (Iterator<JsonNode> it = ((ArrayNode) c.path("env")).elements(); it.hasNext();) {
                        if (it.next().path("name").asText().equals("QUARKUS_HTTP_HOST")) {
                            it.remove();
                        }
                    }
                }
            }
        }
        for (String service : ConfigCoverage.SERVICES) {
            List<String> problems = problems(rendering, service);
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("quarkus.http.host=") && p.contains(
                    "QUARKUS_HTTP_HOST")), service + ": " + problems);
        }
    }

    @Test
    void expressionsDefaultsAndReferencesAreFollowed() {
        ConfigCoverage c = new ConfigCoverage(ConfigCoverage.properties("""
                a.url=http://127.0.0.1:1
                b.url=${B_URL:http://localhost:2}
                c.url=${C_URL:${C_OLD_URL:http://127.0.0.1:3}}
                d.client.url=${a.url}
                e.secret=${E_SECRET}
                f.dir=${java.io.tmpdir}/f
                g.name=${G_NAME:${HOSTNAME}}
                h.port=${H_PORT:8080}
                %dev.i.url=http://127.0.0.1:4
                %prod.j.url=http://localhost:5
                j.url=http://j:5
                """));
        List<String> none = c.problems(Set.of());
        assertEquals(List.of("a.url", "b.url", "c.url", "d.client.url", "e.secret", "j.url"),
                none.stream().map(p -> p.substring(0, p.indexOf('='))).sorted().toList(), none.toString());
        assertTrue(none.stream().anyMatch(p -> p.startsWith("c.url=") && p.contains("C_URL")
                && p.contains("C_OLD_URL")), none.toString());
        // One variable of each: the old name of c, the referenced property's own variable for a and d.
        assertEquals(List.of(), c.problems(Set.of("A_URL", "B_URL", "C_OLD_URL", "E_SECRET", "J_URL")));
        // Without A_URL, a.url and the property that refers to it both point at loopback.
        List<String> noA = c.problems(Set.of("B_URL", "C_URL", "E_SECRET", "J_URL"));
        assertEquals(2, noA.size(), noA.toString());
        assertTrue(noA.contains("d.client.url=${a.url} (set one of [D_CLIENT_URL, A_URL])"), noA.toString());
        assertEquals(List.of(), c.problems(Set.of("A_URL", "B_URL", "C_URL", "E_SECRET", "J_URL")));
    }

    @Test
    void configMappingDefaultsIncludeGroups() {
        Map<String, String> defaults = new java.util.LinkedHashMap<>();
        ConfigCoverage.mappingDefaults("""
                @ConfigMapping(prefix = "xscore.foo")
                public interface FooConfig {
                    /** The peer ({@code http://...}); see {@link Peer}. */
                    @WithDefault("http://127.0.0.1:8082")
                    String peerUrl();

                    @WithDefault("${java.io.tmpdir}/foo")
                    String cacheDir();

                    Peer peer();

                    @WithName("other")
                    Peer second();

                    interface Peer {
                        @WithDefault("localhost:9092")
                        String bootstrap();

                        default int unused() {
                            return 1;
                        }
                    }
                }
                """, defaults);
        assertEquals(Map.of("xscore.foo.peer-url", "http://127.0.0.1:8082", "xscore.foo.cache-dir",
                "${java.io.tmpdir}/foo", "xscore.foo.peer.bootstrap", "localhost:9092", "xscore.foo.other.bootstrap",
                "localhost:9092"), defaults);
        List<String> problems = new ConfigCoverage(defaults).problems(Set.of("XSCORE_FOO_PEER_BOOTSTRAP"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(ConfigCoverage.of("trainer-service").properties.containsKey(
                "xscore.trainer.results.ledger-retention"), "nested groups of the real mappings are read");
    }

    @Test
    void theEnvironmentComesFromEnvAndEnvFrom() {
        List<JsonNode> rendering = Manifests.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: connections}
                data: {KAFKA_BOOTSTRAP_SERVERS: kafka:9092}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: svc}
                spec:
                  template:
                    spec:
                      containers:
                        - name: svc
                          envFrom:
                            - configMapRef: {name: connections}
                            - prefix: X_
                              configMapRef: {name: connections}
                            - secretRef: {name: made-elsewhere}
                          env:
                            - {name: PLAIN, value: v}
                            - name: FROM_SECRET
                              valueFrom: {secretKeyRef: {name: s, key: k}}
                            - name: OPTIONAL
                              valueFrom: {secretKeyRef: {name: s, key: k, optional: true}}
                            - name: POD
                              valueFrom: {fieldRef: {fieldPath: metadata.name}}
                """);
        List<String> notes = new ArrayList<>();
        JsonNode deployment = ConfigCoverage.deployment(rendering, "svc");
        assertNotNull(deployment);
        assertEquals(Set.of("PLAIN", "FROM_SECRET", "POD", "KAFKA_BOOTSTRAP_SERVERS", "X_KAFKA_BOOTSTRAP_SERVERS"),
                ConfigCoverage.environment(deployment, rendering, notes));
        assertEquals(1, notes.size(), notes.toString());
        assertEquals("XSCORE_GATEWAY_SCORING_SERVICE_URL", ConfigCoverage.envName("xscore.gateway.scoring-service-url"));
        assertEquals(Map.of("j.url", "x"), ConfigCoverage.properties("%prod.j.url=x\n%test.k=y\n"));
    }
}
