package io.xscore.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.common.hash.Sha256;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.TestHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the dataset service's augmentation cache API ({@code POST .../augmented}, epoch manifests and
 * shards), computing epochs with {@link EpochAugmentation} exactly as the service does. Epochs are served only once
 * {@link #ready} holds them; the others answer 409 like an epoch still being computed.
 */
public final class AugmentedEpochServer implements AutoCloseable {

    public static final String KEY = "0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ImageShard source;
    private final String dataset;
    private final int size;
    /** Epochs served; others answer 409. */
    public final Set<Integer> ready = ConcurrentHashMap.newKeySet();
    /** Bodies of the POST requests, in order. */
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    /** Answer POSTs with this status (e.g. 422) when not 202. */
    public volatile int postStatus = 202;
    /** Serve shards with a wrong checksum in the manifest. */
    public volatile boolean corrupt;
    /** Shard downloads answered. */
    public final java.util.concurrent.atomic.AtomicInteger shardRequests = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long seed;

    public AugmentedEpochServer(ImageShard source, String dataset, int size) throws IOException {
        this.source = source;
        this.dataset = dataset;
        this.size = size;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/datasets/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Epoch {@code epoch} of {@code source} augmented for {@code dataset}'s paper pipeline, in split order. */
    public static ImageShard epoch(ImageShard source, String dataset, int size, long seed, int epoch) {
        Augmentation paper = Augmentation.forJob("paper", dataset);
        long epochSeed = EpochAugmentation.epochSeed(seed, epoch);
        byte[] pixels = new byte[source.count() * size * size * 3];
        for (int i = 0; i < source.count(); i++) {
            EpochAugmentation.augment(source.pixels(), i * source.imageBytes(), source.height(), source.width(),
                    source.channels(), paper, size, EpochAugmentation.imageRandom(epochSeed, i))
                    .toHwc(pixels, i * size * size * 3);
        }
        return new ImageShard(size, size, 3, source.classes(), source.labels().clone(), pixels);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String prefix = "/api/v1/datasets/" + dataset + "/augmented";
        if ("POST".equals(exchange.getRequestMethod()) && path.equals(prefix)) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            requests.add(body);
            seed = body.get("seed").asLong();
            if (postStatus != 202) {
                send(exchange, postStatus, "{\"status\":" + postStatus + ",\"title\":\"Refused\",\"detail\":"
                        + "\"pipeline 'light' has nothing worth caching\"}");
            } else {
                send(exchange, 202, "{\"key\":\"" + KEY + "\",\"dataset\":\"" + dataset + "\"}");
            }
            return;
        }
        String epochs = prefix + "/" + KEY + "/epochs/";
        if (!path.startsWith(epochs)) {
            send(exchange, 404, "{\"status\":404,\"title\":\"Not Found\"}");
            return;
        }
        String[] rest = path.substring(epochs.length()).split("/");
        int epoch = Integer.parseInt(rest[0]);
        if (!ready.contains(epoch)) {
            send(exchange, 409, "{\"status\":409,\"title\":\"Epoch not ready\",\"detail\":\"epoch " + epoch
                    + " is RUNNING (10 of 64 images)\"}");
            return;
        }
        byte[] shard = bytes(epoch(source, dataset, size, seed, epoch));
        if (rest[1].equals("manifest")) {
            String sha = corrupt ? "0".repeat(64) : Sha256.hex(shard);
            send(exchange, 200, "{\"dataset\":\"" + dataset + "\",\"split\":\"train\",\"count\":" + source.count()
                    + ",\"height\":" + size + ",\"width\":" + size + ",\"channels\":3,\"classes\":" + source.classes()
                    + ",\"shards\":[{\"name\":\"shard-00000.xsh\",\"count\":" + source.count() + ",\"bytes\":"
                    + shard.length + ",\"sha256\":\"" + sha + "\"}]}");
            return;
        }
        shardRequests.incrementAndGet();
        TestHttp.send(exchange, 200, "application/octet-stream", shard);
    }

    /** Writes epoch {@code epoch}'s shard where the dataset service keeps it: {@code <dir>/<dataset>/<key>/epoch-NNNNN/}. */
    public Path writeEpoch(Path dir, long seed, int epoch) throws IOException {
        Path epochDir = dir.resolve(dataset).resolve(KEY).resolve(String.format("epoch-%05d", epoch));
        Files.createDirectories(epochDir);
        return Files.write(epochDir.resolve("shard-00000.xsh"), bytes(epoch(source, dataset, size, seed, epoch)));
    }

    private static byte[] bytes(ImageShard shard) {
        return TestHttp.bytes(shard);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        TestHttp.send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
