package io.xscore.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.xscore.common.auth.Roles;
import io.xscore.gateway.client.DatasetProxyClient;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The dataset service's read endpoints on the gateway, on the same paths: the catalog with each dataset's runtime
 * state, one dataset, and its preparation status with the content digest. Proxied, not served from {@code common}'s
 * {@code DatasetCatalog}: registrations, downloads and preparation progress live in the dataset service. Writes
 * (register, prepare, download) and shard transfers stay on the dataset service. Answers as {@link UpstreamAnswers}
 * describes.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/datasets")
@Blocking
public class DatasetProxyResource {

    private final DatasetProxyClient datasets;

    public DatasetProxyResource(@RestClient DatasetProxyClient datasets) {
        this.datasets = datasets;
    }

    @GET
    @Operation(summary = "The datasets known to the dataset service, with their state (from the dataset service)")
    public Response list(@Context UriInfo uri) {
        return UpstreamAnswers.forward("dataset", uri, datasets::list);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One dataset (from the dataset service)")
    public Response dataset(@PathParam("id") String id, @Context UriInfo uri) {
        String segment = segment(id);
        return UpstreamAnswers.forward("dataset", uri, () -> datasets.dataset(segment));
    }

    @GET
    @Path("/{id}/status")
    @Operation(summary = "A dataset's preparation status, per-split progress and content digest (from the dataset "
            + "service)")
    public Response status(@PathParam("id") String id, @Context UriInfo uri) {
        String segment = segment(id);
        return UpstreamAnswers.forward("dataset", uri, () -> datasets.status(segment));
    }

    /** The id percent-encoded as one path segment (every byte but letters, digits, {@code -._*}). */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
