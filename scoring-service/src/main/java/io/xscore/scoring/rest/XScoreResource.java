package io.xscore.scoring.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.scoring.proxy.ProxySearchResult;
import io.xscore.scoring.service.XScoreService;
import io.xscore.scoring.xscore.Anchors;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.XScoreTable;
import io.xscore.support.problem.Problem;
import io.xscore.support.problem.ProblemException;
import io.xscore.support.problem.ProblemMappers;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

@Path("/api/v1/xscore")
@Tag(name = "xscore", description = "Stateless xScore of a submitted accuracy table")
public class XScoreResource {

    private final XScoreService scoring;

    public XScoreResource(XScoreService scoring) {
        this.scoring = scoring;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "xScore of an accuracy table (nothing is stored)",
            description = "anchors 'reference': the paper's fixed anchors, every model needs exactly the 7 reference "
                    + "datasets; 'recompute': column min/max of the submitted table (at least 2 models, the same "
                    + "datasets for all, no zero-range column). Optional varianceDivisor (sample|population) and k "
                    + "(proxy subset size, default 4). The proxy is the best k-subset search over the submitted table; "
                    + "it is absent (proxyNote says why) when the table has too few models (k + 2 needed) or datasets. "
                    + "At most " + XScoreRequest.MAX_MODELS + " models and " + XScoreRequest.MAX_BODY_BYTES
                    + " bytes of body.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "two models",
            value = "{\"lambda\":0.5,\"anchors\":\"recompute\",\"accuracies\":{\"a\":{\"cifar10\":94.5,\"ham10000\":80.6},"
                    + "\"b\":{\"cifar10\":92.0,\"ham10000\":78.6}}}")))
    @APIResponse(responseCode = "200", description = "Scores, ranked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answer.class)))
    @APIResponse(responseCode = "400", description = "Invalid input; field names the offending cell, e.g. "
            + "accuracies.mobilenet.cifar10",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over " + XScoreRequest.MAX_BODY_BYTES + " bytes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Answer score(@Valid XScoreRequest request) {
        return Answer.of(scoring.score(request.table()));
    }

    /**
     * A request that breaks its constraints is answered like every xScore request rejection (problem type
     * {@code invalid-xscore-request}, the detail as the constraint worded it, the offending input as the field),
     * not as a generic invalid request: this mapper applies to this resource only.
     */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString())).orElse(null);
        ProblemException problem = first != null ? XScoreRequest.invalid(first)
                : XScoreRequest.invalid("body", "invalid xScore request");
        return ProblemMappers.respond(problem.toProblem(uri.getPath()));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(double lambda, String anchors, String scale, String varianceDivisor, List<String> datasets,
                         Map<String, Map<String, Double>> anchorRanges, List<ModelAnswer> models, ProxyAnswer proxy,
                         String proxyNote, String note) {

        /** The answer for a scored table: models ranked (then by name), each dataset's anchors, the proxy if found. */
        static Answer of(XScoreService.Scored scored) {
            List<String> datasets = scored.datasets();
            XScoreTable scores = scored.scores();
            List<ModelAnswer> models = scores.models().stream()
                    .sorted(Comparator.comparing(ModelXScore::rank).thenComparing(ModelXScore::model))
                    .map(m -> {
                        Map<String, Double> normalised = new LinkedHashMap<>();
                        for (int j = 0; j < datasets.size(); j++) {
                            normalised.put(datasets.get(j), m.normalised().get(j));
                        }
                        return new ModelAnswer(m.model(), m.g(), m.v(), m.xscore(), m.rank(), normalised);
                    }).toList();
            ProxySearchResult search = scored.search();
            ProxyAnswer proxy = search.found() ? new ProxyAnswer(search.k(), search.best().datasets(),
                    search.best().r2(), search.best().coefficients(), search.best().intercept(), search.proxy()) : null;
            Map<String, Map<String, Double>> anchors = new LinkedHashMap<>();
            datasets.forEach(d -> anchors.put(d, Map.of("min", scores.anchors().range(d).min(),
                    "max", scores.anchors().range(d).max())));
            return new Answer(scored.calculator().lambda(),
                    scored.referenceAnchors() ? XScoreRequest.REFERENCE : XScoreRequest.RECOMPUTE,
                    scored.referenceAnchors() ? Anchors.SCALE_REFERENCE : Anchors.SCALE_RECOMPUTED,
                    scored.calculator().divisor().wireName(), datasets, anchors, models, proxy,
                    search.found() ? null : search.note(),
                    scores.notes().isEmpty() ? null : String.join("; ", scores.notes()));
        }
    }

    public record ModelAnswer(String model, double g, double v, double xscore, int rank,
                              Map<String, Double> normalised) {
    }

    /** @param xscores model → proxy xScore under the best subset */
    public record ProxyAnswer(int k, List<String> datasets, double r2, Map<String, Double> coefficients,
                              double intercept, Map<String, Double> xscores) {
    }
}
