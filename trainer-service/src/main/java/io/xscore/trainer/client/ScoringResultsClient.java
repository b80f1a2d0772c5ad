package io.xscore.trainer.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The scoring service's stored results (configuration key {@code scoring}). The body is the result's JSON text,
 * decoded and schema-checked by the caller like a Kafka record; a job without a result is a 404.
 */
@RegisterRestClient(configKey = "scoring")
@Path("/api/v1/results")
@Produces(MediaType.APPLICATION_JSON)
public interface ScoringResultsClient {

    @GET
    @Path("/{jobId}")
    @Timeout(10_000)
    @Retry(maxRetries = 1, delay = 500, abortOn = WebApplicationException.class)
    String result(@PathParam("jobId") String jobId);
}
