package io.xscore.gateway.rest;

import io.xscore.support.problem.Problem;
import io.xscore.support.problem.ProblemMappers;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * What the gateway answers for a read it passes through to another service (the trainers' model catalog, the dataset
 * service's datasets), from that service's answer as a proxy REST client returns it:
 * <ul>
 *   <li>a success (below 400) and a problem+json error pass through unchanged: status, content type and body (the
 *       services' problems come from service-support's mappers, which keep internals out of them);</li>
 *   <li>a 503, or no answer at all (connection refused or reset, time-out, circuit open), is the gateway's own 503
 *       problem {@code <service>-unavailable} with {@code Retry-After} (the service's, else 10 s);</li>
 *   <li>any other error status whose body is not problem+json (a proxy's or server's page) is replaced by a problem
 *       of the same status, or 502 for a 5xx, that says nothing of the body.</li>
 * </ul>
 */
final class UpstreamAnswers {

    /** Seconds a caller is asked to wait before retrying after a 503, unless the service said otherwise. */
    static final String RETRY_AFTER_SECONDS = "10";

    private static final Logger LOG = Logger.getLogger(UpstreamAnswers.class);

    private UpstreamAnswers() {
    }

    /**
     * @param service the service's name in problems and logs ("trainer", "dataset"): slug {@code <service>-unavailable}
     * @param uri the caller's request, whose path is the problem's instance
     */
    static Response forward(String service, UriInfo uri, Supplier<Response> call) {
        return forward(service, uri, call, new String[0]);
    }

    /** As above, and a success keeps the named headers of the service's answer. */
    static Response forward(String service, UriInfo uri, Supplier<Response> call, String... keptHeaders) {
        try (Response answer = call.get()) {
            int status = answer.getStatus();
            String type = answer.getHeaderString(HttpHeaders.CONTENT_TYPE);
            if (status == 503) {
                String retryAfter = answer.getHeaderString("Retry-After");
                LOG.warnf("503 %s: the %s service answered 503", uri.getPath(), service);
                return unavailable(service, uri, retryAfter != null && retryAfter.strip().matches("\\d{1,6}")
                        ? retryAfter.strip() : RETRY_AFTER_SECONDS);
            }
            if (status >= 400 && !isProblem(type)) {
                LOG.warnf("%d %s: the %s service answered %d without a problem body", status >= 500 ? 502 : status,
                        uri.getPath(), service, status);
                return status >= 500
                        ? ProblemMappers.respond(Problem.of(502, service + "-failed", "The " + service
                                + " service failed", "the " + service + " service could not answer; retry later",
                                uri.getPath(), null))
                        : ProblemMappers.respond(Problem.of(status, "http-" + status, reason(status), reason(status),
                                uri.getPath(), null));
            }
            byte[] body = answer.hasEntity() ? answer.readEntity(byte[].class) : new byte[0];
            Response.ResponseBuilder out = Response.status(status).type(type != null ? type : MediaType.APPLICATION_JSON)
                    .entity(body);
            for (String header : keptHeaders) {
                String value = answer.getHeaderString(header);
                if (status < 400 && value != null) {
                    out.header(header, value);
                }
            }
            return out.build();
        } catch (ProcessingException | FaultToleranceException e) {
            LOG.warnf(e, "503 %s: the %s service did not answer", uri.getPath(), service);
            return unavailable(service, uri, RETRY_AFTER_SECONDS);
        }
    }

    /** The gateway's 503 problem {@code <service>-unavailable}, with {@code Retry-After: retryAfter}. */
    static Response unavailable(String service, UriInfo uri, String retryAfter) {
        return ProblemMappers.builder(Problem.of(503, service + "-unavailable", "The " + service
                        + " service is unavailable", "the " + service + " service did not answer; retry later",
                        uri.getPath(), null))
                .header("Retry-After", retryAfter).build();
    }

    private static boolean isProblem(String type) {
        return type != null && type.strip().toLowerCase(Locale.ROOT).startsWith(Problem.MEDIA_TYPE);
    }

    private static String reason(int status) {
        Response.StatusType known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
