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

    /** Whether the bytes hold a whole response: head plus the Content-Length or the chunked body it declares. */
    private static boolean complete(ByteArrayOutputStream response) {
        byte[] bytes = response.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase(java.util.Locale.ROOT);
        int bodyLength = bytes.length - split - 4;
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?m)^content-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            return bodyLength >= Long.parseLong(length.group(1));
        }
        if (head.contains("transfer-encoding: chunked")) {
            return text.endsWith("\r\n0\r\n\r\n") || text.endsWith("\r\n\r\n0\r\n\r\n");
        }
        return head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304");
    }

    static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body,
                       int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(timeoutMillis);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Host"))) {
                head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            boolean chunked = headers.entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase(
                    "Transfer-Encoding") && h.getValue().equalsIgnoreCase("chunked"));
            if (body != null && !chunked) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            boolean answeredEarly = false;
            if (body != null && body.length > 32 * 1024 && !chunked) {
                // A server refusing the declared length answers at once and closes; writing the body into the
                // closed connection would turn that answer into a reset.
                socket.setSoTimeout(300);
                try {
                    in.mark(1);
                    answeredEarly = in.read() >= 0;
                    in.reset();
                } catch (SocketTimeoutException e) {
                    // no early answer: send the body
                }
                socket.setSoTimeout(timeoutMillis);
            }
            if (body != null && !answeredEarly) {
                try {
                    if (chunked) {
                        for (int at = 0; at < body.length; at += 8192) {
                            int n = Math.min(8192, body.length - at);
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.write(body, at, n);
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    } else {
                        out.write(body);
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading (it answered early); its answer may still be there to read
                }
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                // Read the head, then exactly the body it declares: a server that answered early may keep the
                // connection open waiting for a body we never sent.
                while (!complete(response) && (n = in.read(buffer)) >= 0 && response.size() < 4_000_000) {
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
