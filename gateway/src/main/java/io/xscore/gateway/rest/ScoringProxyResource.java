package io.xscore.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.xscore.common.auth.Roles;
import io.xscore.gateway.client.ForwardedQuery;
import io.xscore.gateway.client.ScoringProxyClient;
import io.xscore.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The scoring service's public endpoints on the gateway, on the same paths, so clients need one address. Requests
 * (query strings raw) and answers (status, content type and body, problem+json errors included) pass through
 * unchanged, by the REST client {@link ScoringProxyClient}, which also holds the time-outs, retries and circuit
 * breaker; a scoring service that gives no answer is a 503 with {@code Retry-After} ({@link UpstreamAnswers}).
 */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1")
@Blocking
public class ScoringProxyResource {

    /**
     * The scoring service's own limit on an xScore table (XScoreRequest.MAX_BODY_BYTES, 256 KiB), checked here too so
     * that a larger body is refused before it is copied to the scoring service.
     */
    static final int MAX_XSCORE_BYTES = 256 * 1024;

    private static final Logger LOG = Logger.getLogger(ScoringProxyResource.class);

    private final ScoringProxyClient scoring;

    public ScoringProxyResource(@RestClient ScoringProxyClient scoring) {
        this.scoring = scoring;
    }

    @GET
    @Path("/leaderboard")
    @Operation(summary = "Leaderboard: reference and evaluated models ranked by xScore (from the scoring service)")
    public Response leaderboard(@Context UriInfo uri) {
        String query = query(uri);
        return forward(uri, () -> scoring.leaderboard(query));
    }

    @GET
    @Path("/scores/{model}")
    @Operation(summary = "A model's scores (from the scoring service)")
    public Response scores(@PathParam("model") String model, @Context UriInfo uri) {
        String query = query(uri);
        String segment = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
        return forward(uri, () -> scoring.scores(segment, query));
    }

    @GET
    @Path("/proxy-subsets")
    @Operation(summary = "The k-of-D proxy subset search (from the scoring service)")
    public Response proxySubsets(@Context UriInfo uri) {
        String query = query(uri);
        return forward(uri, () -> scoring.proxySubsets(query));
    }

    @GET
    @Path("/diagnostics")
    @Operation(summary = "The paper's diagnostics: ImageNette correlation, λ sweep, best and worst per dataset (from the "
            + "scoring service)")
    public Response diagnostics(@Context UriInfo uri) {
        String query = query(uri);
        return forward(uri, () -> scoring.diagnostics(query));
    }

    @POST
    @Path("/xscore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stateless xScore of an accuracy table (computed by the scoring service)")
    public Response xscore(byte[] body, @Context UriInfo uri) {
        if (body != null && body.length > MAX_XSCORE_BYTES) {
            throw ProblemException.tooLarge(body.length, MAX_XSCORE_BYTES);
        }
        String query = query(uri);
        byte[] table = body == null ? new byte[0] : body;
        return forward(uri, () -> scoring.xscore(table, query));
    }

    /** The caller's raw query, or null; one that cannot be put on a URI is the caller's mistake (400). */
    private static String query(UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        if (!ForwardedQuery.valid(query)) {
            throw ProblemException.badRequest("query", "the query string is not a valid URI query");
        }
        return query;
    }

    /**
     * The scoring service's answer as it came (status, content type, body); no answer at all is a 503 problem with
     * {@code Retry-After}.
     */
    private static Response forward(UriInfo uri, Supplier<Response> call) {
        try (Response answer = call.get()) {
            String type = answer.getHeaderString(HttpHeaders.CONTENT_TYPE);
            byte[] body = answer.hasEntity() ? answer.readEntity(byte[].class) : new byte[0];
            return Response.status(answer.getStatus()).type(type != null ? type : MediaType.APPLICATION_JSON)
                    .entity(body).build();
        } catch (ProcessingException | FaultToleranceException e) {
            LOG.warnf(e, "503 %s: the scoring service did not answer", uri.getPath());
            return UpstreamAnswers.unavailable("scoring", uri, UpstreamAnswers.RETRY_AFTER_SECONDS);
        }
    }
}
