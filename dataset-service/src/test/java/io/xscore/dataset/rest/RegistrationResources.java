package io.xscore.dataset.rest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.xscore.dataset.download.FixtureServer;
import io.xscore.dataset.format.ImageFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Fixtures for {@link RegistrationTest}: directories under an allowed root, and a local HTTP server serving a
 * cifar-100-binary.tar.gz (correct SHA-256) and an imagenette archive whose recorded SHA-256 is wrong.
 */
public class RegistrationResources implements QuarkusTestResourceLifecycleManager {

    static final Path BASE = Path.of("target/registration-test").toAbsolutePath();
    static final Path ALLOWED = BASE.resolve("allowed");
    private FixtureServer server;

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(BASE)) {
                try (Stream<Path> files = Files.walk(BASE)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(ALLOWED);
            server = new FixtureServer();
            byte[] archive = cifar100Archive();
            server.put("cifar-100-binary.tar.gz", archive);
            server.put("imagenette2-160.tgz", archive);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
            Path sources = Files.writeString(BASE.resolve("sources.json"), """
                    {"cifar100": {"page": "local", "note": "fixture", "files": [
                       {"url": "%s", "bytes": %d, "sha256": "%s", "unpack": true}]},
                     "imagenette": {"page": "local", "note": "fixture with a wrong checksum", "files": [
                       {"url": "%s", "sha256": "%s", "unpack": true}]}}
                    """.formatted(server.url("cifar-100-binary.tar.gz"), archive.length, sha,
                    server.url("imagenette2-160.tgz"), "1".repeat(64)));
            return Map.of("xscore.dataset.cache-dir", BASE.resolve("cache").toString(),
                    "xscore.dataset.data-dir", BASE.resolve("data").toString(),
                    "xscore.dataset.allowed-roots", ALLOWED + "," + BASE.resolve("data"),
                    "xscore.dataset.sources-file", sources.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] cifar100Archive() throws IOException {
        Path dir = Files.createDirectories(BASE.resolve("archive"));
        Path train = ImageFixtures.cifarBatch(dir.resolve("train.bin"), 2, 5, 6, 7);
        Path test = ImageFixtures.cifarBatch(dir.resolve("test.bin"), 2, 8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Path file : new Path[] {train, test}) {
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), "cifar-100-binary/" + file.getFileName());
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
