package io.xscore.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.xscore.common.hash.Sha256;
import io.xscore.trainer.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetClientTest {

    @TempDir
    Path cache;

    private HttpServer server;
    private final AtomicReference<String> manifestSha = new AtomicReference<>();
    private final AtomicInteger shardStatus = new AtomicInteger(200);
    private final AtomicInteger shardRequests = new AtomicInteger();
    private byte[] shard;

    @BeforeEach
    void start() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TestImages.twoClasses(10, 8, 2, 1).write(out);
        shard = out.toByteArray();
        manifestSha.set(Sha256.hex(shard));
        server = serve(0);
    }

    private HttpServer serve(int port) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v1/datasets/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            if (path.startsWith("/api/v1/datasets/missing/")) {
                status = 503;
                body = "{\"status\":503,\"title\":\"Service Unavailable\",\"detail\":\"directory /data/x is missing\"}"
                        .getBytes(StandardCharsets.UTF_8);
            } else if (path.endsWith("/manifest")) {
                body = ("{\"dataset\":\"d\",\"split\":\"train\",\"count\":10,\"height\":8,\"width\":8,\"channels\":3,"
                        + "\"classes\":2,\"mean\":[0.5,0.5,0.5],\"std\":[0.5,0.5,0.5],\"shards\":[{\"name\":\"part-0.xsh\","
                        + "\"count\":10,\"bytes\":" + shard.length + ",\"sha256\":\"" + manifestSha.get() + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                shardRequests.incrementAndGet();
                status = shardStatus.get();
                body = shard;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DatasetClient client() {
        return DatasetClients.overHttp("http://127.0.0.1:" + server.getAddress().getPort(), cache, Duration.ofSeconds(10));
    }

    @Test
    void downloadsVerifiesCachesAndReuses() throws Exception {
        DatasetClient.Split split = client().fetch("d", "train");
        assertEquals(10, split.images().size());
        assertEquals(2, split.manifest().classes());
        Path cached = cache.resolve("d").resolve("train").resolve(manifestSha.get() + ".xsh");
        assertTrue(Files.isRegularFile(cached));
        try (var files = Files.list(cached.getParent())) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
        shardStatus.set(500);
        DatasetClient.Split again = client().fetch("d", "train");
        assertEquals(10, again.images().size());
        assertEquals(1, shardRequests.get(), "second fetch served from the cache");
    }

    @Test
    void waitsForADatasetServiceThatIsRestartingButNotForAnAnswer() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        // Down when the job starts, back 1.5 s later: the fetch waits for it.
        Thread restart = new Thread(() -> {
            try {
                Thread.sleep(1_500);
                server = serve(port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restart.start();
        DatasetClient patient = DatasetClients.overHttp("http://127.0.0.1:" + port, new ShardCache(cache, 0), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
        assertEquals(10, patient.fetch("d", "train").images().size());
        restart.join();
        // An answer, even an error, is final at once.
        long started = System.nanoTime();
        assertThrows(DatasetFetchException.class, () -> patient.fetch("missing", "train"));
        assertTrue(System.nanoTime() - started < 5_000_000_000L);
        // Without a wait, an unreachable service fails the fetch at once (the augmentation cache's behaviour).
        server.stop(0);
        assertThrows(DatasetFetchException.class, () -> client().fetch("d", "train"));
    }

    @Test
    void rejectsAShardWithTheWrongChecksum() {
        manifestSha.set("0".repeat(64));
        DatasetFetchException e = assertThrows(DatasetFetchException.class, () -> client().fetch("d", "train"));
        assertTrue(e.getMessage().contains("failed its checksum"), e.getMessage());
        assertTrue(!Files.exists(cache.resolve("d").resolve("train").resolve("0".repeat(64) + ".xsh")));
    }

    @Test
    void reportsTheServiceReason() {
        DatasetFetchException e = assertThrows(DatasetFetchException.class, () -> client().fetch("missing", "train"));
        assertTrue(e.getMessage().contains("503") && e.getMessage().contains("directory /data/x is missing"),
                e.getMessage());
    }

    @Test
    void refusesPathTricks() {
        assertThrows(DatasetFetchException.class, () -> client().fetch("../etc", "train"));
        assertThrows(DatasetFetchException.class, () -> client().fetch("d", "validation"));
    }
}
