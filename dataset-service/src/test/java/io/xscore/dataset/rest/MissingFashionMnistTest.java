package io.xscore.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xscore.common.auth.Roles;
import io.xscore.testsupport.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fashion-MNIST pointed at a directory that does not exist: a 503 for the data, and the service stays up. Neither the
 * problem's detail nor the catalog's status view names the directory (no response body carries a server path; the
 * log and the configuration do), but both say what is missing.
 */
@QuarkusTest
@TestProfile(MissingFashionMnistTest.MissingDir.class)
class MissingFashionMnistTest {

    /** Every request of these tests is made as an admin (DatasetAuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("dataset-tests", Roles.ADMIN);
    }

    static final String DIR = java.nio.file.Path.of("target/no-such-fashion-mnist-dir").toAbsolutePath().toString();

    public static class MissingDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xscore.dataset.fashion-mnist-dir", DIR);
        }
    }

    @Test
    void manifestIs503AndNoBodyNamesTheDirectory() {
        given().get("/api/v1/datasets/fashion-mnist/splits/train/manifest").then().statusCode(503)
                .contentType("application/problem+json").body("status", equalTo(503))
                .body("type", equalTo("urn:xscore:problem:missing-data"))
                .body("detail", containsString("fashion-mnist"))
                .body("detail", not(containsString(DIR)));
        given().get("/api/v1/datasets/fashion-mnist/splits/test/shards/shard-00000.xsh").then().statusCode(503)
                .contentType("application/problem+json");
        given().get("/api/v1/datasets/fashion-mnist").then().statusCode(200)
                .body("available", equalTo(false)).body("status", equalTo("missing-data"))
                .body("detail", containsString("dataset-fashion-mnist"))
                .body("detail", not(containsString(DIR)));
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
