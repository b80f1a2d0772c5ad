package io.xscore.dataset.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local JDK HTTP server serving byte arrays, honouring {@code Range: bytes=a-}; a file can be set to stall its
 * first response after {@code cutAfter} bytes (to test resuming). Handlers run on a pool so a stalled exchange does
 * not block the next request.
 */
public final class FixtureServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
    public final List<String> ranges = new CopyOnWriteArrayList<>();

    public FixtureServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + name;
    }

    public void put(String name, byte[] content) {
        files.put(name, content);
    }

    public void cutOnce(String name, int bytes) {
        cutAfter.put(name, bytes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().replaceFirst("^/files/", "");
        byte[] content = files.get(name);
        if (content == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "-" : range);
        int from = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= content.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/"
                    + content.length);
            exchange.sendResponseHeaders(206, content.length - from);
        } else {
            exchange.sendResponseHeaders(200, content.length);
        }
        Integer cut = cutAfter.remove(name);
        try (OutputStream out = exchange.getResponseBody()) {
            if (cut != null) {
                // Send part of the announced length, then stall: the client's read timeout ends the transfer.
                out.write(content, from, cut);
                out.flush();
                throw new IOException("cut");
            }
            out.write(content, from, content.length - from);
        } catch (IOException e) {
            // the client sees a truncated body
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
