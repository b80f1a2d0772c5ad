package io.xscore.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.xscore.common.auth.Roles;
import io.xscore.testsupport.FreePorts;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's pass-through of the scoring service's public endpoints, against a small HTTP server on loopback that
 * echoes what it received (the real scoring service is exercised end to end in e2e-tests).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ScoringProxyTest.EchoScoringService.class, restrictToAnnotatedClass = false)
class ScoringProxyTest {

    /** Every request of these tests is made as a submitter (AuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("gateway-tests", Roles.SUBMITTER);
    }

    @Test
    void forwardsPathQueryAndBody() {
        given().get("/api/v1/leaderboard?lambda=0.25&protocol=paper-v1").then().statusCode(200)
                .body("method", equalTo("GET"))
                .body("uri", equalTo("/api/v1/leaderboard?lambda=0.25&protocol=paper-v1"));
        given().get("/api/v1/scores/mobilenet").then().statusCode(200).body("uri", equalTo("/api/v1/scores/mobilenet"));
        given().get("/api/v1/proxy-subsets?k=3").then().statusCode(200).body("uri", equalTo("/api/v1/proxy-subsets?k=3"));
        given().get("/api/v1/diagnostics?lambda=1").then().statusCode(200).body("uri", equalTo("/api/v1/diagnostics?lambda=1"));
        given().contentType(ContentType.JSON).body("{\"lambda\":0.5}").post("/api/v1/xscore").then().statusCode(200)
                .body("method", equalTo("POST")).body("body", equalTo("{\"lambda\":0.5}"));
    }

    @Test
    void passesErrorsThroughUnchanged() {
        given().contentType(ContentType.JSON).body("{\"bad\":true}").post("/api/v1/xscore").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("accuracies"));
    }

    @Test
    void aModelIdIsForwardedAsOneEncodedPathSegment() {
        // The gateway decodes the segment to "a b+c;d", the proxy encodes it again as one segment.
        given().urlEncodingEnabled(false).get("/api/v1/scores/a%20b+c%3Bd").then().statusCode(200)
                .body("uri", equalTo("/api/v1/scores/a%20b%2Bc%3Bd"));
    }

    @Test
    void aScoringServiceThatGivesNoAnswerIsA503ProblemAfterTwoRetries() {
        int before = EchoScoringService.UNANSWERED.get();
        given().get("/api/v1/scores/" + EchoScoringService.NO_ANSWER + "?lambda=0.5").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", "10")
                .body("type", equalTo("urn:xscore:problem:scoring-unavailable"))
                .body("status", equalTo(503));
        assertEquals(before + 3, EchoScoringService.UNANSWERED.get(), "a GET is tried three times");
    }

    /**
     * Answers every request with what it received; a body containing "bad" gets a 400 problem. Stored results and
     * score sets ({@link #STORED}, by path, filled by tests of the reconciler) are served as the scoring service
     * would; other result and score-set paths are 404. A request for the scores of {@link #NO_ANSWER} has its
     * connection closed without an answer, as a scoring service going down would ({@link #UNANSWERED} counts them).
     */
    public static class EchoScoringService implements QuarkusTestResourceLifecycleManager {
        public static final Map<String, String> STORED = new java.util.concurrent.ConcurrentHashMap<>();
        public static final String NO_ANSWER = "no-answer-from-scoring";
        static final java.util.concurrent.atomic.AtomicInteger UNANSWERED = new java.util.concurrent.atomic.AtomicInteger();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/api/v1/scores/" + NO_ANSWER)) {
                    UNANSWERED.incrementAndGet();
                    exchange.close(); // no response headers sent: the connection is closed
                    return;
                }
                if (path.startsWith("/api/v1/results/") || path.endsWith("/scores") && path.startsWith("/api/v1/evaluations/")) {
                    String stored = STORED.get(path);
                    byte[] bytes = (stored != null ? stored : "{\"status\":404}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", stored != null ? "application/json" : "application/problem+json");
                    exchange.sendResponseHeaders(stored != null ? 200 : 404, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                    return;
                }
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean bad = body.contains("bad");
                String answer = bad ? "{\"status\":400,\"field\":\"accuracies\"}"
                        : "{\"method\":\"" + exchange.getRequestMethod() + "\",\"uri\":\"" + exchange.getRequestURI()
                                + "\",\"body\":" + (body.isEmpty() ? "null" : "\"" + body.replace("\"", "\\\"") + "\"") + "}";
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", bad ? "application/problem+json" : "application/json");
                exchange.sendResponseHeaders(bad ? 400 : 200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return Map.of("xscore.gateway.scoring-service-url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }
}
