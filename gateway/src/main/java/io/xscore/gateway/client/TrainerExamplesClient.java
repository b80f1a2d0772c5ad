package io.xscore.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * A trainer's adversarial example of a finished job (configuration key {@code trainer-examples}: the trainers'
 * Service; any trainer can answer, they share the checkpoint directory). As the other proxy clients, every answer comes
 * back as a {@link Response}, error statuses included; only failing to get one throws. {@code @Timeout} allows for
 * building the model, reading the test split and a PGD attack on one image (about a minute on a busy CPU);
 * {@code @Retry} repeats a failure to connect only.
 */
@RegisterRestClient(configKey = "trainer-examples")
@Path("/api/v1/jobs")
@Produces({"image/png", ScoringProxyClient.PROBLEM_JSON})
public interface TrainerExamplesClient {

    @POST
    @Path("/{jobId}/adversarial-example")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(120_000)
    @Retry(maxRetries = 2, delay = 200, maxDuration = 5_000, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
    Response adversarialExample(@PathParam("jobId") String jobId, JsonNode body);
}
