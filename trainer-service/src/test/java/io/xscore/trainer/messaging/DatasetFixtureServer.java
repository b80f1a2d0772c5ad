package io.xscore.trainer.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.hash.Sha256;
import io.xscore.common.shard.ImageShard;
import io.xscore.testsupport.FreePorts;
import io.xscore.trainer.TestHttp;
import io.xscore.trainer.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the dataset service's HTTP contract (manifest + one shard per split, SHA-256 and ETag; 404
 * problem+json for anything else). As a Quarkus test resource it serves {@code synthetic-shapes} (two learnable
 * classes of 16×16 images, declared with the catalog's 10 classes, mean/std 0.5); {@link #serve} serves any shards
 * with the catalog's mean/std.
 */
public class DatasetFixtureServer implements QuarkusTestResourceLifecycleManager {

    public static final AtomicInteger SHARD_DOWNLOADS = new AtomicInteger();
    /**
     * Results the stand-in scoring service has stored, by job id ({@code GET /api/v1/results/{jobId}}, 404 for the
     * others): the trainer asks there before training whether a job already succeeded.
     */
    public static final Map<String, String> STORED_RESULTS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARD = "part-00000.xsh";
    private HttpServer server;

    /** Dataset id → split → shard bytes, with the manifest's mean/std. */
    private record Served(byte[] shard, ImageShard image, List<Double> mean, List<Double> std) {
    }

    @Override
    public Map<String, String> start() {
        // Every test run starts without finished jobs: the result ledger of an earlier run would answer its jobs.
        deleteRecursively(java.nio.file.Path.of("target/trainer-checkpoints-test/results"));
        server = serve(Map.of("synthetic-shapes", Map.of("train", TestImages.twoClasses(128, 16, 10, 1),
                "test", TestImages.twoClasses(64, 16, 10, 2))), List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));
        server.createContext("/api/v1/results/", exchange -> {
            String jobId = exchange.getRequestURI().getPath().substring("/api/v1/results/".length());
            String stored = STORED_RESULTS.get(jobId);
            if (stored != null) {
                send(exchange, 200, "application/json", stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, "application/problem+json", "{\"status\":404}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("xscore.trainer.dataset-service-url", url, "quarkus.rest-client.scoring.url", url);
    }

    /** Serves the shards with the catalog's mean/std of each dataset. */
    public static HttpServer serve(Map<String, Map<String, ImageShard>> datasets) {
        return serve(datasets, null, null);
    }

    private static HttpServer serve(Map<String, Map<String, ImageShard>> datasets, List<Double> mean,
                                    List<Double> std) {
        Map<String, Map<String, Served>> served = new java.util.HashMap<>();
        datasets.forEach((id, splits) -> {
            DatasetInfo info = DatasetCatalog.find(id).orElseThrow();
            Map<String, Served> s = new java.util.HashMap<>();
            splits.forEach((split, shard) -> s.put(split, new Served(bytes(shard), shard,
                    mean != null ? mean : info.mean(), std != null ? std : info.std())));
            served.put(id, s);
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()), 0);
            server.createContext("/api/v1/datasets/", exchange -> handle(exchange, served));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void handle(HttpExchange exchange, Map<String, Map<String, Served>> datasets) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        // /api/v1/datasets/{id}/splits/{split}/manifest | /shards/{name}
        Served s = parts.length >= 8 && datasets.containsKey(parts[4]) ? datasets.get(parts[4]).get(parts[6]) : null;
        if (s != null) {
            String sha = Sha256.hex(s.shard());
            ImageShard im = s.image();
            if (parts.length == 8 && parts[7].equals("manifest")) {
                Map<String, Object> manifest = Map.of("dataset", parts[4], "split", parts[6], "count", im.count(),
                        "height", im.height(), "width", im.width(), "channels", im.channels(), "classes",
                        im.classes(), "mean", s.mean(), "std", s.std(), "shards", List.of(Map.of("name", SHARD,
                                "count", im.count(), "bytes", s.shard().length, "sha256", sha)));
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(manifest));
                return;
            }
            if (parts.length == 9 && parts[7].equals("shards") && parts[8].equals(SHARD)) {
                SHARD_DOWNLOADS.incrementAndGet();
                exchange.getResponseHeaders().add("ETag", "\"" + sha + "\"");
                send(exchange, 200, "application/octet-stream", s.shard());
                return;
            }
        }
        send(exchange, 404, "application/problem+json", JSON.writeValueAsBytes(Map.of("type", "about:blank",
                "title", "Not Found", "status", 404, "detail", "no such dataset or split: " + exchange.getRequestURI())));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        TestHttp.send(exchange, status, type, body);
    }

    private static void deleteRecursively(java.nio.file.Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ImageShard shard) {
        return TestHttp.bytes(shard);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
