package io.xscore.dataset.rest;

import io.xscore.common.auth.Roles;
import io.xscore.dataset.augmentation.AugmentationRequest;
import io.xscore.dataset.augmentation.AugmentationStatus;
import io.xscore.dataset.augmentation.AugmentationStore;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.metrics.DatasetMetrics;
import io.xscore.dataset.preprocess.Manifest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

/**
 * The augmentation cache's HTTP API: training epochs augmented in advance by the dataset service (see
 * {@link AugmentationStore}), bit-identical to what the trainer computes on the fly. Errors are
 * {@code application/problem+json}.
 * <ul>
 *   <li>{@code POST /api/v1/datasets/{id}/augmented} with
 *       {@code {"split":"train","augmentation":"paper","resolution":32,"seed":0,"epochs":[0,1,2]}} → 202 with the
 *       status below and {@code Location: /api/v1/datasets/{id}/augmented/{key}}. Idempotent: epochs READY, QUEUED or
 *       RUNNING are not redone, FAILED ones are retried. Prepares the source training split first if it is not yet
 *       prepared (the call then takes as long as that). Errors: unknown dataset 404; {@code split} other than
 *       {@code train} 400; unknown {@code augmentation} 400; a pipeline without 8-bit image ops ({@code light}, the
 *       paper pipeline of ham10000) 422 {@code augmentation-not-cacheable}; {@code resolution} outside [8, 1024]
 *       400; {@code seed} missing or &lt; 0 400; {@code epochs} empty, more than 64, or one outside [0, 10000) 400;
 *       source data missing 503.</li>
 *   <li>{@code GET /api/v1/datasets/{id}/augmented/{key}} → 200
 *       {@code {"key","dataset","split","augmentation","pipeline","resolution","seed","sourceSha256","epochs":[{"epoch",
 *       "state","imagesDone","imagesTotal","bytes","error"}]}} with state QUEUED | RUNNING | READY | FAILED, epochs
 *       sorted; a key not matching {@code [0-9a-f]{16}} 400, an unknown key 404.</li>
 *   <li>{@code GET .../augmented/{key}/epochs/{epoch}/manifest} → 200 the epoch's {@link Manifest} (3 channels,
 *       height = width = resolution, the source's labels, classes, mean/std and class names;
 *       {@code pipeline = "xscore-augment-v1;" + source pipeline}; {@code augmentation =
 *       "<name>/epoch-<e>/seed-<seed>: <description>"}) when READY (a use: keeps it from eviction); QUEUED, RUNNING
 *       or FAILED → 409 {@code epoch-not-ready} whose detail says the state and progress or reason; an epoch never
 *       requested (or evicted) 404.</li>
 *   <li>{@code GET .../augmented/{key}/epochs/{epoch}/shards/{name}} → the shard's ImageShard v1 bytes, with the
 *       same ETag (SHA-256), If-None-Match, Range and If-Range behaviour as the split shards ({@link ShardResponses});
 *       a name not matching {@code [a-z0-9-]+\.xsh} 400, one the manifest does not list 404.</li>
 * </ul>
 * An epoch path segment that is not an integer in [0, 10000) is a 400.
 */
@Path("/api/v1/datasets/{id}/augmented")
@Produces(MediaType.APPLICATION_JSON)
public class AugmentationResource {

    private final AugmentationStore store;
    private final DatasetSources sources;
    private final DatasetMetrics metrics;

    public AugmentationResource(AugmentationStore store, DatasetSources sources, DatasetMetrics metrics) {
        this.store = store;
        this.sources = sources;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    public Response request(@PathParam("id") String id, AugmentationRequest body) {
        AugmentationStatus status = store.request(id, body);
        return Response.accepted(status)
                .header(HttpHeaders.LOCATION, "/api/v1/datasets/" + id + "/augmented/" + status.key()).build();
    }

    @GET
    @Path("{key}")
    public AugmentationStatus status(@PathParam("id") String id, @PathParam("key") String key) {
        return store.status(id, key);
    }

    @GET
    @Path("{key}/epochs/{epoch}/manifest")
    public Manifest manifest(@PathParam("id") String id, @PathParam("key") String key,
            @PathParam("epoch") String epoch) {
        sources.get(id);
        return store.manifest(id, key, epoch(epoch));
    }

    @GET
    @Path("{key}/epochs/{epoch}/shards/{name}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response shard(@PathParam("id") String id, @PathParam("key") String key, @PathParam("epoch") String epoch,
            @PathParam("name") String name, @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange, Request request) {
        sources.get(id);
        SplitCache.ShardFile shard = store.shard(id, key, epoch(epoch), name);
        return ShardResponses.send(shard.path(), shard.entry(), range, ifRange, request,
                "/api/v1/datasets/" + id + "/augmented/" + key + "/epochs/" + epoch + "/shards/" + name,
                bytes -> metrics.served(id, bytes));
    }

    private static int epoch(String text) {
        try {
            int epoch = Integer.parseInt(text);
            if (epoch >= 0 && epoch < AugmentationStore.EPOCH_LIMIT) {
                return epoch;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DatasetException(400, "invalid-request", "Invalid request", "epochs are integers in [0, "
                + AugmentationStore.EPOCH_LIMIT + "); got '" + text + "'", null);
    }
}
