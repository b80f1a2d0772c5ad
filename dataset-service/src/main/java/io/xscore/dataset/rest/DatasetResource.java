package io.xscore.dataset.rest;

import io.xscore.dataset.cache.DatasetMetrics;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetSource;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preprocess.Manifest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The dataset HTTP API (catalog, manifests, shard downloads). */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    @Inject
    DatasetSources sources;

    @Inject
    SplitCache cache;

    @Inject
    DatasetMetrics metrics;

    @GET
    public List<DatasetView> list() {
        return sources.all().stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public DatasetView get(@PathParam("id") String id) {
        return view(sources.get(id));
    }

    /** Prepares the split synchronously on first use. */
    @GET
    @Path("{id}/splits/{split}/manifest")
    public Manifest manifest(@PathParam("id") String id, @PathParam("split") String split) {
        sources.get(id);
        return cache.manifest(id, Split.parse(id, split));
    }

    /** The shard's ImageShard v1 bytes; strong ETag = its SHA-256, honours If-None-Match. */
    @GET
    @Path("{id}/splits/{split}/shards/{name}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response shard(@PathParam("id") String id, @PathParam("split") String split,
            @PathParam("name") String name, Request request) {
        sources.get(id);
        SplitCache.ShardFile shard = cache.shard(id, Split.parse(id, split), name);
        EntityTag etag = new EntityTag(shard.entry().sha256());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
        if (notModified != null) {
            return notModified.tag(etag).build();
        }
        metrics.served(id, shard.entry().bytes());
        return Response.ok(shard.path().toFile(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .tag(etag)
                .header(HttpHeaders.CONTENT_LENGTH, shard.entry().bytes())
                .build();
    }

    private DatasetView view(DatasetSource source) {
        return DatasetView.of(source.info(), cache.status(source));
    }
}
