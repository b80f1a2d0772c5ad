package io.xscore.trainer;

import com.sun.net.httpserver.HttpExchange;
import io.xscore.common.shard.ImageShard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Helpers of the stand-in dataset services the trainer's tests run on the JDK's HttpServer. */
public final class TestHttp {

    private TestHttp() {
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A shard's ImageShard v1 bytes, as the dataset service serves them. */
    public static byte[] bytes(ImageShard shard) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            shard.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
