package io.xscore.gateway.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.xscore.support.auth.ServiceToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The dataset service's status and prepare endpoints as the planner uses them to learn a dataset's content digest
 * (configuration key {@code datasets}: URL {@code xscore.gateway.dataset-service-url}). An answer with an error
 * status is a {@link WebApplicationException} and is not retried; a service that cannot be reached or does not answer
 * in time is retried briefly, then the caller defers the planning.
 */
@RegisterRestClient(configKey = "datasets")
@RegisterProvider(ServiceToken.class) // prepare / augmented epochs need the service role
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public interface DatasetServiceClient {

    /** What the gateway reads of {@code GET|POST /api/v1/datasets/{id}/status|prepare}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DatasetStatus(String id, String status, String detail, String contentDigest) {
    }

    @GET
    @Path("/{id}/status")
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 300, abortOn = WebApplicationException.class)
    DatasetStatus status(@PathParam("id") String id);

    /** Idempotent: starts preparing the splits not prepared yet, answers 202 with the status. */
    @POST
    @Path("/{id}/prepare")
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 300, abortOn = WebApplicationException.class)
    DatasetStatus prepare(@PathParam("id") String id);
}
