package io.xscore.trainer.client;

import io.xscore.support.auth.ServiceToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The dataset service's split and augmentation-cache endpoints as the trainer uses them (configuration key
 * {@code datasets}: URL {@code xscore.trainer.dataset-service-url}, connect and read timeouts in
 * application.properties). Transport only: {@code io.xscore.trainer.data.DatasetClient} parses manifests, verifies
 * shards against their SHA-256, caches them and turns failures into the reasons a FAILED result carries.
 *
 * <p>An answer with an error status is a {@link WebApplicationException} (its body, e.g. a problem+json detail, is
 * buffered and readable) and is never retried: an answer, even an error, is final. A request that reaches no service
 * (refused, reset) is retried briefly, and only while the call is young ({@code maxDuration}): a request that ran into
 * the read timeout is not sent again. The circuit breaker fails calls at once while the service is down; the caller
 * waits for it ({@code xscore.trainer.dataset-unavailable-wait}) where a job would otherwise fail. {@code @Timeout} is
 * a backstop above the read timeout (a split's manifest is prepared synchronously on first use and may take minutes);
 * shards come back as streams, read by the caller, so it bounds the wait for the response, not the download.
 * Every value can be overridden with MicroProfile Fault Tolerance configuration
 * ({@code io.xscore.trainer.client.DatasetServiceClient/<method>/Timeout/value}, ...).
 */
@RegisterRestClient(configKey = "datasets")
@RegisterProvider(ServiceToken.class) // prepare / augmented epochs need the service role
@Path("/api/v1/datasets")
public interface DatasetServiceClient {

    /** Body of {@code POST /api/v1/datasets/{id}/augmented}: epochs to pre-compute for one pipeline and seed. */
    record AugmentationRequest(String split, String augmentation, int resolution, long seed, List<Integer> epochs) {
    }

    /** A split's manifest as JSON (parsed by the caller, so that an unreadable one has the caller's reason). */
    @GET
    @Path("/{dataset}/splits/{split}/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    @Timeout(value = 10, unit = ChronoUnit.MINUTES)
    @Retry(maxRetries = 2, delay = 500, maxDuration = 30_000,
            abortOn = {WebApplicationException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    byte[] splitManifest(@PathParam("dataset") String dataset, @PathParam("split") String split);

    /** A split's shard (ImageShard v1 bytes), streamed; the caller closes it. */
    @GET
    @Path("/{dataset}/splits/{split}/shards/{shard}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Timeout(value = 10, unit = ChronoUnit.MINUTES)
    @Retry(maxRetries = 2, delay = 500, maxDuration = 30_000,
            abortOn = {WebApplicationException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    InputStream splitShard(@PathParam("dataset") String dataset, @PathParam("split") String split,
                           @PathParam("shard") String shard);

    /**
     * Asks the augmentation cache to compute epochs (idempotent on the service's side); answers 202 with the status
     * JSON, whose {@code key} names the cached epochs. Refused with a 4xx where the pipeline is not cacheable.
     */
    @POST
    @Path("/{dataset}/augmented")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 500, maxDuration = 5_000,
            abortOn = {WebApplicationException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    byte[] requestAugmentedEpochs(@PathParam("dataset") String dataset, AugmentationRequest request);

    /** The manifest of a pre-computed epoch as JSON; a 409 while the epoch is not ready. */
    @GET
    @Path("/{dataset}/augmented/{key}/epochs/{epoch}/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 500, maxDuration = 5_000,
            abortOn = {WebApplicationException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    byte[] augmentedManifest(@PathParam("dataset") String dataset, @PathParam("key") String key,
                             @PathParam("epoch") int epoch);

    /** A shard of a pre-computed epoch, streamed; the caller closes it. */
    @GET
    @Path("/{dataset}/augmented/{key}/epochs/{epoch}/shards/{shard}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 500, maxDuration = 5_000,
            abortOn = {WebApplicationException.class, CircuitBreakerOpenException.class})
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    InputStream augmentedShard(@PathParam("dataset") String dataset, @PathParam("key") String key,
                               @PathParam("epoch") int epoch, @PathParam("shard") String shard);
}
