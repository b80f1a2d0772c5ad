package io.xscore.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.xscore.common.auth.Roles;
import io.xscore.gateway.client.ForwardedQuery;
import io.xscore.gateway.client.TrainerProxyClient;
import io.xscore.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The trainers' model catalog on the gateway, on the trainer's paths, so that clients need one address. Proxied
 * rather than served from {@code common}'s {@code ModelCatalog}: the exact parameter and MAC counts and the
 * architecture elements are computed by building each model with DJL, which only the trainer has. Any trainer answers
 * the same. Query strings go through raw (the trainer checks {@code resolution}); answers as {@link UpstreamAnswers}
 * describes.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/models")
@Blocking
public class TrainerProxyResource {

    private final TrainerProxyClient trainer;

    public TrainerProxyResource(@RestClient TrainerProxyClient trainer) {
        this.trainer = trainer;
    }

    @GET
    @Operation(summary = "The fixed model ids with exact parameter counts, MACs and architecture elements at a "
            + "resolution (from a trainer)")
    @Parameter(name = "resolution", description = "input resolution, an integer in [8, 512]; default 224")
    public Response models(@Context UriInfo uri) {
        String query = query(uri);
        return UpstreamAnswers.forward("trainer", uri, () -> trainer.models(query));
    }

    @GET
    @Path("/elements")
    @Operation(summary = "The paper's Table 6 view: architecture element -> model -> value (from a trainer)")
    @Parameter(name = "resolution", description = "input resolution, an integer in [8, 512]; default 224")
    public Response elements(@Context UriInfo uri) {
        String query = query(uri);
        return UpstreamAnswers.forward("trainer", uri, () -> trainer.elements(query));
    }

    /** The caller's raw query, or null; one that cannot be put on a URI is the caller's mistake (400). */
    private static String query(UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        if (!ForwardedQuery.valid(query)) {
            throw ProblemException.badRequest("query", "the query string is not a valid URI query");
        }
        return query;
    }
}
