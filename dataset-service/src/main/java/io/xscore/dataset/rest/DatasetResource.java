package io.xscore.dataset.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.xscore.common.auth.Roles;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.AllowedRoots;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetRegistry;
import io.xscore.dataset.catalog.DatasetSource;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.download.DownloadService;
import io.xscore.dataset.format.FormatException;
import io.xscore.dataset.metrics.DatasetMetrics;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.support.problem.ServerPaths;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Named;
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
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The dataset HTTP API (catalog, status, registration, preparation, downloads, manifests, shard downloads). */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    /** Body of {@code POST .../register}. */
    public record Registration(String path, String split, Long seed, Integer resolution, String name) {
    }

    /**
     * Answer of the status endpoints: the catalog status plus per-split progress, and the dataset's content digest.
     *
     * @param contentDigest SHA-256 over the shard checksums of the prepared train and test splits
     *                      ({@code io.xscore.common.shard.DatasetDigest}), present once both splits are prepared and
     *                      verified by this service process (after a restart, {@code POST .../prepare} loads them
     *                      again); job identities carry it, and trainers check the manifests they fetch against it
     */
    public record StatusView(String id, String status, String detail, Map<String, SplitCache.SplitStatus> splits,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             @Schema(description = "SHA-256 over the shard checksums of the prepared train and test "
                                     + "splits (xscore-dataset-content-v1); absent until both are prepared and "
                                     + "verified by this process", pattern = "^[0-9a-f]{64}$")
                             String contentDigest) {
    }

    private final DatasetSources sources;
    private final SplitCache cache;
    private final DatasetMetrics metrics;
    private final AllowedRoots allowedRoots;
    private final DownloadService downloads;
    private final ExecutorService background;

    public DatasetResource(DatasetSources sources, SplitCache cache, DatasetMetrics metrics, AllowedRoots allowedRoots,
            DownloadService downloads, @Named("background") ExecutorService background) {
        this.sources = sources;
        this.cache = cache;
        this.metrics = metrics;
        this.allowedRoots = allowedRoots;
        this.downloads = downloads;
        this.background = background;
    }

    @GET
    public List<DatasetView> list() {
        return sources.all().stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public DatasetView get(@PathParam("id") String id) {
        return view(sources.get(id));
    }

    /**
     * Status with per-split progress (images done/total while preparing) and, once both splits are prepared, the
     * dataset's {@code contentDigest}.
     */
    @GET
    @Path("{id}/status")
    public StatusView status(@PathParam("id") String id) {
        DatasetSource source = sources.get(id);
        SplitCache.Status status = cache.status(source);
        Map<String, SplitCache.SplitStatus> splits = new LinkedHashMap<>();
        cache.splits(source).forEach((split, s) -> splits.put(split.id(), new SplitCache.SplitStatus(s.state(),
                s.imagesDone(), s.imagesTotal(), ServerPaths.redact(s.error(), List.of()))));
        return new StatusView(id, status.status(), ServerPaths.redact(status.detail(), List.of()), splits,
                cache.contentDigest(source).orElse(null));
    }

    /**
     * Registers an existing directory for a dataset id (a catalog id, or a new id for a custom image-folder dataset).
     * The path must lie inside {@code xscore.dataset.allowed-roots} and hold the dataset's layout. Refusals speak of
     * the path as it was sent: never of what it resolves to, nor of other server paths.
     */
    @POST
    @Path("{id}/register")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public DatasetView register(@PathParam("id") String id, Registration body) throws IOException {
        if (body == null) {
            throw new DatasetException(400, "bad-path", "Invalid dataset path",
                    "a JSON body {\"path\": \"...\"} is required", null);
        }
        AllowedRoots.Checked dir = allowedRoots.check(body.path());
        String real = dir.real().toString();
        try {
            DatasetSource source = sources.register(id, dir.real(), new DatasetRegistry.Entry(null, body.split(),
                    body.seed(), body.resolution(), body.name(), null));
            return view(source);
        } catch (DatasetException e) {
            throw e.asSent(real, dir.sent());
        } catch (FormatException e) {
            // The directory holds something that is not the layout it should be: the caller's data, a 400.
            throw new DatasetException(400, "layout-not-readable", "Dataset layout not readable", id + ": "
                    + e.getMessage(), e).asSent(real, dir.sent());
        }
    }

    /**
     * Prepares every split in the background: 202 with the status; poll {@code GET .../status}. Idempotent: splits
     * already prepared are only loaded (verified) again if this process has not done so yet, so that
     * {@code contentDigest} appears.
     */
    @POST
    @Path("{id}/prepare")
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    public Response prepare(@PathParam("id") String id) {
        cache.prepareAll(id, background);
        return Response.accepted(status(id)).header(HttpHeaders.LOCATION, "/api/v1/datasets/" + id + "/status").build();
    }

    /** Starts downloading a public dataset from its canonical source: 202 with the download status. */
    @POST
    @Path("{id}/download")
    @RolesAllowed(Roles.ADMIN)
    public Response download(@PathParam("id") String id) {
        return Response.accepted(downloads.start(id))
                .header(HttpHeaders.LOCATION, "/api/v1/datasets/" + id + "/download").build();
    }

    @GET
    @Path("{id}/download")
    public DownloadService.Status downloadStatus(@PathParam("id") String id) {
        return downloads.status(id);
    }

    /** Prepares the split synchronously on first use. */
    @GET
    @Path("{id}/splits/{split}/manifest")
    public Manifest manifest(@PathParam("id") String id, @PathParam("split") String split) {
        sources.get(id);
        return cache.manifest(id, Split.parse(id, split));
    }

    /**
     * The shard's ImageShard v1 bytes; strong ETag = its SHA-256, honours If-None-Match (304), single byte ranges
     * ({@code Range: bytes=a-b|a-|-n} → 206 with Content-Range; unsatisfiable → 416 with {@code bytes * /size}),
     * and If-Range with the ETag (see {@link ShardResponses}).
     */
    @GET
    @Path("{id}/splits/{split}/shards/{name}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response shard(@PathParam("id") String id, @PathParam("split") String split,
            @PathParam("name") String name, @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange, Request request) {
        sources.get(id);
        SplitCache.ShardFile shard = cache.shard(id, Split.parse(id, split), name);
        return ShardResponses.send(shard.path(), shard.entry(), range, ifRange, request,
                "/api/v1/datasets/" + id + "/splits/" + split + "/shards/" + name, bytes -> metrics.served(id, bytes));
    }

    private DatasetView view(DatasetSource source) {
        return DatasetView.of(source.info(), cache.status(source));
    }
}
