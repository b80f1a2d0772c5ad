package io.xscore.scoring.rest;

import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.scoring.config.ScoringConfig;
import io.xscore.scoring.repository.EvaluationRepository;
import io.xscore.scoring.repository.ResultRepository;
import io.xscore.support.problem.Problem;
import io.xscore.support.problem.ProblemException;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/results")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "results", description = "Stored training results")
public class ResultsResource {

    private final ResultRepository results;
    private final EvaluationRepository evaluations;
    private final ScoringConfig config;

    public ResultsResource(ResultRepository results, EvaluationRepository evaluations, ScoringConfig config) {
        this.results = results;
        this.evaluations = evaluations;
        this.config = config;
    }

    @GET
    @Operation(summary = "Stored training results",
            description = "With evaluationId: the results of the evaluation's planned jobs (including results reused "
                    + "from earlier evaluations) and any result carrying that evaluation id. Otherwise the results "
                    + "matching all of model, dataset and protocol that are given. At least one parameter is required. "
                    + "Sorted by model, dataset, seed; at most xscore.scoring.results-query-limit entries.")
    @APIResponse(responseCode = "200", description = "The results (possibly empty)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TrainingResult.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "No filter given",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<TrainingResult> list(@QueryParam("evaluationId") @Parameter(description = "evaluation id") String evaluationId,
                                     @QueryParam("model") String model,
                                     @QueryParam("dataset") String dataset,
                                     @QueryParam("protocol") String protocol) {
        int limit = config.resultsQueryLimit();
        if (evaluationId != null && !evaluationId.isBlank()) {
            List<String> jobIds = evaluations.findPlan(evaluationId)
                    .map(p -> p.jobs().stream().map(EvaluationPlan.PlannedJob::jobId).toList())
                    .orElse(List.of());
            return results.findForEvaluation(evaluationId, jobIds, limit).stream()
                    .filter(r -> model == null || model.equals(r.model()))
                    .filter(r -> dataset == null || dataset.equals(r.dataset()))
                    .filter(r -> protocol == null || protocol.equals(r.protocol()))
                    .toList();
        }
        if (model == null && dataset == null && protocol == null) {
            throw ProblemException.badRequest("evaluationId",
                    "give evaluationId, or at least one of model, dataset, protocol");
        }
        return results.search(model, dataset, protocol, limit);
    }

    @GET
    @Path("/{jobId}")
    @Operation(summary = "The stored result of one job")
    @APIResponse(responseCode = "200", description = "The result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrainingResult.class)))
    @APIResponse(responseCode = "400", description = "Malformed job id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No result for this job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TrainingResult get(@PathParam("jobId") @Pattern(regexp = "[0-9a-f]{32}", message = "must be 32 lower-case hex digits")
                              String jobId) {
        return results.findByJobId(jobId).orElseThrow(() -> ProblemException.notFound("Result",
                "no result for job " + jobId));
    }
}
