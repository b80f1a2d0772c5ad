package io.xscore.trainer.rest;

import io.xscore.common.catalog.ModelCatalog;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.service.TrainerStatus;
import io.xscore.trainer.service.TrainingJobService;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {

    @Inject
    TrainingJobService service;

    /** Idle, or the running job with its completed epochs. */
    @GET
    @Path("/trainer/status")
    public TrainerStatus status() {
        return service.status();
    }

    /**
     * The catalog's fixed model ids, each with its exact trainable parameter count and multiply-accumulates at 10
     * classes and the given resolution, and its architecture-element record (built once per resolution, cached by the
     * registry). Besides these, any {@code convmixer-<dim>-<depth>} is accepted by jobs.
     */
    @GET
    @Path("/models")
    public List<ModelRegistry.ModelInfo> models(
            @QueryParam("resolution") @DefaultValue("224") @Min(8) @Max(512) int resolution) {
        return ModelRegistry.all(10, resolution);
    }

    /**
     * The paper's Table 6 view (architecture element → model → value) for the eleven benchmark models and
     * ExMobileViT, computed from the models' element records rather than written by hand.
     */
    @GET
    @Path("/models/elements")
    public Map<String, Map<String, String>> elements(
            @QueryParam("resolution") @DefaultValue("224") @Min(8) @Max(512) int resolution) {
        List<String> ids = new java.util.ArrayList<>(ModelCatalog.BENCHMARK_ELEVEN);
        ids.add("exmobilevit");
        return ModelRegistry.elementsTable(ids, resolution);
    }
}
