package io.xscore.dataset.rest;

import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preview.PreviewRequest;
import io.xscore.dataset.preview.Previews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A test image as a robustness suite evaluates it, as PNG, so that a person can see what a perturbation does: the
 * clean test image at the model's size, its low-resolution version, or a seeded common corruption, made by the same
 * code ({@code augment}'s {@code SuiteImages}) as the trainer's robustness evaluation. A read: open inside the
 * cluster like the other reads of this service (the gateway asks for a viewer). Errors are
 * {@code application/problem+json}.
 */
@Path("/api/v1/datasets")
public class PreviewResource {

    static final String IMAGE_PNG = "image/png";

    private final DatasetSources sources;
    private final Previews previews;

    public PreviewResource(DatasetSources sources, Previews previews) {
        this.sources = sources;
        this.previews = previews;
    }

    @GET
    @Path("{id}/preview/{split}/{index}.png")
    @Produces({IMAGE_PNG, "application/problem+json"})
    @Operation(summary = "A test image under a robustness suite's perturbation, as PNG",
            description = "Exactly the 8-bit image the trainer's robustness suite evaluates: perturbation=clean is the"
                    + " test transform (largest centred square, bilinear resize to size×size); low-resolution is"
                    + " LR0.FM's transform of the stored image (shorter side to shorterSide and back to size);"
                    + " corruption is the named common corruption at the severity, with the parameter table for"
                    + " size and the per-image seed the suite derives from seed, corruption, severity and index."
                    + " Adversarial (PGD) examples need a job's stored weights and come from the gateway's"
                    + " /api/v1/evaluations/{id}/jobs/{jobId}/adversarial-example (here: 400"
                    + " adversarial-preview-unavailable). Prepares the split first if it is not"
                    + " prepared.")
    @APIResponse(responseCode = "200", description = "The PNG (RGB; grey images replicated to three channels)")
    @APIResponse(responseCode = "400", description = "A parameter missing, malformed, out of range or not for the"
            + " perturbation (problem+json naming it); adversarial-preview-unavailable for perturbation=adversarial")
    @APIResponse(responseCode = "404", description = "Unknown dataset or split, or index outside the split")
    @APIResponse(responseCode = "503", description = "The dataset's data is missing")
    public Response preview(
            @PathParam("id") String id,
            @Parameter(description = "train or test (the suites evaluate test)") @PathParam("split") String split,
            @Parameter(description = "the image's index in the full split, from 0 (the suite's per-image seeds use"
                    + " this index, not the position in its evaluated subset)") @PathParam("index") String index,
            @Parameter(description = "the model's input size, an integer in [8, 512]; default: the split's stored"
                    + " (native) size, the dataset service does not know the protocol's resolution")
            @QueryParam("size") String size,
            @Parameter(description = "clean (default), low-resolution, corruption; adversarial is not available yet")
            @QueryParam("perturbation") String perturbation,
            @Parameter(description = "low-resolution only, required: n, an integer >= 1 and below size")
            @QueryParam("shorterSide") String shorterSide,
            @Parameter(description = "corruption only, required: a corruption name as the reference code writes it"
                    + " (gaussian_noise, shot_noise, impulse_noise, defocus_blur, glass_blur, motion_blur, zoom_blur,"
                    + " snow, frost-procedural, fog, brightness, contrast, elastic_transform, pixelate,"
                    + " jpeg_compression)") @QueryParam("corruption") String corruption,
            @Parameter(description = "corruption only, required: 1 to 5") @QueryParam("severity") String severity,
            @Parameter(description = "corruption only: the robustness suite's seed (a 64-bit integer), default 0 as"
                    + " in the suite") @QueryParam("seed") String seed,
            @Parameter(description = "nearest-neighbour magnification for viewing, 1 to 16, default 1; size × scale"
                    + " at most 1024") @QueryParam("scale") String scale) {
        sources.get(id);
        Split s = Split.parse(id, split);
        PreviewRequest request = PreviewRequest.parse(index, size, perturbation, shorterSide, corruption, severity,
                seed, scale);
        return Response.ok(previews.png(id, s, request), IMAGE_PNG).build();
    }
}
