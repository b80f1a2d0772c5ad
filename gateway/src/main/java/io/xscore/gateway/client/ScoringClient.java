package io.xscore.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The scoring service's read API as the gateway's reconciler uses it (configuration key {@code scoring}: URL in
 * application.properties). Bodies come back as JSON text, decoded and schema-checked by {@code MessageCodec} like a
 * Kafka record. A missing result or score set is a 404 ({@link WebApplicationException}, not retried); failures to
 * reach the service are retried briefly, and the circuit breaker keeps a reconciler pass from hammering a service
 * that is down.
 */
@RegisterRestClient(configKey = "scoring")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface ScoringClient {

    /** The stored result of a job (schema training-result.v1). */
    @GET
    @Path("/results/{jobId}")
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 500, abortOn = WebApplicationException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000,
            skipOn = WebApplicationException.class)
    String result(@PathParam("jobId") String jobId);

    /** The latest score set of an evaluation (schema score-set.v1). */
    @GET
    @Path("/evaluations/{evaluationId}/scores")
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 500, abortOn = WebApplicationException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000,
            skipOn = WebApplicationException.class)
    String scores(@PathParam("evaluationId") String evaluationId);

    static boolean notFound(WebApplicationException e) {
        return e.getResponse() != null && e.getResponse().getStatus() == 404;
    }
}
