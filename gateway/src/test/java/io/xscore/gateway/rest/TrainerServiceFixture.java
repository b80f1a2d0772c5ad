package io.xscore.gateway.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.xscore.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in for a trainer's model catalog ({@code GET /api/v1/models}, {@code /api/v1/models/elements}), for every
 * gateway test (a global test resource). It answers with the request's URI in the body; {@code resolution=bad} is a
 * 400 problem as the trainer's, {@code resolution=html404} a 404 HTML page naming a server path,
 * {@code resolution=crash} a 500 plain-text stack trace. {@link #down} stops it (connections refused), {@link #up}
 * brings it back on the same port.
 */
public class TrainerServiceFixture implements QuarkusTestResourceLifecycleManager {

    private static volatile HttpServer server;
    private static volatile int port;

    public static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public static synchronized void up() {
        if (server == null) {
            start(port);
        }
    }

    @Override
    public Map<String, String> start() {
        port = FreePorts.pick();
        start(port);
        return Map.of("xscore.gateway.trainer-service-url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    private static void start(int port) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            s.createContext("/api/v1/models", TrainerServiceFixture::handle);
            s.createContext("/api/v1/jobs", TrainerServiceFixture::example);
            s.start();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String uri = exchange.getRequestURI().toString();
        if (query != null && query.contains("resolution=bad")) {
            send(exchange, 400, "application/problem+json", "{\"type\":\"urn:xscore:problem:invalid-request\","
                    + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"resolution: must be an integer in "
                    + "[8, 512], got 'bad'\",\"field\":\"resolution\"}");
        } else if (query != null && query.contains("resolution=html404")) {
            send(exchange, 404, "text/html", "<html>no route under /opt/xscore/trainer</html>");
        } else if (query != null && query.contains("resolution=crash")) {
            send(exchange, 500, "text/plain", "java.lang.IllegalStateException at io.xscore.trainer.Secret");
        } else if (path.equals("/api/v1/models")) {
            send(exchange, 200, "application/json", "[{\"id\":\"mobilenet\",\"uri\":\"" + uri + "\"}]");
        } else if (path.equals("/api/v1/models/elements")) {
            send(exchange, 200, "application/json", "{\"uri\":\"" + uri + "\"}");
        } else {
            send(exchange, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\"}");
        }
    }

    /** The body of the last adversarial-example request, as the trainer received it. */
    static volatile com.fasterxml.jackson.databind.JsonNode lastExampleRequest;

    /**
     * A trainer's adversarial example: the body's job must pass the training-job schema (400 problem otherwise);
     * index 999 is a 404 problem (no stored weights); else a 2×1 PNG with the trainer's headers.
     */
    private static void example(HttpExchange exchange) throws IOException {
        com.fasterxml.jackson.databind.JsonNode body = io.xscore.common.json.Json.MAPPER.readTree(
                exchange.getRequestBody().readAllBytes());
        lastExampleRequest = body;
        try {
            io.xscore.common.json.MessageCodec.decode(body.path("job").toString(),
                    io.xscore.common.messaging.TrainingJob.class);
        } catch (io.xscore.common.json.InvalidMessageException e) {
            send(exchange, 400, "application/problem+json", "{\"status\":400,\"title\":\"Invalid request\"}");
            return;
        }
        if (body.path("index").asInt() == 999) {
            send(exchange, 404, "application/problem+json", "{\"type\":\"urn:xscore:problem:not-found\","
                    + "\"title\":\"Stored weights not found\",\"status\":404,\"detail\":\"no stored checkpoint\"}");
            return;
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(2, 1, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", png);
        exchange.getResponseHeaders().add("X-Xscore-Attack", "pgd-linf-10(eps=0.0314)");
        exchange.getResponseHeaders().add("X-Xscore-Clean-Correct", "true");
        exchange.getResponseHeaders().add("X-Xscore-Adversarial-Correct", "false");
        exchange.getResponseHeaders().add("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, png.size());
        exchange.getResponseBody().write(png.toByteArray());
        exchange.close();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
