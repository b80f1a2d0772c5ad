package io.xscore.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The trainer service's model catalog as the gateway passes it through (configuration key {@code trainer-proxy}: the
 * URL of {@code xscore.gateway.trainer-service-url}, its own connect and read time-outs). Any trainer answers the
 * same (the catalog is static; the parameter and MAC counts are computed by DJL in the trainer, which is why the
 * gateway cannot serve them itself), so in Kubernetes the URL is the trainers' Service.
 * <p>
 * As {@link ScoringProxyClient}: every answer comes back as a {@link Response}, error statuses included
 * ({@code disable-default-mapper=true}); only failing to get an answer throws ({@link ProcessingException} or a
 * fault-tolerance exception), which the caller turns into a 503. {@code @Timeout} bounds one attempt above
 * {@code connect-timeout} + {@code read-timeout} (3 s + 30 s: the first request for a resolution builds every model;
 * a trainer busy training is slow); {@code @Retry} repeats a failure to connect within the first 5 s only;
 * {@code @CircuitBreaker} fails calls at once for 10 s after half of 10 failed.
 */
@RegisterRestClient(configKey = "trainer-proxy")
@RegisterProvider(ForwardedQuery.class)
@Path("/api/v1/models")
@Produces({MediaType.APPLICATION_JSON, ScoringProxyClient.PROBLEM_JSON})
public interface TrainerProxyClient {

    @GET
    @Timeout(40_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response models(@HeaderParam(ForwardedQuery.HEADER) String query);

    @GET
    @Path("/elements")
    @Timeout(40_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response elements(@HeaderParam(ForwardedQuery.HEADER) String query);
}
