package io.xscore.dataset.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches one file into a directory: the bytes go to {@code <name>.part}; an existing {@code .part} is resumed with
 * {@code Range: bytes=<size>-} (a server that answers 200 instead of 206 restarts it from zero); an interrupted
 * transfer keeps the {@code .part} for the next attempt. When the transfer is complete the file is checked (size,
 * then SHA-256, or the published MD5 when no SHA-256 is known) and only then renamed to {@code <name>}; a file that
 * fails a check is deleted. So {@code <name>} exists only complete and verified (or explicitly unverified).
 * Uses {@link HttpURLConnection} for its read timeout: a transfer that stalls longer than {@code readTimeout} fails
 * (keeping the {@code .part}) instead of hanging; redirects (also http to https) are followed up to 5 times.
 */
public final class Downloader {

    /** Observes a transfer: the expected total (-1 unknown) and each chunk of bytes received. */
    public interface Listener {
        Listener NONE = new Listener() { };

        default void started(String name, long offset, long total) {
        }

        default void received(long bytes) {
        }
    }

    /** A finished file: {@code verification} is {@code sha256}, {@code md5} or {@code unverified}. */
    public record Outcome(Path file, long bytes, String verification, String sha256) {
    }

    private final Duration connectTimeout;
    private final Duration readTimeout;

    public Downloader(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    public Outcome fetch(DownloadSources.FileSpec spec, Path dir, Listener listener) throws IOException {
        String name = spec.name();
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        Path part = dir.resolve(name + ".part");
        if (Files.isRegularFile(target)) {
            return verify(spec, target, target);
        }
        transfer(spec, part, listener, true);
        Outcome outcome = verify(spec, part, target);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Outcome(target, outcome.bytes(), outcome.verification(), outcome.sha256());
    }

    private void transfer(DownloadSources.FileSpec spec, Path part, Listener listener, boolean mayRetry)
            throws IOException {
        long offset = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (offset > 0 && spec.bytes() != null && offset == spec.bytes()) {
            return;
        }
        HttpURLConnection connection = open(spec.url(), offset);
        int status;
        try {
            status = connection.getResponseCode();
        } catch (IOException e) {
            connection.disconnect();
            throw new IOException("GET " + spec.url() + " failed: " + e.getMessage(), e);
        }
        boolean append;
        if (status == 206 && offset > 0 && contentRangeStart(connection) == offset) {
            append = true;
        } else if (status == 200) {
            append = false;
            offset = 0;
        } else if (status == 416 && offset > 0 && mayRetry) {
            connection.disconnect();
            Files.deleteIfExists(part);
            transfer(spec, part, listener, false);
            return;
        } else {
            connection.disconnect();
            throw new IOException("GET " + spec.url() + " answered HTTP " + status
                    + (status == 206 ? " with an unexpected Content-Range" : ""));
        }
        long length = connection.getContentLengthLong();
        listener.started(spec.name(), offset, length >= 0 ? offset + length
                : spec.bytes() != null ? spec.bytes() : -1);
        long received = 0;
        try (InputStream in = connection.getInputStream();
                OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                received += n;
                listener.received(n);
            }
        } catch (IOException e) {
            throw new IOException("download of " + spec.url() + " interrupted after " + (offset + received)
                    + " bytes (" + e.getMessage() + "); kept in " + part + ", ask again to resume", e);
        }
        if (length >= 0 && received != length) {
            throw new IOException("download of " + spec.url() + " ended after " + (offset + received) + " of "
                    + (offset + length) + " bytes; kept in " + part + ", ask again to resume");
        }
    }

    /** Checks size and checksum of {@code file}; on a mismatch deletes it and throws naming {@code target}. */
    private static Outcome verify(DownloadSources.FileSpec spec, Path file, Path target) throws IOException {
        long size = Files.size(file);
        if (spec.bytes() != null && size != spec.bytes()) {
            Files.deleteIfExists(file);
            throw new IOException(target + ": size " + size + " bytes, expected " + spec.bytes()
                    + " (truncated or wrong file); deleted");
        }
        MessageDigest sha = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                md5.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            throw new IOException(target + " vanished while verifying", e);
        }
        String sha256 = HexFormat.of().formatHex(sha.digest());
        String md5Hex = HexFormat.of().formatHex(md5.digest());
        if (spec.sha256() != null) {
            return check(file, target, "SHA-256", spec.sha256(), sha256, size, "sha256", sha256);
        }
        if (spec.md5() != null) {
            return check(file, target, "MD5", spec.md5(), md5Hex, size, "md5", sha256);
        }
        return new Outcome(target, size, "unverified", sha256);
    }

    private static Outcome check(Path file, Path target, String algorithm, String expected, String actual, long size,
            String verification, String sha256) throws IOException {
        if (!expected.equalsIgnoreCase(actual)) {
            Files.deleteIfExists(file);
            throw new IOException(target + ": " + algorithm + " " + actual + " does not match the expected "
                    + expected + "; deleted");
        }
        return new Outcome(target, size, verification, sha256);
    }

    /** GET with an optional {@code Range: bytes=<offset>-}, following up to 5 redirects. */
    private HttpURLConnection open(String url, long offset) throws IOException {
        String location = url;
        for (int hop = 0; hop <= 5; hop++) {
            URL target = URI.create(location).toURL();
            HttpURLConnection connection = (HttpURLConnection) target.openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) readTimeout.toMillis());
            if (offset > 0) {
                connection.setRequestProperty("Range", "bytes=" + offset + "-");
            }
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                connection.disconnect();
                throw new IOException("GET " + location + " failed: " + e.getMessage(), e);
            }
            String next = connection.getHeaderField("Location");
            if (status / 100 == 3 && next != null) {
                connection.disconnect();
                location = URI.create(location).resolve(next).toString();
                continue;
            }
            return connection;
        }
        throw new IOException("GET " + url + ": too many redirects");
    }

    private static long contentRangeStart(HttpURLConnection connection) {
        String range = connection.getHeaderField("Content-Range");
        range = range == null ? "" : range;
        if (!range.startsWith("bytes ") || range.indexOf('-') < 0) {
            return -1;
        }
        try {
            return Long.parseLong(range.substring(6, range.indexOf('-')).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
