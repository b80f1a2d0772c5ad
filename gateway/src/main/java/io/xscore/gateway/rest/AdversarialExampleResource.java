package io.xscore.gateway.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import io.xscore.common.auth.Roles;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.gateway.client.TrainerExamplesClient;
import io.xscore.gateway.service.EvaluationService;
import io.xscore.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The adversarial example of a finished job, for a person to look at what the PGD suite does: the gateway names the job
 * as it was planned and a trainer attacks one test image with the job's stored weights (kept checkpoints). The PNG
 * shows the clean image beside the adversarial one; headers say whether the model gets each right.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/evaluations/{id}/jobs/{jobId}/adversarial-example")
@Blocking
public class AdversarialExampleResource {

    private static final String[] KEPT = {"X-Xscore-Attack", "X-Xscore-Clean-Correct", "X-Xscore-Adversarial-Correct"};

    private final EvaluationService evaluations;
    private final TrainerExamplesClient trainer;

    public AdversarialExampleResource(EvaluationService evaluations, @RestClient TrainerExamplesClient trainer) {
        this.evaluations = evaluations;
        this.trainer = trainer;
    }

    @GET
    @Produces("image/png")
    @Operation(summary = "A test image beside its PGD adversarial example against a finished job's stored weights",
            description = "index: the image's position in the dataset's whole test split. epsilon on [0, 1] pixels "
                    + "(default 8/255), norm linf|l2, steps (default 10), α = 2.5·ε/steps, seeded random start "
                    + "(seed, default 0), scale 1-16 (default 4). Needs the trainers to keep checkpoints "
                    + "(xscore.trainer.keep-checkpoints=true): 404 otherwise. Headers X-Xscore-Attack, "
                    + "X-Xscore-Clean-Correct, X-Xscore-Adversarial-Correct.")
    public Response example(@PathParam("id") String id, @PathParam("jobId") String jobId,
                            @QueryParam("index") Integer index,
                            @QueryParam("epsilon") @DefaultValue("0.03137254901960784") double epsilon,
                            @QueryParam("norm") @DefaultValue("linf") String norm,
                            @QueryParam("steps") @DefaultValue("10") int steps,
                            @QueryParam("seed") @DefaultValue("0") long seed,
                            @QueryParam("scale") @DefaultValue("4") int scale, @Context UriInfo uri) {
        if (index == null || index < 0) {
            throw ProblemException.badRequest("index", "index: the image's position in the test split, 0 or more");
        }
        TrainingJob job = evaluations.plannedJob(id, jobId).orElseThrow(() -> ProblemException.notFound("Job",
                "evaluation " + id + " has no planned job " + jobId));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("job", Json.MAPPER.valueToTree(job));
        body.put("index", index).put("seed", seed).put("scale", scale);
        ObjectNode pgd = body.putObject("pgd").put("norm", norm).put("steps", steps);
        pgd.putArray("epsilons").add(epsilon);
        return UpstreamAnswers.forward("trainer", uri, () -> trainer.adversarialExample(jobId, body), KEPT);
    }
}
