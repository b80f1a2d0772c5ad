package io.xscore.dataset.rest;

import io.xscore.dataset.catalog.DatasetException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error as an RFC 9457 {@code application/problem+json} body. */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response dataset(DatasetException e, UriInfo uri) {
        if (e.status() >= 500 && e.status() != 503) {
            LOG.warnf("%s: %s", e.title(), e.getMessage());
        } else {
            LOG.debugf("%s: %s", e.title(), e.getMessage());
        }
        return problem(e.status(), e.slug(), e.title(), e.getMessage(), uri);
    }

    static Response problem(int status, String slug, String title, String detail, UriInfo uri) {
        return problemResponse(status, slug, title, detail, uri.getPath()).build();
    }

    static Response.ResponseBuilder problemResponse(int status, String slug, String title, String detail,
            String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:xscore:problem:" + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        return Response.status(status).type(PROBLEM_JSON).entity(body);
    }
}
