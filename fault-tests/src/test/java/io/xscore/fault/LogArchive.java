package io.xscore.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every line a component logged over the whole suite, across restarts. The launcher writes
 * {@code $XSCORE_HOME/logs/<name>.log}; depending on its version a restart truncates that file or appends to it.
 * {@link #snapshot} is called after a process died and before it is started again: it keeps what the file holds
 * beyond what was already kept, recognising an appended file by its unchanged prefix, so lines are neither lost
 * (truncation) nor counted twice (appending).
 */
final class LogArchive {

    private final Path logs;
    private final Map<String, StringBuilder> archived = new LinkedHashMap<>();
    /** Bytes of the current file already archived, and the SHA-256 of those bytes. */
    private final Map<String, Long> archivedBytes = new LinkedHashMap<>();
    private final Map<String, byte[]> archivedPrefixHash = new LinkedHashMap<>();

    LogArchive(Path logs) {
        this.logs = logs;
    }

    Path file(String name) {
        return logs.resolve(name + ".log");
    }

    /** Keeps the part of the component's log not kept yet (call when the process is gone, before restarting it). */
    synchronized void snapshot(String name) {
        byte[] bytes = read(name);
        byte[] fresh = freshPart(name, bytes);
        archived.computeIfAbsent(name, n -> new StringBuilder()).append(new String(fresh, StandardCharsets.UTF_8));
        archivedBytes.put(name, (long) bytes.length);
        archivedPrefixHash.put(name, sha256(bytes, bytes.length));
    }

    /** Everything the component logged so far, every lifetime of it once. */
    synchronized String all(String name) {
        byte[] bytes = read(name);
        StringBuilder kept = archived.get(name);
        return (kept == null ? "" : kept.toString()) + new String(freshPart(name, bytes), StandardCharsets.UTF_8);
    }

    /** The last {@code lines} lines of the component's log over all its lifetimes. */
    String tail(String name, int lines) {
        String[] all = all(name).split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private byte[] freshPart(String name, byte[] bytes) {
        Long done = archivedBytes.get(name);
        if (done == null || done == 0) {
            return bytes;
        }
        boolean appended = bytes.length >= done && Arrays.equals(sha256(bytes, done.intValue()), archivedPrefixHash.get(name));
        return appended ? Arrays.copyOfRange(bytes, done.intValue(), bytes.length) : bytes;
    }

    private byte[] read(String name) {
        Path f = file(name);
        try {
            return Files.exists(f) ? Files.readAllBytes(f) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes each component's complete log to {@code dir/<name>.log} (evidence kept after the stack is gone). */
    synchronized void copyTo(Path dir, Iterable<String> names) throws IOException {
        Files.createDirectories(dir);
        for (String name : names) {
            Files.writeString(dir.resolve(name + ".log"), all(name), StandardCharsets.UTF_8);
        }
    }
}
