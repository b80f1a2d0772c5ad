package io.xscore.dataset.cache;

import io.xscore.dataset.preprocess.Preprocessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Refuses a write that would take the cache directory above {@code maxCacheBytes} (0 = no limit) or leave less than
 * {@code minFreeBytes} free on its file system: a full disk becomes a clear error naming the file before anything
 * is written, instead of a half-written file.
 */
public final class CacheSpaceGuard implements Preprocessor.SpaceGuard {

    private final Path cacheDir;
    private final long maxCacheBytes;
    private final long minFreeBytes;

    public CacheSpaceGuard(Path cacheDir, long maxCacheBytes, long minFreeBytes) {
        this.cacheDir = cacheDir;
        this.maxCacheBytes = maxCacheBytes;
        this.minFreeBytes = minFreeBytes;
    }

    @Override
    public void reserve(Path file, long bytes) throws IOException {
        if (maxCacheBytes > 0) {
            long used = bytesUnder(cacheDir);
            if (used + bytes > maxCacheBytes) {
                throw new IOException("cache size limit reached: writing " + file + " (" + bytes + " bytes) would take "
                        + cacheDir + " to " + (used + bytes) + " bytes, limit " + maxCacheBytes
                        + " (xscore.dataset.max-cache-bytes)");
            }
        }
        long free = Files.getFileStore(Files.isDirectory(file.getParent()) ? file.getParent() : cacheDir)
                .getUsableSpace();
        if (free - bytes < minFreeBytes) {
            throw new IOException("not enough disk space to write " + file + ": needs " + bytes + " bytes, "
                    + free + " free, keeping " + minFreeBytes + " free (xscore.dataset.min-free-bytes)");
        }
    }

    /** Bytes of regular files under {@code root} (0 when absent). */
    public static long bytesUnder(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(CacheSpaceGuard::size).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
