package io.xscore.fault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that a request can carry what {@link java.net.http.HttpClient} refuses to send
 * (malformed percent-encoding, raw control characters, invalid UTF-8, odd headers). One request per connection.
 */
final class RawHttp {

    /** @param status -1 when the server closed the connection without an HTTP answer (or did not answer in time) */
    record Answer(int status, String head, String body) {
    }

    private RawHttp() {
    }

    static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body,
                       int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(timeoutMillis);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Host"))) {
                head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                request.write(body);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0 && response.size() < 4_000_000) {
                    response.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                if (response.size() == 0) {
                    return new Answer(-1, "no answer in " + timeoutMillis + " ms", "");
                }
            } catch (IOException e) {
                if (response.size() == 0) {
                    return new Answer(-1, "connection reset: " + e.getMessage(), "");
                }
            }
            String text = response.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String responseHead = split < 0 ? text : text.substring(0, split);
            String responseBody = split < 0 ? "" : text.substring(split + 4);
            int status = -1;
            if (responseHead.startsWith("HTTP/1.")) {
                String[] parts = responseHead.split(" ", 3);
                try {
                    status = Integer.parseInt(parts[1].trim());
                } catch (RuntimeException ignored) {
                    status = -1;
                }
            }
            return new Answer(status, responseHead, responseBody);
        } catch (IOException e) {
            return new Answer(-1, "connection failed: " + e.getMessage(), "");
        }
    }
}
