package io.xscore.scoring.rest;

import io.xscore.common.protocol.Protocols;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.robustness.ModelRobustnessEntry;
import io.xscore.scoring.service.Leaderboard;
import io.xscore.scoring.service.LeaderboardService;
import io.xscore.scoring.service.LeaderboardService.DiagnosticsReport;
import io.xscore.scoring.service.LeaderboardService.ModelEntry;
import io.xscore.scoring.service.LeaderboardService.ProxySubsets;
import io.xscore.support.problem.Problem;
import io.xscore.support.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "leaderboard", description = "Leaderboard, per-model scores, proxy subsets and diagnostics (computed on "
        + "request from the stored results and the stored reference table)")
public class LeaderboardResource {

    private static final String LAMBDA = "λ in xScore = G − λ·V (finite, ≥ 0; default xscore.scoring.lambda = 0.5)";

    private final LeaderboardService service;

    public LeaderboardResource(LeaderboardService service) {
        this.service = service;
    }

    @GET
    @Path("/leaderboard")
    @Operation(summary = "Leaderboard ranked by xScore",
            description = "protocol paper-v1 (default): the 11 reference models and every model evaluated under "
                    + "paper-v1, on the paper's fixed anchors (scale 'reference'; reference models keep their "
                    + "published xScores). A model with all 7 reference datasets gets the full xScore (kind 'full'), "
                    + "one with only the proxy datasets the proxy xScore (kind 'proxy'), others are listed 'unscored'. "
                    + "Another protocol (e.g. quick): only that protocol's models, on anchors recomputed from them "
                    + "(scale 'recomputed'). Accuracies are means over seeds with standard error and seed count.")
    @APIResponse(responseCode = "200", description = "The leaderboard",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Leaderboard.class)))
    @APIResponse(responseCode = "400", description = "Invalid lambda, protocol or datasets (field names it)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Leaderboard leaderboard(
            @QueryParam("lambda") @Parameter(description = LAMBDA) String lambda,
            @QueryParam("protocol") @Parameter(description = "protocol (default paper-v1)") String protocol,
            @QueryParam("datasets") @Parameter(description = "comma-separated dataset ids to score over (default: "
                    + "all reference datasets for a paper protocol, every dataset of the protocol's results otherwise)")
            String datasets) {
        Double l = QueryParams.lambda(lambda);
        String p = QueryParams.protocol(protocol, ReferenceData.PAPER_PROTOCOL);
        List<String> allowed = Protocols.get(p).paper()
                ? service.referenceScale(p, service.calculator(l)).map(s -> s.datasets()).orElse(null) : null;
        return service.leaderboard(p, l, QueryParams.datasets(datasets, allowed));
    }

    @GET
    @Path("/scores/{model}")
    @Operation(summary = "A model's scores on every leaderboard it appears on",
            description = "For each protocol with results of the model (and paper-v1 for a reference model): its "
                    + "leaderboard entry (source reference/evaluated, kind full/proxy/unscored, accuracies with "
                    + "seeds, G, V, xScore, rank) and the number of ranked models; and, for every evaluation that ran "
                    + "robustness suites on it, its row of that evaluation's robustness board with its robust "
                    + "xScores (relative to that evaluation's models).")
    @APIResponse(responseCode = "200", description = "The model's entries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ModelEntry.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "No reference entry and no successful result for the model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ModelScores scores(@PathParam("model") String model,
                              @QueryParam("lambda") @Parameter(description = LAMBDA) String lambda) {
        List<ModelEntry> entries = service.scoresOf(model, QueryParams.lambda(lambda));
        List<ModelRobustnessEntry> robustness = service.robustnessOf(model);
        if (entries.isEmpty() && robustness.isEmpty()) {
            throw ProblemException.notFound("Model", "no reference entry and no successful result for model " + model);
        }
        return new ModelScores(model, entries, robustness.isEmpty() ? null : robustness);
    }

    /** @param robustness the model's rows on the robustness boards of the evaluations that ran suites on it */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ModelScores(String model, List<ModelEntry> entries, List<ModelRobustnessEntry> robustness) {
    }

    @GET
    @Path("/proxy-subsets")
    @Operation(summary = "k-of-D proxy subset search",
            description = "Brute force over every k-subset of the 7 reference datasets: OLS with intercept (Householder "
                    + "QR) from the raw accuracies to the full xScore on the fixed anchors, over the reference models "
                    + "plus every paper-protocol model evaluated on all 7 datasets. Every subset's in-sample R² "
                    + "(rank-deficient subsets skipped with the reason), the best subset with coefficients and "
                    + "intercept, and each model's xScore and proxy xScore.")
    @APIResponse(responseCode = "200", description = "The search",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProxySubsets.class)))
    @APIResponse(responseCode = "400", description = "Invalid k or lambda",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ProxySubsets proxySubsets(
            @QueryParam("k") @Parameter(description = "subset size 1..7 (default xscore.scoring.proxy-k = 4)") String k,
            @QueryParam("lambda") @Parameter(description = LAMBDA) String lambda) {
        return service.proxySubsets(QueryParams.k(k), QueryParams.lambda(lambda));
    }

    @GET
    @Path("/diagnostics")
    @Operation(summary = "The paper's diagnostics",
            description = "Over the reference models plus every paper-protocol model evaluated on all 7 datasets: "
                    + "Pearson and Spearman correlation of ImageNette accuracy with xScore, the λ sweep (0, 0.25, 0.5, "
                    + "0.75, 1, 2) with ranks and rank changes relative to λ = 0.5, and the per-dataset best (green) "
                    + "and worst (red) models.")
    @APIResponse(responseCode = "200", description = "The diagnostics",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DiagnosticsReport.class)))
    @APIResponse(responseCode = "400", description = "Invalid lambda",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DiagnosticsReport diagnostics(@QueryParam("lambda") @Parameter(description = LAMBDA) String lambda) {
        return service.diagnostics(QueryParams.lambda(lambda));
    }
}
