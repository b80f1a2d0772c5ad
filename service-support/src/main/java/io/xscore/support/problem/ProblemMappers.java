package io.xscore.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every error any xScore service can raise to problem+json, the same fields everywhere. What callers see is
 * written for them: Jackson's messages are rewritten without Java types, and an unexpected failure (500) shows only a
 * reference that the service log repeats with the stack trace; no exception class, server path or internal address
 * reaches a response body.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        if (e.status() >= 500) {
            LOG.warnf(e.getCause(), "%s %s: %s", e.status(), uri.getPath(), e.getMessage());
        }
        return respond(e.toProblem(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response violation(ConstraintViolationException e, UriInfo uri) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(java.util.Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElse(null);
        if (first == null) {
            return respond(Problem.of(400, "invalid-request", "Invalid request", "invalid request", uri.getPath(),
                    null));
        }
        String field = JsonFields.ofViolation(first);
        return respond(Problem.of(400, "invalid-request", "Invalid request", field + ": " + first.getMessage(),
                uri.getPath(), field));
    }

    /** Unknown fields in a request body. */
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = JsonFields.ofPath(e.getPath());
        return respond(Problem.of(400, "invalid-request", "Invalid request", field + ": unknown field",
                uri.getPath(), field));
    }

    /** A value of the wrong JSON type, or a missing/invalid value Jackson could not bind. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        String field = JsonFields.ofPath(e.getPath());
        String detail = field.equals("body") ? "body: cannot be read as the expected JSON value"
                : field + ": has the wrong type or value";
        return respond(Problem.of(400, "invalid-request", "Invalid request", detail, uri.getPath(), field));
    }

    /** Malformed JSON (syntax), or any other binding failure. */
    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = JsonFields.ofPath(mapping.getPath());
            return respond(Problem.of(400, "invalid-request", "Invalid request", field + ": invalid value",
                    uri.getPath(), field));
        }
        return respond(Problem.of(400, "malformed-json", "Malformed JSON", "body: " + JsonFields.syntaxError(e),
                uri.getPath(), "body"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        Throwable cause = e.getCause();
        if (status == 400 && cause instanceof JsonProcessingException json) {
            return malformed(json, uri);
        }
        if (status >= 500) {
            return internal(e, uri);
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? title : e.getMessage();
        return respond(Problem.of(status, "http-" + status, title, detail, uri.getPath(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        return internal(e, uri);
    }

    private static Response internal(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure on %s (reference %s)", uri.getPath(), reference);
        return respond(Problem.of(500, "internal-error", "Internal error",
                "the request failed unexpectedly; the service log has the details under reference " + reference,
                uri.getPath(), null));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
