package io.xscore.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.xscore.gateway.config.GatewayConfig;
import io.xscore.support.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The scoring service's public endpoints on the gateway, on the same paths, so clients need one address. Requests
 * and answers (including problem+json errors) pass through unchanged; an unreachable scoring service is a 503.
 */
@Path("/api/v1")
@Blocking
public class ScoringProxyResource {

    /**
     * The scoring service's own limit on an xScore table (XScoreRequest.MAX_BODY_BYTES, 256 KiB), checked here too so
     * that a larger body is refused before it is copied to the scoring service.
     */
    static final int MAX_XSCORE_BYTES = 256 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    GatewayConfig config;

    @GET
    @Path("/leaderboard")
    @Operation(summary = "Leaderboard: reference and evaluated models ranked by xScore (from the scoring service)")
    public Response leaderboard(@Context UriInfo uri) {
        return forward("GET", "/api/v1/leaderboard", uri, null);
    }

    @GET
    @Path("/scores/{model}")
    @Operation(summary = "A model's scores (from the scoring service)")
    public Response scores(@PathParam("model") String model, @Context UriInfo uri) {
        return forward("GET", "/api/v1/scores/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20"),
                uri, null);
    }

    @GET
    @Path("/proxy-subsets")
    @Operation(summary = "The k-of-D proxy subset search (from the scoring service)")
    public Response proxySubsets(@Context UriInfo uri) {
        return forward("GET", "/api/v1/proxy-subsets", uri, null);
    }

    @POST
    @Path("/xscore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stateless xScore of an accuracy table (computed by the scoring service)")
    public Response xscore(byte[] body, @Context UriInfo uri) {
        if (body != null && body.length > MAX_XSCORE_BYTES) {
            throw ProblemException.tooLarge(body.length, MAX_XSCORE_BYTES);
        }
        return forward("POST", "/api/v1/xscore", uri, body == null ? new byte[0] : body);
    }

    private Response forward(String method, String path, UriInfo uri, byte[] body) {
        URI target;
        try {
            String query = uri.getRequestUri().getRawQuery();
            target = URI.create(config.scoringServiceUrl() + path + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            // A query the HTTP layer let through but java.net.URI refuses (a bare '%', say): the caller's mistake.
            throw ProblemException.badRequest("query", "the query string is not a valid URI query");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(config.scoringTimeout())
                .header("Accept", "application/json, application/problem+json");
        if (body != null) {
            request.header("Content-Type", MediaType.APPLICATION_JSON).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.GET();
        }
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return Response.status(answer.statusCode())
                    .type(answer.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_JSON))
                    .entity(answer.body()).build();
        } catch (IOException e) {
            throw ProblemException.unavailable("scoring-unavailable", "The scoring service is unavailable",
                    "the scoring service did not answer; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("scoring-unavailable", "The scoring service is unavailable",
                    "interrupted while waiting for the scoring service");
        }
    }
}
