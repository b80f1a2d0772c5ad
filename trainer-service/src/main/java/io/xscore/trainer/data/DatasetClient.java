package io.xscore.trainer.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xscore.common.hash.Sha256;
import io.xscore.common.shard.ImageShard;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Fetches splits from the dataset service: the manifest, then each shard, checked against the manifest's SHA-256,
 * through the local, size-bounded {@link ShardCache} (a later job reuses shards without downloading them again).
 * Also the transport of {@link AugmentedEpochClient}.
 */
public final class DatasetClient {

    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern SHARD_NAME = Pattern.compile("[a-z0-9-]+\\.xsh");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DatasetClient.class);

    private final URI baseUrl;
    private final ShardCache cache;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration unavailableWait;

    /** A client with an unbounded shard cache in {@code cacheDir}. */
    public DatasetClient(String baseUrl, Path cacheDir, Duration timeout) {
        this(baseUrl, new ShardCache(cacheDir, 0), timeout);
    }

    public DatasetClient(String baseUrl, ShardCache cache, Duration timeout) {
        this(baseUrl, cache, timeout, Duration.ZERO);
    }

    /**
     * A client that waits up to {@code unavailableWait} for a dataset service that cannot be reached (down or
     * restarting: connection refused or reset) before a split or shard download fails, so that a restart of the
     * dataset service does not fail the jobs starting meanwhile. An answer, even an error status, is never retried.
     */
    public DatasetClient(String baseUrl, ShardCache cache, Duration timeout, Duration unavailableWait) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.cache = cache;
        this.timeout = timeout;
        this.unavailableWait = unavailableWait;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** A split with its manifest. */
    public record Split(Manifest manifest, ImageSet images) {
    }

    public Split fetch(String dataset, String split) {
        if (!ID.matcher(dataset).matches() || !("train".equals(split) || "test".equals(split))) {
            throw new DatasetFetchException("invalid dataset '" + dataset + "' or split '" + split + "'");
        }
        String prefix = "api/v1/datasets/" + dataset + "/splits/" + split + "/";
        Manifest manifest;
        try {
            manifest = MAPPER.readValue(get(prefix + "manifest", "manifest of " + dataset + "/" + split), Manifest.class);
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
            String path = prefix + "shards/" + s.name();
            checkEntry(manifest, s);
            ImageShard shard = cache.get(dataset, split, s.sha256()).map(bytes -> parse(bytes, s.name()))
                    .orElseGet(() -> {
                        byte[] body = downloadVerified(path, s);
                        cache.put(dataset, split, s.sha256(), body, inUse);
                        return parse(body, s.name());
                    });
            shards.add(shard);
        }
        return new Split(manifest, images(manifest, shards, dataset + "/" + split));
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

    /** Downloads a shard and checks it against its SHA-256. */
    byte[] downloadVerified(String path, Manifest.Shard s) {
        byte[] body = get(path, "shard " + s.name());
        String actual = Sha256.hex(body);
        if (!actual.equals(s.sha256())) {
            throw new DatasetFetchException("shard " + s.name() + " failed its checksum: expected " + s.sha256()
                    + ", got " + actual);
        }
        return body;
    }

    static ImageShard parse(byte[] bytes, String name) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return ImageShard.read(in);
        } catch (IOException e) {
            throw new DatasetFetchException("shard " + name + ": " + e.getMessage(), e);
        }
    }

    private byte[] get(String path, String what) {
        HttpResponse<byte[]> response = sendWaitingForService(HttpRequest.newBuilder(baseUrl.resolve(path)).GET(), what);
        if (response.statusCode() != 200) {
            throw new DatasetFetchException("dataset service answered " + response.statusCode() + " for " + what
                    + detail(response.body()));
        }
        return response.body();
    }

    /** {@link #send}, retried with backoff while the service cannot be reached, for up to {@code unavailableWait}. */
    private HttpResponse<byte[]> sendWaitingForService(HttpRequest.Builder request, String what) {
        long deadline = System.nanoTime() + unavailableWait.toNanos();
        long backoff = 500;
        while (true) {
            try {
                return send(request, what);
            } catch (DatasetFetchException e) {
                // Not reached at all (refused, reset); a request that timed out reached a service that is up but slow.
                boolean unreachable = e.getCause() instanceof IOException
                        && !(e.getCause() instanceof java.net.http.HttpTimeoutException);
                if (!unreachable || System.nanoTime() + backoff * 1_000_000 > deadline) {
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

    /** Sends a request to the dataset service (with the client's timeout); any answer is returned. */
    HttpResponse<byte[]> send(HttpRequest.Builder request, String what) {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // The reason ends up in results and evaluation views: no address, no exception type (the log has both).
            LOG.debugf("dataset service at %s unreachable (%s): %s", baseUrl, what, e);
            throw new DatasetFetchException("the dataset service could not be reached (" + what + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetFetchException("interrupted while fetching " + what, e);
        }
    }

    URI uri(String path) {
        return baseUrl.resolve(path);
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
