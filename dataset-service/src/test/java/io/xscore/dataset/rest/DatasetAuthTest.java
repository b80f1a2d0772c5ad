package io.xscore.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.xscore.common.auth.Roles;
import io.xscore.dataset.format.ImageFixtures;
import io.xscore.testsupport.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dataset service's state-changing endpoints: registering a server path and downloading need an admin; preparing
 * and augmented epochs an admin or a service (the gateway's and the trainers' own calls); reads stay open. Refusals
 * are problem+json and change nothing. Same profile as {@link RegistrationTest} (one application for both).
 */
@QuarkusTest
@TestProfile(RegistrationTest.Profile.class)
class DatasetAuthTest {

    static final String PROBLEM = "application/problem+json";

    @BeforeEach
    @AfterEach
    void noDefaultToken() {
        TestTokens.anonymous();
    }

    private static RequestSpecification as(String subject, String role) {
        return given().header("Authorization", TestTokens.bearer(subject, role));
    }

    @Test
    void onlyAnAdminRegistersAServerPath() throws Exception {
        Path dir = RegistrationResources.ALLOWED.resolve("auth-c10/cifar-10-batches-bin");
        for (int b = 1; b <= 5; b++) {
            ImageFixtures.cifarBatch(dir.resolve("data_batch_" + b + ".bin"), 1, b);
        }
        ImageFixtures.cifarBatch(dir.resolve("test_batch.bin"), 1, 0, 1);
        String body = "{\"path\": \"" + dir.getParent() + "\"}";
        String before = given().get("/api/v1/datasets/cifar10").asString();

        for (String role : new String[] {Roles.VIEWER, Roles.SUBMITTER, Roles.SERVICE}) {
            as("mallory", role).contentType(ContentType.JSON).body(body).post("/api/v1/datasets/cifar10/register")
                    .then().statusCode(403).contentType(startsWith(PROBLEM))
                    .body("type", equalTo("urn:xscore:problem:forbidden"));
        }
        given().contentType(ContentType.JSON).body(body).post("/api/v1/datasets/cifar10/register")
                .then().statusCode(401).contentType(startsWith(PROBLEM))
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", "Bearer " + TestTokens.expired("root", Roles.ADMIN))
                .contentType(ContentType.JSON).body(body).post("/api/v1/datasets/cifar10/register")
                .then().statusCode(401).body("detail", containsString("expired"));

        assertEquals(before, given().get("/api/v1/datasets/cifar10").asString(), "a refused registration changed it");
    }

    @Test
    void downloadsNeedAnAdminAndPreparingAService() {
        as("gateway", Roles.SERVICE).post("/api/v1/datasets/imagenette/download").then().statusCode(403)
                .contentType(startsWith(PROBLEM));
        assertFalse(Files.exists(RegistrationResources.BASE.resolve("data/.downloads/imagenette")),
                "a refused download started");
        given().post("/api/v1/datasets/synthetic-shapes/prepare").then().statusCode(401);
        as("alice", Roles.SUBMITTER).post("/api/v1/datasets/synthetic-shapes/prepare").then().statusCode(403);
        // past the check, the endpoint answers as before (here: an unknown dataset)
        as("gateway", Roles.SERVICE).post("/api/v1/datasets/no-such-set/prepare").then().statusCode(404)
                .body("type", equalTo("urn:xscore:problem:unknown-dataset"));
        as("trainer", Roles.SERVICE).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/datasets/no-such-set/augmented").then().statusCode(404);
        as("alice", Roles.SUBMITTER).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/datasets/no-such-set/augmented").then().statusCode(403);
        // reads need no token (the gateway's proxy asks for a viewer)
        given().get("/api/v1/datasets").then().statusCode(200);
    }
}
