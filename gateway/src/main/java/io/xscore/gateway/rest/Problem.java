package io.xscore.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem details body; {@code field} names the offending request field where there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(Response.Status status, String slug, String title, String detail, String field) {
        Problem body = new Problem("urn:xscore:problem:" + slug, title, status.getStatusCode(), detail, null,
                field);
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }
}
