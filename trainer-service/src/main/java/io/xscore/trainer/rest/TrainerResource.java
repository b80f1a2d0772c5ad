package io.xscore.trainer.rest;

import io.xscore.common.catalog.ModelCatalog;
import io.xscore.trainer.model.ConvMixer;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.service.DjlEnvironment;
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
import java.util.concurrent.ConcurrentHashMap;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {

    private static final Map<String, Long> COUNTS = new ConcurrentHashMap<>();

    @Inject
    TrainingJobService service;

    @Inject
    DjlEnvironment djl;

    /** @param parameterCount exact trainable parameters at {@code classes} classes and {@code resolution} px */
    public record ModelEntry(String id, String family, String description, int classes, int resolution, int patch,
                             long parameterCount) {
    }

    /** Idle, or the running job with its completed epochs. */
    @GET
    @Path("/trainer/status")
    public TrainerStatus status() {
        return service.status();
    }

    /**
     * The catalog's fixed model ids with their exact parameter counts at 10 classes (computed once per resolution
     * by building the model, then cached). Besides these, any {@code convmixer-<dim>-<depth>} is accepted.
     */
    @GET
    @Path("/models")
    public List<ModelEntry> models(@QueryParam("resolution") @DefaultValue("224") @Min(8) @Max(512) int resolution) {
        djl.configure();
        return ModelCatalog.fixed().stream().map(info -> new ModelEntry(info.id(), info.family(), info.description(),
                10, resolution, ConvMixer.patchFor(resolution), COUNTS.computeIfAbsent(info.id() + "@" + resolution,
                        k -> ModelRegistry.parameterCount(info.id(), 10, resolution)))).toList();
    }
}
