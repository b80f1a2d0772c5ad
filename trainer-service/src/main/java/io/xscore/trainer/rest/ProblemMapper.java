package io.xscore.trainer.rest;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details for invalid request parameters. */
@Provider
public class ProblemMapper implements ExceptionMapper<ConstraintViolationException> {

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        ConstraintViolation<?> first = e.getConstraintViolations().stream().findFirst().orElse(null);
        String field = first == null ? null : last(first.getPropertyPath().toString());
        body.put("type", "urn:xscore:problem:invalid-request");
        body.put("title", "Invalid request");
        body.put("status", 400);
        body.put("detail", first == null ? e.getMessage() : field + ": " + first.getMessage());
        body.put("instance", uri == null ? null : uri.getPath());
        if (field != null) {
            body.put("field", field);
        }
        return Response.status(400).type("application/problem+json").entity(body).build();
    }

    private static String last(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
