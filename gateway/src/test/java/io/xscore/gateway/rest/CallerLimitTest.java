package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.xscore.common.auth.Roles;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-caller limit on work in flight: with two evaluations (or five jobs) in flight a caller's next submission is
 * 429 with Retry-After, stores nothing, and counts against that caller only; cancelling one frees a place.
 */
@QuarkusTest
@TestProfile(CallerLimitTest.Limits.class)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = DatasetServiceFixture.class, restrictToAnnotatedClass = false)
class CallerLimitTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xscore.gateway.limits.evaluations-in-flight-per-caller", "2",
                    "xscore.gateway.limits.jobs-in-flight-per-caller", "5");
        }
    }

    @Inject
    EvaluationRepository evaluations;

    private static ValidatableResponse submit(String caller, String id, int seeds) {
        String seedList = String.join(",", java.util.stream.IntStream.range(0, seeds).mapToObj(Integer::toString)
                .toList());
        return given().header("Authorization", TestTokens.bearer(caller, Roles.SUBMITTER))
                .contentType(ContentType.JSON).body("""
                        {"evaluationId":"%s","models":["convmixer-32-2"],"datasets":["fashion-mnist"],
                         "seeds":[%s],"protocol":"quick","overrides":{"epochs":1}}""".formatted(id, seedList))
                .when().post("/api/v1/evaluations").then();
    }

    @Test
    void aCallerAtTheLimitIsRefusedUntilOneFinishes() {
        String carol = "carol-" + UUID.randomUUID();
        String first = "limit-" + UUID.randomUUID();
        submit(carol, first, 1).statusCode(202);
        submit(carol, "limit-" + UUID.randomUUID(), 1).statusCode(202);

        String third = "limit-" + UUID.randomUUID();
        submit(carol, third, 1).statusCode(429).contentType(startsWith("application/problem+json"))
                .header("Retry-After", equalTo("60"))
                .body("type", equalTo("urn:xscore:problem:too-many-in-flight"))
                .body("detail", containsString("2 evaluations in flight"));
        assertTrue(evaluations.findByIdOptional(third).isEmpty(), "a refused request was stored");

        // resending an accepted evaluation is not new work: still answered
        submit(carol, first, 1).statusCode(200);
        // the limit is per caller
        submit("dave-" + UUID.randomUUID(), "limit-" + UUID.randomUUID(), 1).statusCode(202);

        given().header("Authorization", TestTokens.bearer(carol, Roles.SUBMITTER))
                .when().post("/api/v1/evaluations/" + first + "/cancel").then().statusCode(202);
        submit(carol, third, 1).statusCode(202);
    }

    @Test
    void adminsAreNotLimited() {
        String root = "root-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", TestTokens.bearer(root, Roles.ADMIN)).contentType(ContentType.JSON)
                    .body("""
                            {"models":["convmixer-32-2"],"datasets":["fashion-mnist"],"seeds":[0,1,2,3],
                             "protocol":"quick","overrides":{"epochs":1}}""")
                    .when().post("/api/v1/evaluations").then().statusCode(202);
        }
    }

    @Test
    void jobsInFlightCountTheNewGrid() {
        String erin = "erin-" + UUID.randomUUID();
        submit(erin, "limit-" + UUID.randomUUID(), 3).statusCode(202);
        String big = "limit-" + UUID.randomUUID();
        submit(erin, big, 3).statusCode(429).body("detail", containsString("3 jobs queued or running"));
        assertTrue(evaluations.findByIdOptional(big).isEmpty());
        submit(erin, "limit-" + UUID.randomUUID(), 2).statusCode(202);
    }
}
