package io.xscore.k8scheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Secure by default in every overlay for a cluster: authentication is not switched off, the services that check tokens
 * get an issuer and a key location from the ConfigMap xscore-auth, and the gateway and the trainers mount the service
 * token where {@code XSCORE_AUTH_SERVICE_TOKEN_FILE} points. Only the single-machine {@code local} overlay switches
 * authentication off (docs/security.md says why), and it must say so in the ConfigMap.
 */
class AuthSettingsTest {

    static final String LOCAL = "local";

    @TestFactory
    Stream<DynamicTest> everyClusterOverlayChecksTokens() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path overlay : Manifests.overlays()) {
            String name = Manifests.name(overlay);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                List<JsonNode> rendering = Manifests.render(overlay);
                JsonNode auth = object(rendering, "ConfigMap", "xscore-auth").path("data");
                if (name.endsWith(LOCAL)) {
                    assertEquals("false", auth.path("XSCORE_AUTH_ENABLED").asText(), "the local overlay says auth is off");
                    return;
                }
                assertTrue(auth.path("XSCORE_AUTH_ENABLED").isMissingNode()
                        || auth.path("XSCORE_AUTH_ENABLED").asText().equals("true"), name + " switches auth off");
                assertTrue(auth.path("MP_JWT_VERIFY_ISSUER").isTextual(), name + ": no issuer");
                assertTrue(auth.path("MP_JWT_VERIFY_PUBLICKEY_LOCATION").isTextual(), name + ": no key location");
                for (String service : List.of("gateway", "dataset-service", "trainer-service")) {
                    assertTrue(envFrom(object(rendering, "Deployment", service)).contains("xscore-auth"),
                            name + ": " + service + " does not read the ConfigMap xscore-auth");
                }
                String tokenFile = auth.path("XSCORE_AUTH_SERVICE_TOKEN_FILE").asText();
                String tokenDir = tokenFile.substring(0, tokenFile.lastIndexOf('/'));
                for (String service : List.of("gateway", "trainer-service")) {
                    assertTrue(mounts(object(rendering, "Deployment", service)).contains(tokenDir),
                            name + ": " + service + " does not mount its service token at " + tokenDir);
                }
            }));
        }
        return tests.stream();
    }

    static JsonNode object(List<JsonNode> rendering, String kind, String name) {
        return rendering.stream().filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendering"));
    }

    private static List<String> envFrom(JsonNode deployment) {
        List<String> out = new ArrayList<>();
        deployment.path("spec").path("template").path("spec").path("containers").get(0).path("envFrom")
                .forEach(e -> out.add(e.path("configMapRef").path("name").asText()));
        return out;
    }

    private static List<String> mounts(JsonNode deployment) {
        List<String> out = new ArrayList<>();
        deployment.path("spec").path("template").path("spec").path("containers").get(0).path("volumeMounts")
                .forEach(m -> out.add(m.path("mountPath").asText()));
        return out;
    }
}
