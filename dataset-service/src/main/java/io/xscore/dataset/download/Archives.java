package io.xscore.dataset.download;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks {@code .tar}, {@code .tar.gz}/{@code .tgz} and {@code .zip} archives (Apache Commons Compress). Entries that
 * would land outside the destination (absolute names, {@code ..}) fail the extraction naming the entry; links and
 * special files are skipped.
 */
public final class Archives {

    private Archives() {
    }

    public static boolean isArchive(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".tar") || lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".zip");
    }

    /** Extracts {@code archive} into {@code dest}; returns the number of files written. */
    public static int extract(Path archive, Path dest) throws IOException {
        String lower = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        Files.createDirectories(dest);
        Path root = dest.toAbsolutePath().normalize();
        int files = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                ArchiveInputStream<? extends ArchiveEntry> in = open(lower, raw)) {
            ArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName().replace('\\', '/');
                Path target = root.resolve(name).normalize();
                if (name.startsWith("/") || !target.startsWith(root) || target.equals(root) && !entry.isDirectory()) {
                    throw new IOException(archive + ": entry '" + entry.getName() + "' would be written outside "
                            + dest);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry instanceof TarArchiveEntry tar && !tar.isFile()) {
                    continue;
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    files++;
                }
            }
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(archive.toString()) ? e
                    : new IOException(archive + ": cannot be unpacked: " + e.getMessage(), e);
        }
        return files;
    }

    private static ArchiveInputStream<? extends ArchiveEntry> open(String lower, InputStream raw) throws IOException {
        if (lower.endsWith(".zip")) {
            return new ZipArchiveInputStream(raw);
        }
        if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
            return new TarArchiveInputStream(new GzipCompressorInputStream(raw));
        }
        return new TarArchiveInputStream(raw);
    }
}
