package io.xscore.trainer.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.xscore.common.shard.ImageShard;
import io.xscore.testsupport.FreePorts;
import io.xscore.trainer.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the dataset service's HTTP contract: serves {@code synthetic-shapes} (two learnable classes of
 * 16×16 images, declared with the catalog's 10 classes) as one shard per split; 404 problem+json for anything else.
 */
public class DatasetFixtureServer implements QuarkusTestResourceLifecycleManager {

    public static final AtomicInteger SHARD_DOWNLOADS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            Map<String, byte[]> shards = Map.of("train", bytes(TestImages.twoClasses(128, 16, 10, 1)),
                    "test", bytes(TestImages.twoClasses(64, 16, 10, 2)));
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()), 0);
            server.createContext("/api/v1/datasets/", exchange -> handle(exchange, shards));
            server.start();
            return Map.of("xscore.trainer.dataset-service-url", "http://127.0.0.1:" + server.getAddress().getPort());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void handle(HttpExchange exchange, Map<String, byte[]> shards) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        // /api/v1/datasets/{id}/splits/{split}/manifest | /shards/{name}
        if (parts.length >= 8 && parts[4].equals("synthetic-shapes") && shards.containsKey(parts[6])) {
            byte[] shard = shards.get(parts[6]);
            String sha = sha256(shard);
            if (parts.length == 8 && parts[7].equals("manifest")) {
                int count = parts[6].equals("train") ? 128 : 64;
                Map<String, Object> manifest = Map.of("dataset", "synthetic-shapes", "split", parts[6], "count", count,
                        "height", 16, "width", 16, "channels", 3, "classes", 10, "mean", List.of(0.5, 0.5, 0.5),
                        "std", List.of(0.5, 0.5, 0.5), "shards", List.of(Map.of("name", "part-00000.xsh",
                                "count", count, "bytes", shard.length, "sha256", sha)));
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(manifest));
                return;
            }
            if (parts.length == 9 && parts[7].equals("shards") && parts[8].equals("part-00000.xsh")) {
                SHARD_DOWNLOADS.incrementAndGet();
                exchange.getResponseHeaders().add("ETag", "\"" + sha + "\"");
                send(exchange, 200, "application/octet-stream", shard);
                return;
            }
        }
        send(exchange, 404, "application/problem+json", JSON.writeValueAsBytes(Map.of("type", "about:blank",
                "title", "Not Found", "status", 404, "detail", "no such dataset or split: " + exchange.getRequestURI())));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] bytes(ImageShard shard) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        shard.write(out);
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
