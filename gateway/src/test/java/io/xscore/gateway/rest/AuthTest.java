package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.xscore.common.auth.Roles;
import io.xscore.common.messaging.Topics;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on the gateway: no token, an expired one, one from another issuer or signed by another key are 401;
 * a role too low, or someone else's evaluation, 403; every refusal a problem+json with nothing stored or published.
 * The submitter of an evaluation is the token's subject, whatever the body says.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DatasetServiceFixture.class, restrictToAnnotatedClass = false)
class AuthTest {

    @Inject
    EvaluationRepository evaluations;

    @BeforeEach
    @AfterEach
    void noDefaultToken() {
        TestTokens.anonymous();
    }

    static String request(String id) {
        return """
                {"evaluationId":"%s","models":["convmixer-32-2"],"datasets":["fashion-mnist"],"seeds":[0],
                 "protocol":"quick","overrides":{"epochs":1},"requestedBy":"mallory"}""".formatted(id);
    }

    private ValidatableResponse submit(String authorization, String id) {
        var spec = given().contentType(ContentType.JSON).body(request(id));
        if (authorization != null) {
            spec = spec.header("Authorization", authorization);
        }
        return spec.when().post("/api/v1/evaluations").then();
    }

    /** A refused submission: the status, a problem+json of that status, and no evaluation stored or published. */
    private ValidatableResponse refused(String authorization, int status) {
        String id = "auth-" + UUID.randomUUID();
        long published = EvaluationFlowTest.endOffset(Topics.EVALUATION_REQUESTS);
        ValidatableResponse answer = submit(authorization, id).statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status)).body("instance", equalTo("/api/v1/evaluations"));
        assertTrue(evaluations.findByIdOptional(id).isEmpty(), "a refused request was stored");
        assertEquals(published, EvaluationFlowTest.endOffset(Topics.EVALUATION_REQUESTS), "a refused request was published");
        return answer;
    }

    @Test
    void withoutATokenNothingIsServedAndNothingStored() {
        refused(null, 401).header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:xscore:problem:unauthenticated"));
        for (String path : new String[] {"/api/v1/evaluations", "/api/v1/catalog", "/api/v1/leaderboard",
                "/api/v1/models", "/api/v1/datasets"}) {
            given().when().get(path).then().statusCode(401).contentType(startsWith("application/problem+json"));
        }
        // what operators and probes use stays open
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anExpiredTokenIsRefusedSayingSo() {
        refused("Bearer " + TestTokens.expired("alice", Roles.SUBMITTER), 401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("type", equalTo("urn:xscore:problem:invalid-token"))
                .body("detail", containsString("expired"));
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        refused("Bearer " + TestTokens.fromIssuer("https://elsewhere.example/auth", "alice", Roles.SUBMITTER), 401)
                .body("detail", containsString("issuer"));
    }

    @Test
    void aForgedOrGarbledTokenIsRefused() {
        refused("Bearer " + TestTokens.forged("alice", Roles.ADMIN), 401)
                .body("type", equalTo("urn:xscore:problem:invalid-token"));
        refused("Bearer not.a.token", 401).body("type", equalTo("urn:xscore:problem:invalid-token"));
    }

    @Test
    void aViewerReadsButCannotSubmit() {
        String viewer = TestTokens.bearer("victor", Roles.VIEWER);
        refused(viewer, 403).body("type", equalTo("urn:xscore:problem:forbidden"));
        given().header("Authorization", viewer).when().get("/api/v1/evaluations").then().statusCode(200);
        given().header("Authorization", viewer).when().get("/api/v1/catalog").then().statusCode(200);
        // a token with no role this platform knows reads nothing either
        given().header("Authorization", "Bearer " + TestTokens.token("nobody")).when().get("/api/v1/evaluations")
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
    }

    @Test
    void theSubmitterIsTheTokensSubjectNotTheBodys() {
        String id = "auth-" + UUID.randomUUID();
        submit(TestTokens.bearer("alice", Roles.SUBMITTER), id).statusCode(202).body("submittedBy", equalTo("alice"));
        EvaluationEntity stored = evaluations.findById(id);
        assertEquals("alice", stored.requestedBy, "the body's requestedBy (mallory) must not be recorded");

        // the same id from another caller is not "the same request again"
        submit(TestTokens.bearer("bob", Roles.SUBMITTER), id).statusCode(409)
                .body("detail", containsString("another caller"));
        // from alice it is
        submit(TestTokens.bearer("alice", Roles.SUBMITTER), id).statusCode(200).body("submittedBy", equalTo("alice"));
    }

    @Test
    void onlyTheSubmitterOrAnAdminCancels() {
        String id = "auth-" + UUID.randomUUID();
        submit(TestTokens.bearer("alice", Roles.SUBMITTER), id).statusCode(202);
        long cancellations = EvaluationFlowTest.endOffset(Topics.EVALUATION_CANCELLATIONS);

        given().header("Authorization", TestTokens.bearer("bob", Roles.SUBMITTER))
                .when().post("/api/v1/evaluations/" + id + "/cancel")
                .then().statusCode(403).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("another caller"));
        given().header("Authorization", TestTokens.bearer("victor", Roles.VIEWER))
                .when().post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(403);
        given().when().post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(401);
        assertNull(evaluations.findById(id).cancelledAt, "a refused cancellation cancelled");
        assertEquals(cancellations, EvaluationFlowTest.endOffset(Topics.EVALUATION_CANCELLATIONS));

        given().header("Authorization", TestTokens.bearer("root", Roles.ADMIN))
                .when().post("/api/v1/evaluations/" + id + "/cancel").then().statusCode(202);
        assertTrue(evaluations.findById(id).cancelledAt != null);
    }
}
