package io.xscore.gateway.client;

import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The dataset service's public read endpoints (catalog, one dataset, its preparation status, a test image's preview
 * under a robustness perturbation) as the gateway passes them through (configuration key {@code datasets-proxy}: the
 * URL of {@code xscore.gateway.dataset-service-url}).
 * A separate client from {@link DatasetServiceClient} (key {@code datasets}, the planner's): callers' reads must not
 * open a circuit breaker of the planner's, and they get every answer back as a {@link Response}, error statuses
 * included ({@code disable-default-mapper=true}), to pass on unchanged. Only failing to get an answer throws
 * ({@link ProcessingException} or a fault-tolerance exception), which the caller turns into a 503. The dataset service
 * answers these from memory, so the bounds are shorter than the scoring proxy's: {@code @Timeout} above
 * {@code connect-timeout} + {@code read-timeout} (3 s + 10 s); {@code @Retry} of a failure to connect within the
 * first 5 s; {@code @CircuitBreaker} open for 10 s after half of 10 calls failed. (A preview of a split not yet
 * prepared waits for its preparation, which can outlast these bounds: the caller then gets a 503 and tries again.)
 */
@RegisterRestClient(configKey = "datasets-proxy")
@Path("/api/v1/datasets")
@Produces({MediaType.APPLICATION_JSON, ScoringProxyClient.PROBLEM_JSON})
public interface DatasetProxyClient {

    @GET
    @Timeout(15_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response list();

    /** @param id the dataset id already percent-encoded as one path segment */
    @GET
    @Path("/{id}")
    @Timeout(15_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response dataset(@PathParam("id") @Encoded String id);

    /** @param id the dataset id already percent-encoded as one path segment */
    @GET
    @Path("/{id}/status")
    @Timeout(15_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response status(@PathParam("id") @Encoded String id);

    /**
     * A test image under a robustness suite's perturbation, as PNG; the query parameters are passed on as sent (the
     * dataset service checks them), an absent one ({@code null}) is left out.
     *
     * @param id    the dataset id already percent-encoded as one path segment
     * @param split the split already percent-encoded as one path segment
     * @param index the index already percent-encoded as one path segment
     */
    @GET
    @Path("/{id}/preview/{split}/{index}.png")
    @Produces({"image/png", ScoringProxyClient.PROBLEM_JSON})
    @Timeout(15_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response preview(@PathParam("id") @Encoded String id, @PathParam("split") @Encoded String split,
                     @PathParam("index") @Encoded String index, @QueryParam("size") String size,
                     @QueryParam("perturbation") String perturbation, @QueryParam("shorterSide") String shorterSide,
                     @QueryParam("corruption") String corruption, @QueryParam("severity") String severity,
                     @QueryParam("seed") String seed, @QueryParam("scale") String scale);
}
