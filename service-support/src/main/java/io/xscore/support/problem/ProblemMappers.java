package io.xscore.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.xscore.support.messaging.TransientFailures;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every error any xScore service can raise to problem+json, the same fields everywhere. What callers see is
 * written for them: Jackson's messages are rewritten without Java types, and an unexpected failure (500, or any 5xx
 * but 503) shows only a reference that the service log repeats with the message and stack trace; no exception class,
 * server path or internal address reaches a response body.
 * <p>
 * What Quarkus REST raises on its own is covered too: a typed JSON body that does not parse or bind (Jackson's
 * exceptions, raw or wrapped in a 400 {@link WebApplicationException}), an unknown path (404), a method the path does
 * not have (405), a content type no method consumes (415) or an Accept header none produces (406). Bodies over
 * {@code quarkus.http.limits.max-body-size} are refused by the HTTP layer before any of this runs; see
 * {@link HttpLayerProblems}.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        if (e.status() >= 500 && e.status() != 503) {
            return internal(e, uri);
        }
        if (e.status() == 503) {
            LOG.warnf(e.getCause(), "%s %s: %s", e.status(), uri.getPath(), e.getMessage());
        }
        if (e.retryAfterSeconds() > 0) {
            return builder(e.toProblem(uri.getPath())).header("Retry-After", e.retryAfterSeconds()).build();
        }
        return respond(e.toProblem(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response violation(ConstraintViolationException e, UriInfo uri) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .orElse(null);
        if (first == null) {
            return respond(Problem.of(400, "invalid-request", "Invalid request", "invalid request", uri.getPath(),
                    null));
        }
        String field = JsonFields.ofViolation(first);
        return respond(Problem.of(400, "invalid-request", "Invalid request", field + ": " + first.getMessage(),
                uri.getPath(), field));
    }

    /** Unknown fields in a request body (where a service's mapper fails on them). */
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = JsonFields.ofPath(e.getPath());
        return respond(Problem.of(400, "invalid-request", "Invalid request", field + ": unknown field",
                uri.getPath(), field));
    }

    /** A value of the wrong JSON type, or a missing/invalid value Jackson could not bind. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return mismatchedProblem(e, uri);
    }

    /** Malformed JSON (syntax, trailing data, limits), or any other binding failure. */
    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        // Quarkus REST wraps what its JSON body reader could not read in a 400.
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return jsonProblem(json, uri);
        }
        if (status >= 500) {
            return internal(e, uri);
        }
        Response.StatusType known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        String message = e.getMessage();
        // Quarkus's own messages are "HTTP 404 Not Found" and the like: the title says the same.
        String detail = message == null || message.startsWith("HTTP ") || JsonFields.JAVA_NAME.matcher(message).find()
                ? title : ServerPaths.redact(message);
        Response mapped = respond(Problem.of(status, "http-" + status, title, detail, uri.getPath(), null));
        // Keep what the status obliges to say: Allow on 405, Retry-After on 429/503, WWW-Authenticate on 401.
        Response.ResponseBuilder out = Response.fromResponse(mapped);
        for (String header : new String[] {"Allow", "Retry-After", "WWW-Authenticate"}) {
            Object value = e.getResponse().getHeaders().getFirst(header);
            if (value != null) {
                out.header(header, value);
            }
        }
        return out.build();
    }

    /** Anything else, checked exceptions included: a 500 whose body names only a log reference. */
    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (TransientFailures.isTransient(e)) {
            // The database, the broker or another service is down: the caller may retry; the log names which.
            LOG.warnf("503 %s: a dependency is unavailable (%s)", uri.getPath(), TransientFailures.describe(e));
            return Response.fromResponse(respond(Problem.of(503, "dependency-unavailable",
                            "A dependency of the service is unavailable",
                            "the service cannot reach a system it depends on; retry later", uri.getPath(), null)))
                    .header("Retry-After", "10").build();
        }
        return internal(e, uri);
    }

    private static Response jsonProblem(JsonProcessingException e, UriInfo uri) {
        if (e instanceof InvalidDefinitionException) {
            // a type Jackson cannot bind at all: the service's fault, whatever the body
            return internal(e, uri);
        }
        if (e instanceof MismatchedInputException mismatched) {
            return mismatchedProblem(mismatched, uri);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = JsonFields.ofPath(mapping.getPath());
            if (mapping.getCause() instanceof InputCoercionException) {
                return respond(Problem.of(400, "invalid-request", "Invalid request",
                        field + ": the number is out of range", uri.getPath(), field));
            }
            if (mapping.getCause() instanceof StreamReadException syntax) {
                // a syntax error met while binding a field (an unterminated string, say): the body is malformed
                return malformedProblem(syntax, uri);
            }
            return respond(Problem.of(400, "invalid-request", "Invalid request", field + ": invalid value",
                    uri.getPath(), field));
        }
        return malformedProblem(e, uri);
    }

    private static Response malformedProblem(JsonProcessingException e, UriInfo uri) {
        return respond(Problem.of(400, "malformed-json", "Malformed JSON", "body: " + JsonFields.syntaxError(e),
                uri.getPath(), "body"));
    }

    private static Response mismatchedProblem(MismatchedInputException e, UriInfo uri) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e.getPath().isEmpty() && (e.getTargetType() == null || message.startsWith("Trailing token"))) {
            // A syntax-level failure Jackson reports as a mismatch: empty content, data after the value.
            return malformedProblem(e, uri);
        }
        String field = JsonFields.ofPath(e.getPath());
        String detail = field + ": expected " + (field.equals("body") ? "a JSON object"
                : JsonFields.jsonTypeOf(e.getTargetType()));
        return respond(Problem.of(400, "invalid-request", "Invalid request", detail, uri.getPath(), field));
    }

    /**
     * A 500 (or other 5xx but 503) answered with a reference only; the log has the message and the stack trace under
     * that reference. The type and title of a {@link ProblemException} are kept (they are written for callers).
     */
    private static Response internal(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure on %s (reference %s): %s", uri.getPath(), reference, e.getMessage());
        int status = 500;
        String slug = "internal-error";
        String title = "Internal error";
        if (e instanceof ProblemException problem) {
            status = problem.status();
            slug = problem.slug();
            title = problem.title();
        }
        return respond(Problem.of(status, slug, title,
                "the request failed unexpectedly; the service log has the details under reference " + reference,
                uri.getPath(), null));
    }

    public static Response respond(Problem problem) {
        return builder(problem).build();
    }

    /** A problem response still open for headers (e.g. {@code Content-Range} on a 416). */
    public static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
