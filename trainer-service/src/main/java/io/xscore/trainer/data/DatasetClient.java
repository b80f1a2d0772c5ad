package io.xscore.trainer.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xscore.common.hash.Sha256;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.client.DatasetServiceClient;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * Fetches splits from the dataset service: the manifest, then each shard, checked against the manifest's SHA-256,
 * through the local, size-bounded {@link ShardCache} (a later job reuses shards without downloading them again).
 * Also the transport of {@link AugmentedEpochClient}. The HTTP calls go through {@link DatasetServiceClient} (the
 * service's injected REST Client, with its timeouts, retries and circuit breaker; plain tests pass the same interface
 * without CDI); this class turns what they
 * answer into the reasons a FAILED result carries ("dataset service answered 404 for ...", "... could not be
 * reached ...", "... failed its checksum ...").
 *
 * <p>One instance serves every job of the trainer (it holds no per-job state).
 */
public final class DatasetClient {

    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern SHARD_NAME = Pattern.compile("[a-z0-9-]+\\.xsh");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The largest array a JVM allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DatasetClient.class);

    private final DatasetServiceClient service;
    private final ShardCache cache;
    private final Duration unavailableWait;

    /**
     * A client that waits up to {@code unavailableWait} for a dataset service that cannot be reached (down or
     * restarting: connection refused or reset, or its circuit breaker open) before a split or shard download fails,
     * so that a restart of the dataset service does not fail the jobs starting meanwhile. An answer, even an error
     * status, is never retried, nor is a request that timed out (it reached a service that is up but slow).
     */
    public DatasetClient(DatasetServiceClient service, ShardCache cache, Duration unavailableWait) {
        this.service = service;
        this.cache = cache;
        this.unavailableWait = unavailableWait;
    }

    /** A split with its manifest. */
    public record Split(Manifest manifest, ImageSet images) {
    }

    public Split fetch(String dataset, String split) {
        if (!ID.matcher(dataset).matches() || !("train".equals(split) || "test".equals(split))) {
            throw new DatasetFetchException("invalid dataset '" + dataset + "' or split '" + split + "'");
        }
        String what = dataset + "/" + split;
        Manifest manifest;
        try {
            manifest = MAPPER.readValue(call("manifest of " + what, unavailableWait,
                    () -> service.splitManifest(dataset, split)), Manifest.class);
        } catch (IOException e) {
            LOG.warnf("unreadable manifest of %s/%s: %s", dataset, split, e.getMessage());
            throw new DatasetFetchException("unreadable manifest of " + dataset + "/" + split
                    + ": not a valid manifest", e);
        }
        if (manifest.shards() == null || manifest.shards().isEmpty()) {
            throw new DatasetFetchException("manifest of " + dataset + "/" + split + " lists no shards");
        }
        Set<String> inUse = manifest.shards().stream().map(Manifest.Shard::sha256).filter(x -> x != null)
                .collect(Collectors.toSet());
        List<ImageShard> shards = new ArrayList<>();
        for (Manifest.Shard s : manifest.shards()) {
            checkEntry(manifest, s);
            ImageShard shard = cache.get(dataset, split, s.sha256()).map(bytes -> parse(bytes, s.name()))
                    .orElseGet(() -> {
                        byte[] body = downloadVerified(s, unavailableWait,
                                () -> service.splitShard(dataset, split, s.name()));
                        cache.put(dataset, split, s.sha256(), body, inUse);
                        return parse(body, s.name());
                    });
            shards.add(shard);
        }
        return new Split(manifest, images(manifest, shards, what));
    }

    /** Checks a manifest's shard entry before its name goes into a URL or its hash names a file. */
    static void checkEntry(Manifest manifest, Manifest.Shard s) {
        if (s.name() == null || !SHARD_NAME.matcher(s.name()).matches() || s.sha256() == null
                || !SHA256.matcher(s.sha256()).matches()) {
            throw new DatasetFetchException("manifest of " + manifest.dataset() + "/" + manifest.split()
                    + " has a bad shard entry " + s.name());
        }
    }

    /** The shards as one image set, checked against the manifest's counts. */
    static ImageSet images(Manifest manifest, List<ImageShard> shards, String what) {
        int total = 0;
        for (int i = 0; i < shards.size(); i++) {
            Manifest.Shard s = manifest.shards().get(i);
            if (shards.get(i).count() != s.count()) {
                throw new DatasetFetchException("shard " + s.name() + " holds " + shards.get(i).count()
                        + " images, manifest says " + s.count());
            }
            total += s.count();
        }
        if (total != manifest.count()) {
            throw new DatasetFetchException("shards of " + what + " hold " + total + " images, manifest says "
                    + manifest.count());
        }
        return ImageSet.of(shards);
    }

    /**
     * Downloads a shard (waiting up to {@code wait} for a service that cannot be reached) and checks it against its
     * SHA-256. The body is read into one array of the manifest's size: no more of it is held in memory than the
     * shard itself.
     */
    byte[] downloadVerified(Manifest.Shard s, Duration wait, Supplier<InputStream> download) {
        String what = "shard " + s.name();
        byte[] body = call(what, wait, () -> {
            InputStream stream = download.get();
            try (InputStream in = stream) {
                return readBody(in, s.bytes());
            } catch (IOException | RuntimeException e) {
                throw new ProcessingException(e); // the connection failed mid-body: as if not reached
            }
        });
        String actual = Sha256.hex(body);
        if (!actual.equals(s.sha256())) {
            throw new DatasetFetchException("shard " + s.name() + " failed its checksum: expected " + s.sha256()
                    + ", got " + actual);
        }
        return body;
    }

    /**
     * The whole body: into an array of the {@code expected} size where that is plausible; a body of another length
     * comes back whole too (its checksum then fails with the hash of what actually came).
     */
    static byte[] readBody(InputStream in, long expected) throws IOException {
        if (expected <= 0 || expected > MAX_ARRAY) {
            return in.readAllBytes();
        }
        byte[] body = new byte[(int) expected];
        int n = in.readNBytes(body, 0, body.length);
        if (n < body.length) {
            return Arrays.copyOf(body, n);
        }
        byte[] more = in.readAllBytes();
        if (more.length == 0) {
            return body;
        }
        byte[] all = Arrays.copyOf(body, body.length + more.length);
        System.arraycopy(more, 0, all, body.length, more.length);
        return all;
    }

    static ImageShard parse(byte[] bytes, String name) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return ImageShard.read(in);
        } catch (IOException e) {
            throw new DatasetFetchException("shard " + name + ": " + e.getMessage(), e);
        }
    }

    /** The dataset service, for {@link AugmentedEpochClient}. */
    DatasetServiceClient service() {
        return service;
    }

    /**
     * {@link #once}, repeated with backoff while the service cannot be reached, for up to {@code wait}. A request
     * the service answered, or one that timed out, is final at once.
     */
    <T> T call(String what, Duration wait, Supplier<T> request) {
        long deadline = System.nanoTime() + wait.toNanos();
        long backoff = 500;
        while (true) {
            try {
                return once(what, request);
            } catch (Unreachable e) {
                if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warnf("dataset service unreachable (%s); retrying in %d ms", what, backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * One request to the dataset service: its result, or a {@link DatasetFetchException} saying why not — an
     * {@link Answered} error status (with the problem+json detail), an {@link Unreachable} service, or a request
     * that timed out or was interrupted.
     */
    static <T> T once(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
            String detail = detail(body(e.getResponse()));
            throw new Answered(status, detail, "dataset service answered " + status + " for " + what + detail, e);
        } catch (ProcessingException | FaultToleranceException e) {
            if (Thread.currentThread().isInterrupted() || causedBy(e, InterruptedException.class)) {
                Thread.currentThread().interrupt();
                throw new DatasetFetchException("interrupted while fetching " + what, e);
            }
            // The reason ends up in results and evaluation views: no address, no exception type (the log has both).
            LOG.debugf("dataset service unreachable (%s): %s", what, e);
            String message = "the dataset service could not be reached (" + what + ")";
            // Not reached at all (refused, reset, or the breaker open); a request that timed out reached a service
            // that is up but slow.
            throw timedOut(e) ? new DatasetFetchException(message, e) : new Unreachable(message, e);
        }
    }

    private static boolean timedOut(Throwable e) {
        if (e instanceof CircuitBreakerOpenException) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout")) {
                return true; // FT's TimeoutException, java.util.concurrent's, Vert.x's, Netty's connect timeout
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] body(Response response) {
        try {
            return response == null || !response.hasEntity() ? new byte[0] : response.readEntity(byte[].class);
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    /** The dataset service answered with an error status. */
    static final class Answered extends DatasetFetchException {
        private final int status;
        private final String detail;

        Answered(int status, String detail, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.detail = detail;
        }

        int status() {
            return status;
        }

        /** ": " and the problem+json detail (or title), or "". */
        String detail() {
            return detail;
        }
    }

    /** The dataset service could not be reached (down or restarting): waiting for it may help. */
    static final class Unreachable extends DatasetFetchException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static <T> T json(byte[] body, Class<T> type, String what) {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            LOG.warnf("unreadable %s: %s", what, e.getMessage());
            throw new DatasetFetchException("unreadable " + what + ": not the expected JSON", e);
        }
    }

    /** The problem+json detail (or title) of an error body, if there is one. */
    static String detail(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null && node.hasNonNull("detail")) {
                return ": " + node.get("detail").asText();
            }
            if (node != null && node.hasNonNull("title")) {
                return ": " + node.get("title").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: no detail
        }
        return "";
    }

}
