package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication switched off ({@code xscore.auth.enabled=false}): everyone is let in as an admin named
 * {@code anonymous}, and the start says so as a warning.
 */
@QuarkusTest
@TestProfile(AuthOffTest.Off.class)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DatasetServiceFixture.class, restrictToAnnotatedClass = false)
class AuthOffTest {

    static final Path LOG = Path.of("target/auth-off-test.log");

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xscore.auth.enabled", "false",
                    "quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString());
        }
    }

    @BeforeEach
    void noToken() {
        TestTokens.anonymous();
    }

    @Test
    void everyoneIsAnAnonymousAdminAndTheStartWarnsOfIt() throws Exception {
        String id = "open-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(AuthTest.request(id)).when().post("/api/v1/evaluations")
                .then().statusCode(202).body("submittedBy", equalTo("anonymous"));
        given().when().post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(202);
        String log = Files.readString(LOG);
        assertTrue(log.contains("WARN") && log.contains("AUTHENTICATION IS OFF"), "no warning at start:\n" + log);
    }
}
