package io.xscore.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * problem+json for what the HTTP layer refuses before any resource (and so any {@link ProblemMappers} mapper) runs:
 * <ul>
 *   <li>a declared {@code Content-Length} over {@code quarkus.http.limits.max-body-size}: Quarkus answers a bare 413
 *       from its upload-limit route (order -2); this route (order -3) answers the same 413 with a problem body,
 *       closing the connection as Quarkus does so the unread body is not parsed as a next request;</li>
 *   <li>a request Vert.x's router fails itself, such as a path with an invalid escape ({@code %zz}): 400;</li>
 *   <li>any other failure that reaches the router (5xx): a 500 naming only a log reference. Quarkus's own handler
 *       would answer with the exception's class and message.</li>
 * </ul>
 * Not covered, because no application code runs for them: a chunked body that grows past the cap while it is read
 * (Quarkus cuts it off with a bare 413) and what the HTTP codec refuses outright (a request line over 4 KiB: 414,
 * headers over 8 KiB: 431, a malformed request line: 400); those answers have no body at all.
 */
@ApplicationScoped
public class HttpLayerProblems {

    private static final Logger LOG = Logger.getLogger(HttpLayerProblems.class);

    /** Just before Quarkus's own upload-limit route ({@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT} = -2). */
    static final int ROUTE_ORDER = -3;

    private final Optional<MemorySize> maxBodySize;
    private final ObjectMapper json = new ObjectMapper();

    public HttpLayerProblems(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).failureHandler(this::failed);
        maxBodySize.ifPresent(limit -> router.route().order(ROUTE_ORDER)
                .handler(ctx -> checkDeclaredLength(ctx, limit.asLongValue())));
    }

    private void checkDeclaredLength(RoutingContext ctx, long limit) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            length = -1; // the HTTP codec refuses a malformed Content-Length before this runs
        }
        if (length <= limit) {
            ctx.next();
            return;
        }
        send(ctx, ProblemException.tooLarge(length, limit).toProblem(path(ctx)), true);
    }

    private void failed(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        Problem problem;
        if (status >= 400 && status < 500) {
            String title = HttpResponseStatus.valueOf(status).reasonPhrase();
            String detail = status == 400 ? "the request line or path is malformed" : title;
            problem = Problem.of(status, "http-" + status, title, detail, path(ctx), null);
        } else {
            String reference = UUID.randomUUID().toString();
            LOG.errorf(ctx.failure(), "unexpected failure on %s (reference %s)", ctx.request().path(), reference);
            problem = Problem.of(500, "internal-error", "Internal error",
                    "the request failed unexpectedly; the service log has the details under reference " + reference,
                    path(ctx), null);
        }
        send(ctx, problem, false);
    }

    /** The path for {@code instance}: the raw one when Vert.x could not normalise it. */
    private static String path(RoutingContext ctx) {
        try {
            String normalised = ctx.normalizedPath();
            return normalised != null ? normalised : ctx.request().path();
        } catch (RuntimeException e) {
            return ctx.request().path();
        }
    }

    private void send(RoutingContext ctx, Problem problem, boolean close) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "";
        }
        var response = ctx.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.end(body).onComplete(done -> ctx.request().connection().close());
        } else {
            response.end(body);
        }
    }
}
