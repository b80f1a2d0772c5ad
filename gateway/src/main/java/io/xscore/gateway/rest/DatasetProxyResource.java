package io.xscore.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.xscore.common.auth.Roles;
import io.xscore.gateway.client.DatasetProxyClient;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The dataset service's read endpoints on the gateway, on the same paths: the catalog with each dataset's runtime
 * state, one dataset, its preparation status with the content digest, and a test image's preview under a robustness
 * suite's perturbation (PNG). Proxied, not served from {@code common}'s
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

    @GET
    @Path("/{id}/preview/{split}/{index}.png")
    @Produces({"image/png", "application/problem+json"})
    @Operation(summary = "A test image under a robustness suite's perturbation, as PNG (from the dataset service)",
            description = "Exactly the 8-bit image the trainer's robustness suite evaluates, for a person to look at:"
                    + " perturbation=clean is the test transform (largest centred square, bilinear resize to"
                    + " size×size); low-resolution is LR0.FM's transform of the stored image (shorter side to"
                    + " shorterSide and back to size); corruption is the named common corruption at the severity,"
                    + " seeded per image as the suite seeds it from seed, corruption, severity and index. Adversarial"
                    + " (PGD) examples depend on a job's weights: /api/v1/evaluations/{id}/jobs/{jobId}/"
                    + "adversarial-example (here: 400 adversarial-preview-unavailable). Parameters are checked by the"
                    + " dataset service (400"
                    + " problem naming the field).")
    @APIResponse(responseCode = "200", description = "The PNG (RGB; grey images replicated to three channels)")
    @APIResponse(responseCode = "400", description = "A parameter missing, malformed, out of range or not for the"
            + " perturbation (problem+json naming it); adversarial-preview-unavailable for perturbation=adversarial")
    @APIResponse(responseCode = "404", description = "Unknown dataset or split, or index outside the split")
    @APIResponse(responseCode = "503", description = "The dataset service did not answer (or the split is still being"
            + " prepared): retry after Retry-After")
    public Response preview(
            @PathParam("id") String id,
            @Parameter(description = "train or test (the suites evaluate test)") @PathParam("split") String split,
            @Parameter(description = "the image's index in the full split, from 0 (the suite's per-image seeds use"
                    + " this index)") @PathParam("index") String index,
            @Parameter(description = "the model's input size, an integer in [8, 512]; default: the split's stored"
                    + " (native) size") @QueryParam("size") String size,
            @Parameter(description = "clean (default), low-resolution, corruption; adversarial is not available yet")
            @QueryParam("perturbation") String perturbation,
            @Parameter(description = "low-resolution only, required: n, an integer >= 1 and below size")
            @QueryParam("shorterSide") String shorterSide,
            @Parameter(description = "corruption only, required: a name as the reference code writes it, e.g."
                    + " gaussian_noise, fog, frost-procedural") @QueryParam("corruption") String corruption,
            @Parameter(description = "corruption only, required: 1 to 5") @QueryParam("severity") String severity,
            @Parameter(description = "corruption only: the robustness suite's seed, default 0 as in the suite")
            @QueryParam("seed") String seed,
            @Parameter(description = "nearest-neighbour magnification for viewing, 1 to 16, default 1; size × scale"
                    + " at most 1024") @QueryParam("scale") String scale,
            @Context UriInfo uri) {
        String idSegment = segment(id);
        String splitSegment = segment(split);
        String indexSegment = segment(index);
        return UpstreamAnswers.forward("dataset", uri, () -> datasets.preview(idSegment, splitSegment, indexSegment,
                size, perturbation, shorterSide, corruption, severity, seed, scale));
    }

    /** A path parameter percent-encoded as one path segment (every byte but letters, digits, {@code -._*}). */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
