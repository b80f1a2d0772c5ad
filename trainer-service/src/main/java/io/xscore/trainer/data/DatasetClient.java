package io.xscore.trainer.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xscore.common.shard.ImageShard;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fetches splits from the dataset service: the manifest, then each shard into a local cache
 * ({@code <cacheDir>/<dataset>/<split>/<sha256>.xsh}), checked against the manifest's SHA-256 and written
 * atomically (temporary file, then rename), so a later job reuses shards without downloading them again and a
 * crash never leaves a half-written shard under its final name.
 */
public final class DatasetClient {

    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern SHARD_NAME = Pattern.compile("[a-z0-9-]+\\.xsh");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI baseUrl;
    private final Path cacheDir;
    private final HttpClient http;
    private final Duration timeout;

    public DatasetClient(String baseUrl, Path cacheDir, Duration timeout) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.cacheDir = cacheDir;
        this.timeout = timeout;
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
            throw new DatasetFetchException("unreadable manifest of " + dataset + "/" + split + ": " + e.getMessage(), e);
        }
        if (manifest.shards() == null || manifest.shards().isEmpty()) {
            throw new DatasetFetchException("manifest of " + dataset + "/" + split + " lists no shards");
        }
        Path dir = cacheDir.resolve(dataset).resolve(split);
        List<ImageShard> shards = new ArrayList<>();
        int total = 0;
        for (Manifest.Shard s : manifest.shards()) {
            if (s.name() == null || !SHARD_NAME.matcher(s.name()).matches() || s.sha256() == null
                    || !SHA256.matcher(s.sha256()).matches()) {
                throw new DatasetFetchException("manifest of " + dataset + "/" + split + " has a bad shard entry "
                        + s.name());
            }
            ImageShard shard = cachedOrDownloaded(dir, prefix + "shards/" + s.name(), s);
            if (shard.count() != s.count()) {
                throw new DatasetFetchException("shard " + s.name() + " holds " + shard.count() + " images, manifest says "
                        + s.count());
            }
            total += shard.count();
            shards.add(shard);
        }
        if (total != manifest.count()) {
            throw new DatasetFetchException("shards of " + dataset + "/" + split + " hold " + total
                    + " images, manifest says " + manifest.count());
        }
        return new Split(manifest, ImageSet.of(shards));
    }

    private ImageShard cachedOrDownloaded(Path dir, String path, Manifest.Shard s) {
        Path target = dir.resolve(s.sha256() + ".xsh");
        try {
            if (Files.isRegularFile(target)) {
                byte[] cached = Files.readAllBytes(target);
                if (sha256(cached).equals(s.sha256())) {
                    return parse(cached, s.name());
                }
                Files.deleteIfExists(target);
            }
            byte[] body = get(path, "shard " + s.name());
            String actual = sha256(body);
            if (!actual.equals(s.sha256())) {
                throw new DatasetFetchException("shard " + s.name() + " failed its checksum: expected " + s.sha256()
                        + ", got " + actual);
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, s.sha256(), ".part");
            try {
                Files.write(tmp, body);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return parse(body, s.name());
        } catch (IOException e) {
            throw new DatasetFetchException("cannot cache shard " + s.name() + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ImageShard parse(byte[] bytes, String name) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return ImageShard.read(in);
        } catch (IOException e) {
            throw new DatasetFetchException("shard " + name + ": " + e.getMessage(), e);
        }
    }

    private byte[] get(String path, String what) {
        URI uri = baseUrl.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DatasetFetchException("dataset service unreachable at " + baseUrl + " (" + what + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetFetchException("interrupted while fetching " + what, e);
        }
        if (response.statusCode() != 200) {
            throw new DatasetFetchException("dataset service answered " + response.statusCode() + " for " + what
                    + detail(response.body()));
        }
        return response.body();
    }

    /** The problem+json detail (or title) of an error body, if there is one. */
    private static String detail(byte[] body) {
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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
