package io.xscore.gateway.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web application as the gateway serves it: the bundled page, script and stylesheet from the jar without a
 * token (they hold no data), the page's Content-Security-Policy, and the API behind it still closed. What the page
 * does is tested in a real browser (e2e-tests WebUiIT); its functions by node's test runner (src/main/webui/test).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class WebApplicationTest {

    @BeforeEach
    void noToken() {
        TestTokens.anonymous();
    }

    @Test
    void thePageAndItsBundleAreServedWithoutAToken() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"app.js\"></script>"))
                .body(containsString("<a class=\"skip\" href=\"#view\">Skip to content</a>"));
        // the bundle holds ECharts (nothing is loaded from elsewhere at run time) and the pages
        String bundle = given().get("/app.js").then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("/api/v1/leaderboard")).extract().asString();
        assertThat("the bundle with ECharts", bundle.length(), greaterThan(100_000));
        given().get("/style.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void thePageMayRunOnlyItsOwnScript() {
        for (String path : new String[] {"/", "/index.html"}) {
            given().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", containsString("script-src 'self';"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("X-Content-Type-Options", equalTo("nosniff"));
        }
        // not on Swagger UI, whose page has inline scripts
        given().get("/q/swagger-ui/").then().header("Content-Security-Policy", nullValue());
    }

    @Test
    void theApiBehindThePageStillNeedsAToken() {
        given().get("/api/v1/leaderboard").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", not(nullValue()));
    }
}
