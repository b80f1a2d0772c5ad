package io.xscore.testsupport;

import io.xscore.testsupport.HostileRequests.HostileRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a plain socket, one connection per request ({@code Connection: close}). Unlike the
 * usual clients it sends the request target byte for byte as given (no normalising of {@code ..}, no re-encoding of
 * {@code %2e}, NUL or invalid UTF-8), which is the point of a hostile request.
 */
public final class RawHttp {

    /** A response: status (-1 if the server closed the connection without one), headers (lower-case names), body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Bodies larger than this are sent after a short wait for an early answer (a 413 for a declared length). */
    private static final int EARLY_ANSWER_THRESHOLD = 32 * 1024;

    private RawHttp() {
    }

    public static Answer send(String host, int port, HostileRequest request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder();
            head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
            request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            boolean chunked = "chunked".equalsIgnoreCase(request.headers().get("Transfer-Encoding"));
            if (!chunked && (request.body().length > 0 || !request.method().equals("GET"))) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            // ISO-8859-1: the target's bytes as given (it is ASCII; a hostile one may not be, on purpose)
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            if (request.body().length > EARLY_ANSWER_THRESHOLD && !chunked) {
                // A server refusing the declared length answers at once and closes; writing the body into a closed
                // connection would turn that answer into a reset.
                socket.setSoTimeout(300);
                try {
                    PushbackInputStream peek = new PushbackInputStream(in, 1);
                    int first = peek.read();
                    if (first >= 0) {
                        peek.unread(first);
                        socket.setSoTimeout(60_000);
                        return read(peek);
                    }
                } catch (SocketTimeoutException e) {
                    // no early answer: send the body
                }
                socket.setSoTimeout(60_000);
            }
            try {
                if (chunked) {
                    writeChunked(out, request.body());
                } else {
                    out.write(request.body());
                }
                out.flush();
            } catch (IOException e) {
                // the server stopped reading (it answered early); its answer may still be there to read
            }
            return read(in);
        }
    }

    /** The body in 8 KiB chunks: no length is declared, so a limit can only be enforced while reading. */
    private static void writeChunked(OutputStream out, byte[] body) throws IOException {
        for (int at = 0; at < body.length; at += 8192) {
            int n = Math.min(8192, body.length - at);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads one response: the head, then exactly the body it declares (Content-Length or chunked); only a response
     * that declares neither is read to the end of the connection.
     */
    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b; matched < 4 && (b = in.read()) >= 0; ) {
                head.write(b);
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
            if (matched < 4) {
                return new Answer(-1, Map.of(), head.toByteArray());
            }
        } catch (IOException e) {
            if (head.size() == 0) {
                return new Answer(-1, Map.of(), new byte[0]);
            }
            throw e;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).strip().split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = statusLine.length >= 2 ? Integer.parseInt(statusLine[1]) : -1;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = readToEnd(in);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                line(in); // the empty line after the last chunk (no trailers are sent)
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readToEnd(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a reset after the answer: what arrived is the answer
        }
        return all.toByteArray();
    }
}
