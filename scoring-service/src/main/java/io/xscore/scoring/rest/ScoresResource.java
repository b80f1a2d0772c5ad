package io.xscore.scoring.rest;

import io.xscore.common.messaging.ScoreSet;
import io.xscore.scoring.repository.ScoreSetRepository;
import io.xscore.support.problem.Problem;
import io.xscore.support.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/evaluations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "scores", description = "xScores of evaluations")
public class ScoresResource {

    private final ScoreSetRepository scores;

    public ScoresResource(ScoreSetRepository scores) {
        this.scores = scores;
    }

    @GET
    @Path("/{evaluationId}/scores")
    @Operation(summary = "Latest score set of an evaluation",
            description = "The score set last published on xscore.scores for the evaluation: complete models with "
                    + "mean accuracy per dataset (over seeds, with standard error), G, V, xScore and rank; failed and "
                    + "pending models with a note. Paper protocol: scale 'reference' (the paper's fixed anchors; a "
                    + "model with only the 4 proxy datasets has the proxy xScore and a note starting with 'proxy:'). "
                    + "Other protocols: scale 'recomputed' (anchors from the evaluation's complete models).")
    @APIResponse(responseCode = "200", description = "The score set",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreSet.class)))
    @APIResponse(responseCode = "404", description = "No score set yet (no plan, or no model complete or failed)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ScoreSet scores(@PathParam("evaluationId") String evaluationId) {
        return scores.latest(evaluationId).orElseThrow(() -> ProblemException.notFound("Score set",
                "no score set for evaluation " + evaluationId + " yet"));
    }
}
