package io.xscore.gateway.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
 * The scoring service's public endpoints as the gateway passes them through (configuration key
 * {@code scoring-proxy}: the URL of {@code xscore.gateway.scoring-service-url}, its own connect and read time-outs).
 * A separate client from {@link ScoringClient} (key {@code scoring}, the reconciler's): the proxy waits longer for an
 * answer (a proxy-subset search or a large xScore table takes a while), and its failures must not open the
 * reconciler's circuit breaker, nor the reconciler's the proxy's.
 * <p>
 * Every answer comes back as a {@link Response}, error statuses included
 * ({@code quarkus.rest-client.scoring-proxy.disable-default-mapper=true}): a 4xx or 5xx of the scoring service is
 * passed to the caller unchanged, and is not a failure here (not retried, not counted by the circuit breaker). Only
 * failing to get an answer throws: {@link ProcessingException} (connection refused or reset, read time-out) or a
 * fault-tolerance exception (time-out, circuit open); the caller turns those into a 503.
 * <p>
 * Fault tolerance, per method (SmallRye order: retry around circuit breaker around time-out):
 * <ul>
 *   <li>{@code @Timeout}: a bound on one whole attempt. The configured {@code read-timeout} is an idle limit (time
 *       without a byte), so an answer trickling in would otherwise hold the caller indefinitely; the bound is above
 *       {@code connect-timeout} + {@code read-timeout} (5 s + 30 s) so that it only catches that case.</li>
 *   <li>{@code @Retry}: on {@link ProcessingException} only, twice, and only within the first 5 s
 *       ({@code maxDuration}): a scoring service restarting refuses connections for a moment, and a retry hides
 *       that; an attempt that already waited out a time-out is not repeated (the caller has waited long enough, and
 *       the service is evidently busy).</li>
 *   <li>{@code @CircuitBreaker}: after half of 10 calls failed to get an answer, calls fail at once with a 503 for
 *       10 s instead of each waiting for its time-out.</li>
 * </ul>
 * The query string of the caller's request is passed through raw in the {@link ForwardedQuery#HEADER} pseudo-header,
 * which {@link ForwardedQuery} turns back into the query of the request before it is sent.
 */
@RegisterRestClient(configKey = "scoring-proxy")
@RegisterProvider(ForwardedQuery.class)
@Path("/api/v1")
@Produces({MediaType.APPLICATION_JSON, ScoringProxyClient.PROBLEM_JSON})
public interface ScoringProxyClient {

    String PROBLEM_JSON = "application/problem+json";

    @GET
    @Path("/leaderboard")
    @Timeout(40_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response leaderboard(@HeaderParam(ForwardedQuery.HEADER) String query);

    /** @param model the model id already percent-encoded as one path segment (every byte but letters, digits, {@code -._*}) */
    @GET
    @Path("/scores/{model}")
    @Timeout(40_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response scores(@PathParam("model") @Encoded String model, @HeaderParam(ForwardedQuery.HEADER) String query);

    @GET
    @Path("/proxy-subsets")
    @Timeout(40_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response proxySubsets(@HeaderParam(ForwardedQuery.HEADER) String query);

    @GET
    @Path("/diagnostics")
    @Timeout(40_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response diagnostics(@HeaderParam(ForwardedQuery.HEADER) String query);

    /**
     * The stateless xScore calculator. Retried like the GETs although it is a POST, because it is idempotent: the
     * scoring service computes the answer from the table alone and stores nothing (its {@code XScoreResource}), so
     * a table that reached it twice gives the same answer twice and changes nothing. The retry is still limited to
     * failures to connect within the first 5 s: a table whose computation timed out is not sent again, as that would
     * only double the work of a service that is already slow.
     */
    @POST
    @Path("/xscore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(40_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response xscore(byte[] table, @HeaderParam(ForwardedQuery.HEADER) String query);
}
