package io.xscore.trainer.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.catalog.ModelCatalog;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.support.problem.ProblemException;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.service.StoredRunSuites;
import io.xscore.trainer.service.TrainerStatus;
import io.xscore.trainer.service.TrainingJobService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {

    static final int DEFAULT_RESOLUTION = 224;
    static final int MIN_RESOLUTION = 8;
    static final int MAX_RESOLUTION = 512;

    private final TrainingJobService service;
    private final StoredRunSuites storedRuns;

    public TrainerResource(TrainingJobService service, StoredRunSuites storedRuns) {
        this.service = service;
        this.storedRuns = storedRuns;
    }

    /**
     * Runs robustness suites on a finished job's stored weights, without training again, and answers the report
     * (synchronously: minutes for large suites). Body: {@code {"job": <the TrainingJob as trained>, "robustness":
     * <suites>}}. 404 without a stored checkpoint, 409 for a checkpoint of another setup or an unfinished run, or
     * while this trainer trains a job. Inside the cluster only (not proxied by the gateway).
     */
    @POST
    @Path("/jobs/{jobId}/robustness")
    @Consumes(MediaType.APPLICATION_JSON)
    public RobustnessReport robustness(@PathParam("jobId") String jobId, JsonNode body) {
        if (body == null || !body.isObject() || !body.has("job") || !body.has("robustness")) {
            throw ProblemException.badRequest("body", "expected {\"job\": <TrainingJob>, \"robustness\": <suites>}");
        }
        TrainingJob job;
        RobustnessSpec suites;
        try {
            job = MessageCodec.decode(body.get("job").toString(), TrainingJob.class);
            suites = MessageCodec.decode(body.get("robustness").toString(), RobustnessSpec.class);
        } catch (InvalidMessageException e) {
            throw ProblemException.badRequest("body", e.getMessage());
        }
        if (!job.jobId().equals(jobId)) {
            throw ProblemException.badRequest("job.jobId", "the body's job is " + job.jobId() + ", the path's " + jobId);
        }
        return storedRuns.run(job, suites);
    }

    /**
     * A PNG of one test image (its index in the whole test split) beside its PGD adversarial example against the
     * finished job's stored weights: what the PGD suite does to that image. Body: {@code {"job": <TrainingJob>,
     * "index": i, "pgd": {"norm", "epsilons": [one ε], "steps", "relativeStepSize", "randomStart"}, "seed": s,
     * "scale": k}} (pgd settings default as in the suite; scale 1-16, default 4). Headers say whether the model
     * classifies each image correctly and which attack ran. Same 404/409 as the suites on stored weights.
     */
    @POST
    @Path("/jobs/{jobId}/adversarial-example")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces("image/png")
    public jakarta.ws.rs.core.Response adversarialExample(@PathParam("jobId") String jobId, JsonNode body) {
        if (body == null || !body.isObject() || !body.has("job") || !body.path("index").canConvertToInt()) {
            throw ProblemException.badRequest("body", "expected {\"job\": <TrainingJob>, \"index\": <test image>, "
                    + "\"pgd\": {\"epsilons\": [<one radius>]}}");
        }
        TrainingJob job;
        RobustnessSpec suites;
        try {
            job = MessageCodec.decode(body.get("job").toString(), TrainingJob.class);
            com.fasterxml.jackson.databind.node.ObjectNode spec = io.xscore.common.json.Json.MAPPER.createObjectNode();
            spec.putArray("suites").add(RobustnessSpec.PGD);
            if (body.has("pgd")) {
                spec.set("pgd", body.get("pgd"));
            }
            suites = MessageCodec.decode(spec.toString(), RobustnessSpec.class);
        } catch (InvalidMessageException e) {
            throw ProblemException.badRequest("body", e.getMessage());
        }
        if (!job.jobId().equals(jobId)) {
            throw ProblemException.badRequest("job.jobId", "the body's job is " + job.jobId() + ", the path's " + jobId);
        }
        int scale = body.path("scale").asInt(4);
        if (scale < 1 || scale > 16) {
            throw ProblemException.badRequest("scale", "scale must be 1 to 16, got " + body.path("scale"));
        }
        long seed = body.path("seed").asLong(0);
        StoredRunSuites.AdversarialExample example = storedRuns.adversarialExample(job, body.path("index").asInt(),
                suites.pgd(), seed);
        return jakarta.ws.rs.core.Response.ok(ExamplePng.of(example, scale), "image/png")
                .header("X-Xscore-Attack", example.attack())
                .header("X-Xscore-Clean-Correct", example.cleanCorrect())
                .header("X-Xscore-Adversarial-Correct", example.adversarialCorrect()).build();
    }

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
    public List<ModelRegistry.ModelInfo> models(@QueryParam("resolution") String resolution) {
        return ModelRegistry.all(10, resolution(resolution));
    }

    /**
     * The paper's Table 6 view (architecture element → model → value) for the eleven benchmark models and
     * ExMobileViT, computed from the models' element records rather than written by hand.
     */
    @GET
    @Path("/models/elements")
    public Map<String, Map<String, String>> elements(@QueryParam("resolution") String resolution) {
        List<String> ids = new java.util.ArrayList<>(ModelCatalog.BENCHMARK_ELEVEN);
        ids.add("exmobilevit");
        return ModelRegistry.elementsTable(ids, resolution(resolution));
    }

    /**
     * The resolution query parameter: absent → 224; otherwise an integer in [8, 512]. Parsed here rather than bound to
     * an {@code int}, since a query parameter that does not convert would be a 404 (JAX-RS's rule), not a 400 naming
     * the parameter.
     */
    static int resolution(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_RESOLUTION;
        }
        try {
            int resolution = Integer.parseInt(text.strip());
            if (resolution >= MIN_RESOLUTION && resolution <= MAX_RESOLUTION) {
                return resolution;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("resolution", "resolution: must be an integer in [" + MIN_RESOLUTION + ", "
                + MAX_RESOLUTION + "], got '" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'");
    }
}
