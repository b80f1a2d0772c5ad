package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.xscore.common.auth.Roles;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's pass-through of the trainers' model catalog and the dataset service's read endpoints, against
 * stand-ins on loopback ({@link TrainerServiceFixture}, {@link DatasetServiceFixture}): successes unchanged, problems
 * of the service unchanged, other error pages replaced by problems that say nothing of them, and a service that does
 * not answer a 503 problem with Retry-After.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DatasetServiceFixture.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TrainerServiceFixture.class, restrictToAnnotatedClass = false)
class ReadProxyTest {

    /** Every request of these tests is made as a submitter (AuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("gateway-tests", Roles.SUBMITTER);
    }

    private static final String PROBLEM = "application/problem+json";

    @Test
    void theModelCatalogPassesThroughWithItsQuery() {
        given().get("/api/v1/models?resolution=32").then().statusCode(200).contentType("application/json")
                .body("[0].id", equalTo("mobilenet")).body("[0].uri", equalTo("/api/v1/models?resolution=32"));
        given().get("/api/v1/models/elements").then().statusCode(200).contentType("application/json")
                .body("uri", equalTo("/api/v1/models/elements"));
    }

    @Test
    void aTrainerProblemPassesThroughUnchanged() {
        given().get("/api/v1/models/elements?resolution=bad").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:xscore:problem:invalid-request")).body("field", equalTo("resolution"));
    }

    @Test
    void aTrainerErrorThatIsNoProblemBecomesOneWithoutItsBody() {
        given().get("/api/v1/models?resolution=html404").then().statusCode(404).contentType(PROBLEM)
                .body("status", equalTo(404)).body("instance", equalTo("/api/v1/models"))
                .body(not(containsString("/opt/xscore")));
        given().get("/api/v1/models?resolution=crash").then().statusCode(502).contentType(PROBLEM)
                .body("type", equalTo("urn:xscore:problem:trainer-failed"))
                .body(not(containsString("Exception"))).body(not(containsString("io.xscore")));
    }

    @Test
    void aTrainerThatIsDownIsA503ProblemWithRetryAfter() {
        TrainerServiceFixture.down();
        try {
            for (String path : List.of("/api/v1/models", "/api/v1/models/elements?resolution=64")) {
                Response answer = given().get(path);
                answer.then().statusCode(503).contentType(PROBLEM).header("Retry-After", "10")
                        .body("type", equalTo("urn:xscore:problem:trainer-unavailable"))
                        .body("status", equalTo(503));
                assertNothingInternal(answer.asString());
            }
        } finally {
            TrainerServiceFixture.up();
        }
        given().get("/api/v1/models").then().statusCode(200);
    }

    @Test
    void theDatasetReadsPassThrough() {
        given().get("/api/v1/datasets").then().statusCode(200).contentType("application/json")
                .body("[0].id", equalTo("cifar10")).body("[1].status", equalTo("not-prepared"));
        given().get("/api/v1/datasets/cifar10").then().statusCode(200).contentType("application/json")
                .body("id", equalTo("cifar10"));
        given().get("/api/v1/datasets/svhn/status").then().statusCode(200).contentType("application/json")
                .body("status", equalTo("ready"))
                .body("contentDigest", equalTo(DatasetServiceFixture.defaultDigest("svhn")));
        // an id is forwarded as one path segment, decoded by the dataset service as it was sent
        given().urlEncodingEnabled(false).get("/api/v1/datasets/my%20set%3B1").then().statusCode(200)
                .body("id", equalTo("my set;1"));
    }

    @Test
    void anUnknownDatasetIsThe404ProblemOfTheDatasetService() {
        given().get("/api/v1/datasets/" + DatasetServiceFixture.MISSING).then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("dataset: unknown id"));
        given().get("/api/v1/datasets/" + DatasetServiceFixture.MISSING + "/status").then().statusCode(404)
                .contentType(PROBLEM);
        Response html = given().get("/api/v1/datasets/" + DatasetServiceFixture.HTML_404);
        html.then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404));
        assertTrue(!html.asString().contains("/srv/xscore"), html.asString());
    }

    @Test
    void aBusyDatasetServiceIsA503WithItsRetryAfterAndWithoutItsDetail() {
        Response answer = given().get("/api/v1/datasets/" + DatasetServiceFixture.BUSY);
        answer.then().statusCode(503).contentType(PROBLEM).header("Retry-After", "7")
                .body("type", equalTo("urn:xscore:problem:dataset-unavailable"));
        assertNothingInternal(answer.asString());
    }

    @Test
    void aDatasetServiceThatIsDownIsA503ProblemWithRetryAfter() {
        DatasetServiceFixture.down();
        try {
            for (String path : List.of("/api/v1/datasets", "/api/v1/datasets/cifar10", "/api/v1/datasets/cifar10/status")) {
                Response answer = given().get(path);
                answer.then().statusCode(503).contentType(PROBLEM).header("Retry-After", "10")
                        .body("type", equalTo("urn:xscore:problem:dataset-unavailable"));
                assertNothingInternal(answer.asString());
            }
        } finally {
            DatasetServiceFixture.up();
        }
        given().get("/api/v1/datasets").then().statusCode(200);
    }

    @Test
    void aPreviewPassesThroughAsPngWithItsQuery() {
        DatasetServiceFixture.PREVIEW_QUERIES.clear();
        byte[] png = given().get("/api/v1/datasets/cifar10/preview/test/12.png?size=32&perturbation=corruption"
                + "&corruption=gaussian_noise&severity=3&seed=7&scale=4").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertArrayEquals(DatasetServiceFixture.PREVIEW_PNG, png);
        // every parameter is passed on as sent; those not sent are left out
        given().get("/api/v1/datasets/cifar10/preview/train/0.png?perturbation=low-resolution&shorterSide=16")
                .then().statusCode(200).contentType("image/png");
        given().get("/api/v1/datasets/cifar10/preview/test/5.png").then().statusCode(200);
        List<String> queries = DatasetServiceFixture.PREVIEW_QUERIES;
        assertEquals(3, queries.size(), queries.toString());
        assertEquals("/api/v1/datasets/cifar10/preview/test/12.png", queries.get(0).substring(0,
                queries.get(0).indexOf('?')));
        assertEquals(Set.of("size=32", "perturbation=corruption", "corruption=gaussian_noise", "severity=3", "seed=7",
                "scale=4"), Set.of(queries.get(0).substring(queries.get(0).indexOf('?') + 1).split("&")));
        assertEquals(Set.of("perturbation=low-resolution", "shorterSide=16"),
                Set.of(queries.get(1).substring(queries.get(1).indexOf('?') + 1).split("&")));
        assertEquals("/api/v1/datasets/cifar10/preview/test/5.png?", queries.get(2));
    }

    @Test
    void aPreviewsProblemsPassThroughUnchanged() {
        given().get("/api/v1/datasets/cifar10/preview/test/0.png?perturbation=corruption&corruption=fog&severity=9")
                .then().statusCode(400).contentType(PROBLEM).body("field", equalTo("severity"))
                .body("type", equalTo("urn:xscore:problem:invalid-request"));
        given().get("/api/v1/datasets/" + DatasetServiceFixture.MISSING + "/preview/test/0.png").then()
                .statusCode(404).contentType(PROBLEM).body("type", equalTo("urn:xscore:problem:unknown-dataset"));
        DatasetServiceFixture.down();
        try {
            Response answer = given().get("/api/v1/datasets/cifar10/preview/test/0.png");
            answer.then().statusCode(503).contentType(PROBLEM).header("Retry-After", "10")
                    .body("type", equalTo("urn:xscore:problem:dataset-unavailable"));
            assertNothingInternal(answer.asString());
        } finally {
            DatasetServiceFixture.up();
        }
    }

    @Test
    void aPreviewNeedsAViewer() {
        TestTokens.anonymous();
        given().get("/api/v1/datasets/cifar10/preview/test/0.png").then().statusCode(401).contentType(PROBLEM);
        given().header("Authorization", TestTokens.bearer("vera", Roles.VIEWER))
                .get("/api/v1/datasets/cifar10/preview/test/0.png").then().statusCode(200).contentType("image/png");
    }

    @Test
    void theOpenApiDocumentListsTheProxiedReads() {
        String doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        for (String path : List.of("\"/api/v1/models\"", "\"/api/v1/models/elements\"", "\"/api/v1/datasets\"",
                "\"/api/v1/datasets/{id}\"", "\"/api/v1/datasets/{id}/status\"",
                "\"/api/v1/datasets/{id}/preview/{split}/{index}.png\"")) {
            assertTrue(doc.contains(path), "OpenAPI lacks " + path);
        }
    }

    private static void assertNothingInternal(String body) {
        for (String internal : List.of("127.0.0.1", "10.0.0.7", "mongodb", "Exception", "refused", "io.xscore")) {
            assertTrue(!body.contains(internal), "the problem names '" + internal + "': " + body);
        }
    }
}
