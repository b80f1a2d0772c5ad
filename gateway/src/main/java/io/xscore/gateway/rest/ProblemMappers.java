package io.xscore.gateway.rest;

import io.xscore.gateway.planner.InvalidRequestException;
import io.xscore.gateway.service.EvaluationService;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every error the REST API can raise to problem+json. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return Problem.response(Response.Status.BAD_REQUEST, "invalid-request", "Invalid evaluation request",
                e.field() + ": " + e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response conflict(EvaluationService.EvaluationConflictException e) {
        return Problem.response(Response.Status.CONFLICT, "evaluation-conflict", "Evaluation id already used",
                e.getMessage(), "evaluationId");
    }

    @ServerExceptionMapper
    public Response finished(EvaluationService.EvaluationFinishedException e) {
        return Problem.response(Response.Status.CONFLICT, "evaluation-finished", "Evaluation already finished",
                e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response unavailable(EvaluationService.PublishFailedException e) {
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "kafka-unavailable",
                "Evaluation not accepted: the message broker is unavailable", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "not-found", "Not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.BAD_REQUEST;
        }
        return Problem.response(status, "http-" + status.getStatusCode(), status.getReasonPhrase(), e.getMessage(),
                null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    }
}
