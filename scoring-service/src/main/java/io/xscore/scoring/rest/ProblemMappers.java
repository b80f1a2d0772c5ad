package io.xscore.scoring.rest;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every error of the HTTP API to an RFC 9457 problem+json body. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response violation(ConstraintViolationException e, UriInfo uri) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream().findFirst().orElse(null);
        String field = null;
        String detail = e.getMessage();
        if (first != null) {
            for (Path.Node node : first.getPropertyPath()) {
                field = node.getName();
            }
            detail = field + " " + first.getMessage() + " (got '" + first.getInvalidValue() + "')";
        }
        return respond(new Problem(Problem.TYPE_BASE + "invalid-request", "Invalid request", 400, detail,
                uri.getPath(), field));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        return respond(new Problem("about:blank", title, status, e.getMessage(), uri.getPath(), null));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
