package io.xscore.gateway.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.xscore.common.hash.Sha256;
import io.xscore.testsupport.FreePorts;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/**
 * A stand-in for the dataset service's status and prepare endpoints, for every gateway test (a global test
 * resource). By default every dataset is prepared, with content digest {@link #defaultDigest}; a test can make one
 * not prepared ({@link #notPrepared}: a prepare request starts "preparing", {@link #prepared} ends it), and stop
 * the whole service ({@link #down}) and bring it back on the same port ({@link #up}).
 * <p>
 * For the gateway's pass-through of the read endpoints it also answers the catalog ({@code GET /api/v1/datasets}) and
 * one dataset ({@code GET /api/v1/datasets/{id}}): a dataset named {@link #MISSING} is a 404 problem,
 * {@link #HTML_404} a 404 HTML page naming a server path, {@link #BUSY} a 503 with {@code Retry-After: 7}. And a test
 * image's preview ({@code GET /api/v1/datasets/{id}/preview/{split}/{index}.png}): {@link #PREVIEW_PNG} for any
 * query, recorded in {@link #PREVIEW_QUERIES}, except a 400 problem naming {@code severity} when the query has
 * {@code severity=9}, and the 404 problem for {@link #MISSING}.
 */
public class DatasetServiceFixture implements QuarkusTestResourceLifecycleManager {

    /** Every request received, as "METHOD path". */
    public static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    public static final String MISSING = "missing-dataset";
    public static final String HTML_404 = "html-404-dataset";
    public static final String BUSY = "busy-dataset";

    /** The PNG every preview request is answered with: 3×2 pixels. */
    public static final byte[] PREVIEW_PNG = png();
    /** The raw query of every preview request (the empty string for none), as "path?query". */
    public static final List<String> PREVIEW_QUERIES = new CopyOnWriteArrayList<>();

    private record State(String status, String digest) {
    }

    private static final Map<String, State> STATES = new ConcurrentHashMap<>();
    private static volatile HttpServer server;
    private static volatile int port;

    public static String defaultDigest(String dataset) {
        return Sha256.hex("fixture content of " + dataset);
    }

    /** The dataset is prepared with this content digest. */
    public static void prepared(String dataset, String digest) {
        STATES.put(dataset, new State("ready", digest));
    }

    /** The dataset is not prepared: its status has no digest until a prepare request and {@link #prepared}. */
    public static void notPrepared(String dataset) {
        STATES.put(dataset, new State("not-prepared", null));
    }

    /** Back to the default: prepared with {@link #defaultDigest}. */
    public static void reset(String dataset) {
        STATES.remove(dataset);
    }

    /** The service stops answering: connections are refused. */
    public static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** The service is back on the same port. */
    public static synchronized void up() {
        if (server == null) {
            start(port);
        }
    }

    @Override
    public Map<String, String> start() {
        port = FreePorts.pick();
        start(port);
        return Map.of("xscore.gateway.dataset-service-url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    private static void start(int port) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            s.createContext("/api/v1/datasets", DatasetServiceFixture::handle);
            s.start();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        REQUESTS.add(method + " " + path);
        if (path.equals("/api/v1/datasets") && method.equals("GET")) {
            send(exchange, 200, "[{\"id\":\"cifar10\",\"status\":\"ready\"},{\"id\":\"imagenette\","
                    + "\"status\":\"not-prepared\"}]");
            return;
        }
        if (!path.startsWith("/api/v1/datasets/")) {
            send(exchange, 404, "{\"status\":404,\"title\":\"Not found\"}");
            return;
        }
        String[] parts = path.substring("/api/v1/datasets/".length()).split("/");
        if (parts.length == 1 && method.equals("GET")) {
            one(exchange, parts[0]);
            return;
        }
        if (parts.length == 4 && parts[1].equals("preview") && method.equals("GET")) {
            preview(exchange, parts[0]);
            return;
        }
        if (parts.length == 2 && method.equals("GET") && parts[0].equals(MISSING)) {
            send(exchange, 404, "{\"status\":404,\"title\":\"Not found\",\"detail\":\"unknown dataset\"}");
            return;
        }
        if (parts.length != 2 || !(parts[1].equals("status") && method.equals("GET")
                || parts[1].equals("prepare") && method.equals("POST"))) {
            send(exchange, 404, "{\"status\":404,\"title\":\"Not found\"}");
            return;
        }
        String dataset = parts[0];
        State state = STATES.getOrDefault(dataset, new State("ready", defaultDigest(dataset)));
        if (parts[1].equals("prepare") && state.status().equals("not-prepared")) {
            state = new State("preparing", null);
            STATES.put(dataset, state);
        }
        String detail = switch (state.status()) {
            case "ready" -> "train and test prepared";
            case "preparing" -> "preparing train (10/100 images)";
            default -> "splits are prepared on the first manifest request";
        };
        String body = "{\"id\":\"" + dataset + "\",\"status\":\"" + state.status() + "\",\"detail\":\"" + detail
                + "\",\"splits\":{}" + (state.digest() == null ? "" : ",\"contentDigest\":\"" + state.digest() + "\"")
                + "}";
        send(exchange, parts[1].equals("prepare") ? 202 : 200, body);
    }

    private static void one(HttpExchange exchange, String dataset) throws IOException {
        switch (dataset) {
            case MISSING -> send(exchange, 404, "{\"type\":\"urn:xscore:problem:not-found\",\"status\":404,"
                    + "\"title\":\"Not found\",\"detail\":\"dataset: unknown id\"}");
            case HTML_404 -> {
                byte[] bytes = "<html>not found under /srv/xscore/internal</html>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(404, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            }
            case BUSY -> {
                exchange.getResponseHeaders().add("Retry-After", "7");
                send(exchange, 503, "{\"status\":503,\"detail\":\"mongodb://10.0.0.7 is down\"}");
            }
            default -> send(exchange, 200, "{\"id\":\"" + dataset + "\",\"name\":\"" + dataset + "\"}");
        }
    }

    private static void preview(HttpExchange exchange, String dataset) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        PREVIEW_QUERIES.add(exchange.getRequestURI().getRawPath() + "?" + (query == null ? "" : query));
        if (dataset.equals(MISSING)) {
            send(exchange, 404, "{\"type\":\"urn:xscore:problem:unknown-dataset\",\"status\":404,"
                    + "\"title\":\"Unknown dataset\",\"detail\":\"no dataset with id 'missing-dataset'\"}");
            return;
        }
        if (query != null && query.contains("severity=9")) {
            send(exchange, 400, "{\"type\":\"urn:xscore:problem:invalid-request\",\"status\":400,"
                    + "\"title\":\"Invalid request\",\"detail\":\"severity must be an integer in [1, 5]; got '9'\","
                    + "\"field\":\"severity\"}");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, PREVIEW_PNG.length);
        exchange.getResponseBody().write(PREVIEW_PNG);
        exchange.close();
    }

    private static byte[] png() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(2, 1, 0x00FF00);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json"
                : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
