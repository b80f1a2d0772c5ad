package io.xscore.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.auth.Roles;
import io.xscore.common.json.Json;
import io.xscore.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP against the stack, as an admin: every request carries a fresh token of the test issuer, which the suite's
 * stacks trust ({@link LocalStack} gives their launcher the test key pair). A transport failure is answered as status
 * -1 (the service is down or restarting).
 */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /** @param status -1 when no HTTP answer came (connection refused, reset, timed out) */
    record Resp(int status, String body) {

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
        }
    }

    private Http() {
    }

    /** An Authorization header value: the fault suite acts as an admin (it cancels and registers). */
    static String authorization() {
        return TestTokens.bearer("fault-suite", Roles.ADMIN);
    }

    static Resp get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), Duration.ofSeconds(30));
    }

    static Resp post(String url, String json) {
        return post(url, json, Duration.ofSeconds(60));
    }

    static Resp post(String url, String json, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), timeout);
    }

    private static Resp send(HttpRequest.Builder builder, Duration timeout) {
        try {
            HttpResponse<String> r = CLIENT.send(builder.header("Authorization", authorization()).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body() == null ? "" : r.body());
        } catch (IOException e) {
            return new Resp(-1, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
