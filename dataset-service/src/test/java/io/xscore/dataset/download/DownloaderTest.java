package io.xscore.dataset.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {

    @TempDir
    Path tmp;

    final FixtureServer server = newServer();
    final Downloader downloader = new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(1));
    final byte[] content = new byte[300_000];

    {
        new Random(7).nextBytes(content);
    }

    static FixtureServer newServer() {
        try {
            return new FixtureServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    private DownloadSources.FileSpec spec(String name, Long bytes, String sha256, String md5) {
        return new DownloadSources.FileSpec(server.url(name), bytes, sha256, md5, false, null);
    }

    @Test
    void fullDownloadIsVerifiedAndRenamed() throws Exception {
        server.put("data.bin", content);
        long[] seen = new long[2];
        Downloader.Outcome outcome = downloader.fetch(spec("data.bin", (long) content.length, hex("SHA-256", content),
                null), tmp, new Downloader.Listener() {
                    @Override
                    public void started(String name, long offset, long total) {
                        seen[1] = total;
                    }

                    @Override
                    public void received(long bytes) {
                        seen[0] += bytes;
                    }
                });
        assertEquals("sha256", outcome.verification());
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("data.bin")));
        assertFalse(Files.exists(tmp.resolve("data.bin.part")));
        assertEquals(content.length, seen[0]);
        assertEquals(content.length, seen[1]);
        // Asking again: already there and verified, nothing fetched.
        int requests = server.ranges.size();
        assertEquals("sha256", downloader.fetch(spec("data.bin", null, hex("SHA-256", content), null), tmp,
                Downloader.Listener.NONE).verification());
        assertEquals(requests, server.ranges.size());
    }

    @Test
    void anInterruptedDownloadResumesWithARange() throws Exception {
        server.put("big.tar", content);
        server.cutOnce("big.tar", 100_000);
        DownloadSources.FileSpec spec = spec("big.tar", null, null, hex("MD5", content));
        IOException cut = assertThrows(IOException.class, () -> downloader.fetch(spec, tmp, Downloader.Listener.NONE));
        assertTrue(cut.getMessage().contains("resume"), cut.getMessage());
        assertFalse(Files.exists(tmp.resolve("big.tar")), "nothing visible as complete");
        long kept = Files.size(tmp.resolve("big.tar.part"));
        assertTrue(kept > 0 && kept < content.length, "kept " + kept);

        Downloader.Outcome outcome = downloader.fetch(spec, tmp, Downloader.Listener.NONE);
        assertEquals("md5", outcome.verification());
        assertEquals("bytes=" + kept + "-", server.ranges.get(server.ranges.size() - 1));
        assertArrayEquals(content, Files.readAllBytes(tmp.resolve("big.tar")));
        assertFalse(Files.exists(tmp.resolve("big.tar.part")));
    }

    @Test
    void aTruncatedFileIsRejected() throws Exception {
        server.put("short.bin", java.util.Arrays.copyOf(content, 250_000));
        IOException e = assertThrows(IOException.class, () -> downloader.fetch(spec("short.bin",
                (long) content.length, hex("SHA-256", content), null), tmp, Downloader.Listener.NONE));
        assertTrue(e.getMessage().contains("size 250000"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("short.bin").toString()), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("short.bin")));
        assertFalse(Files.exists(tmp.resolve("short.bin.part")));
    }

    @Test
    void aWrongChecksumIsRejectedAndAnUnknownOneIsReportedUnverified() throws Exception {
        server.put("data.bin", content);
        String wrong = "0".repeat(64);
        IOException e = assertThrows(IOException.class, () -> downloader.fetch(spec("data.bin", null, wrong, null),
                tmp, Downloader.Listener.NONE));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains(wrong), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("data.bin")));
        assertFalse(Files.exists(tmp.resolve("data.bin.part")));

        assertEquals("unverified", downloader.fetch(spec("data.bin", null, null, null), tmp,
                Downloader.Listener.NONE).verification());
        IOException missing = assertThrows(IOException.class, () -> downloader.fetch(spec("nope.bin", null, null, null),
                tmp, Downloader.Listener.NONE));
        assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
    }

    @Test
    void archivesUnpackAndRefuseEntriesOutsideTheTarget() throws Exception {
        Path zip = tmp.resolve("evil.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("ok/a.txt"));
            out.write("a".getBytes());
            out.putNextEntry(new ZipEntry("../../escaped.txt"));
            out.write("x".getBytes());
        }
        IOException e = assertThrows(IOException.class, () -> Archives.extract(zip, tmp.resolve("out")));
        assertTrue(e.getMessage().contains("../../escaped.txt"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
        assertFalse(Files.exists(tmp.getParent().resolve("escaped.txt")));

        Path good = tmp.resolve("good.zip");
        try (OutputStream file = Files.newOutputStream(good); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("dir/b.txt"));
            out.write("b".getBytes());
        }
        assertEquals(1, Archives.extract(good, tmp.resolve("good")));
        assertEquals(List.of("b"), Files.readAllLines(tmp.resolve("good/dir/b.txt")));
    }

    @Test
    void builtInSourcesHaveCanonicalUrlsAndSafeFileNames() throws Exception {
        DownloadSources sources = DownloadSources.load(java.util.Optional.empty());
        assertTrue(sources.get("cifar10").orElseThrow().files().get(0).url()
                .equals("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"));
        for (var dataset : sources.all().values()) {
            for (var file : dataset.files()) {
                assertTrue(file.url().startsWith("http"), file.url());
                file.name();
            }
        }
        assertTrue(sources.get("ham10000").orElseThrow().files().isEmpty());
    }
}
