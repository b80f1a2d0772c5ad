package io.xscore.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.xscore.common.auth.Roles;
import io.xscore.gateway.config.GatewayConfig;
import io.xscore.gateway.evaluation.EvaluationView;
import io.xscore.gateway.planner.InvalidRequestException;
import io.xscore.gateway.planner.Violations;
import io.xscore.gateway.service.Caller;
import io.xscore.gateway.service.EvaluationService;
import io.xscore.support.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/v1/evaluations")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.VIEWER)
public class EvaluationResource {

    /** Largest cancel body: {@code {"reason": ...}} with a reason of at most 500 characters fits many times over. */
    static final int MAX_CANCEL_BYTES = 4096;

    private final EvaluationService service;
    private final GatewayConfig config;
    private final Validator validator;
    private final SecurityIdentity identity;

    public EvaluationResource(EvaluationService service, GatewayConfig config, Validator validator,
            SecurityIdentity identity) {
        this.service = service;
        this.config = config;
        this.validator = validator;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUBMITTER)
    @Operation(summary = "Submit an evaluation",
            description = "Trains every model on every dataset for every seed under the protocol and scores the "
                    + "models. Jobs already finished under the same protocol are reused. Body: {\"models\":[...], "
                    + "\"datasets\":[...], \"seeds\":[...], \"protocol\": a name of GET /api/v1/catalog (quick, pilot, "
                    + "paper-v1, and the non-paper robust-training protocols such as quick-at or quick-trades), "
                    + "\"overrides\":{...}, \"robustness\": optional {\"suites\":[\"low-resolution\"|\"corruptions\"|\"pgd\"], "
                    + "...} run on every job's final weights (docs/robustness.md), "
                    + "\"evaluationId\": optional client-chosen id for idempotent submission}. The submitter is the "
                    + "token's subject (a requestedBy in the body is ignored). Needs the submitter role.")
    @RequestBody(required = true)
    @APIResponse(responseCode = "202", description = "Accepted; poll the Location")
    @APIResponse(responseCode = "200", description = "Same evaluationId and request submitted before")
    @APIResponse(responseCode = "400", description = "Invalid request (problem+json naming the field)")
    @APIResponse(responseCode = "409", description = "evaluationId already used by a different request")
    @APIResponse(responseCode = "413", description = "Body too large")
    @APIResponse(responseCode = "429", description = "The caller's evaluations or jobs in flight are at the limit")
    public Response submit(byte[] body, @Context UriInfo uri)  {
        JsonNode tree = JsonBody.read(body, config.maxRequestBytes());
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidRequestException("body", "empty body: expected a JSON object");
        }
        EvaluationService.Submission submission = service.submit(tree, Caller.of(identity));
        EvaluationView view = submission.evaluation();
        return Response.status(submission.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uri.getAbsolutePathBuilder().path(view.id()).build())
                .entity(view).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An evaluation: status, per-job progress and scores")
    public EvaluationView get(@PathParam("id") String id) {
        return service.find(id).orElseThrow(() -> new NotFoundException("evaluation '" + id + "' does not exist"));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.SUBMITTER)
    @Operation(summary = "Cancel an evaluation",
            description = "Trainers stop its running jobs at the next batch and fail its queued jobs. Optional body "
                    + "{\"reason\": \"...\"}. Repeating the call is harmless; a finished evaluation answers 409. Only its "
                    + "submitter or an admin may cancel an evaluation.")
    @APIResponse(responseCode = "202", description = "Cancelled (status CANCELLING until no job runs, then CANCELLED)")
    @APIResponse(responseCode = "403", description = "Submitted by another caller, and the caller is no admin")
    @APIResponse(responseCode = "404", description = "No such evaluation")
    @APIResponse(responseCode = "409", description = "The evaluation already finished")
    public Response cancel(@PathParam("id") String id, byte[] body)  {
        CancelRequest request = body == null || body.length == 0 ? CancelRequest.NONE
                : Violations.requireValid(validator, CancelRequest.of(JsonBody.read(body, MAX_CANCEL_BYTES)));
        EvaluationView view = service.cancel(id, request.reason(), Caller.of(identity))
                .orElseThrow(() -> new NotFoundException("evaluation '" + id + "' does not exist"));
        return Response.status(Response.Status.ACCEPTED).entity(view).build();
    }

    /**
     * Server-sent events: the evaluation view each time it changes (progress, results, scores), ending after the view
     * in which the evaluation is finished. Built by polling the stored view, so it works whichever gateway replica
     * consumed the progress records.
     */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stream of the evaluation view as it changes (SSE), until it finishes")
    public Multi<EvaluationView> events(@PathParam("id") String id) {
        get(id); // 404 before the stream starts
        return Multi.createFrom().emitter(emitter -> {
            AtomicReference<EvaluationView> last = new AtomicReference<>();
            ScheduledExecutorService scheduler = Infrastructure.getDefaultWorkerPool();
            AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
            task.set(scheduler.scheduleWithFixedDelay(() -> {
                try {
                    EvaluationView view = service.find(id).orElse(null);
                    if (view != null && !view.equals(last.getAndSet(view))) {
                        emitter.emit(view);
                    }
                    if (view == null || view.status().finished()) {
                        emitter.complete();
                        task.get().cancel(false);
                    }
                } catch (RuntimeException e) {
                    emitter.fail(e);
                    task.get().cancel(false);
                }
            }, 0, config.eventInterval().toMillis(), TimeUnit.MILLISECONDS));
            emitter.onTermination(() -> task.get().cancel(false));
        });
    }

    @GET
    @Operation(summary = "The most recent evaluations")
    public List<EvaluationView> recent(@QueryParam("limit") String limit) {
        return service.recent(limit(limit));
    }

    /**
     * {@code limit}: absent → 20, otherwise an integer in [1, 200]. Parsed here rather than bound to an {@code int}:
     * a query parameter that does not convert would be a 404 (JAX-RS's rule), not a 400 naming it.
     */
    static int limit(String text) {
        if (text == null || text.isBlank()) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= 200) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("limit", "limit: must be an integer between 1 and 200");
    }
}
