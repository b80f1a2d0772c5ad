package io.xscore.dataset.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.catalog.SplitReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessorTest {

    @TempDir
    Path dir;

    final TestSources.Counting source = new TestSources.Counting("tiny", 25, 0);

    @Test
    void writesShardsAndManifestThatRoundTrip() throws Exception {
        Preprocessor.Result result = new Preprocessor(10).prepare(source, Split.TRAIN, dir);
        Manifest manifest = result.manifest();
        assertEquals(25, result.imagesWritten());
        assertEquals(3, result.shardsWritten());
        assertEquals("tiny", manifest.dataset());
        assertEquals("train", manifest.split());
        assertEquals(25, manifest.count());
        assertEquals(List.of(10, 10, 5), manifest.shards().stream().map(ShardEntry::count).toList());
        assertEquals(List.of("shard-00000.xsh", "shard-00001.xsh", "shard-00002.xsh"),
                manifest.shards().stream().map(ShardEntry::name).toList());
        assertEquals(List.of(0.5), manifest.mean());
        assertEquals(manifest, Preprocessor.readManifest(dir).orElseThrow());

        SplitReader reader = source.open(Split.TRAIN);
        int from = 0;
        for (ShardEntry entry : manifest.shards()) {
            Path file = dir.resolve(entry.name());
            assertEquals(entry.bytes(), Files.size(file));
            assertEquals(entry.sha256(), sha256(file));
            ImageShard shard;
            try (InputStream in = Files.newInputStream(file)) {
                shard = ImageShard.read(in);
            }
            ImageShard expected = reader.slice(from, from + entry.count());
            assertArrayEquals(expected.labels(), shard.labels());
            assertArrayEquals(expected.pixels(), shard.pixels());
            assertEquals(4, shard.height());
            assertEquals(3, shard.channels());
            from += entry.count();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void aCompleteManifestIsReusedAndBrokenShardsAreRedone() throws Exception {
        Manifest first = new Preprocessor(10).prepare(source, Split.TEST, dir).manifest();
        assertEquals(first, Preprocessor.loadVerified(dir).orElseThrow());

        // Missing shard: manifest no longer verifies; preparing again rewrites only that shard.
        Files.delete(dir.resolve("shard-00001.xsh"));
        assertTrue(Preprocessor.loadVerified(dir).isEmpty());
        Preprocessor.Result redo = new Preprocessor(10).prepare(source, Split.TEST, dir);
        assertEquals(1, redo.shardsWritten());
        assertEquals(2, redo.shardsReused());
        assertEquals(10, redo.imagesWritten());
        assertEquals(first, redo.manifest());

        // Corrupt shard of the same size (one flipped byte): detected by SHA-256 and rewritten.
        Path shard = dir.resolve("shard-00002.xsh");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(shard, bytes);
        assertTrue(Preprocessor.loadVerified(dir).isEmpty());
        Preprocessor.Result repaired = new Preprocessor(10).prepare(source, Split.TEST, dir);
        assertEquals(1, repaired.shardsWritten());
        assertEquals(first, Preprocessor.loadVerified(dir).orElseThrow());

        // A crash before the manifest: strays are cleaned up, a half-written temp file is never listed.
        Files.delete(dir.resolve(Preprocessor.MANIFEST));
        Files.write(dir.resolve(".shard-00000.xsh.dead.tmp"), new byte[] {1, 2, 3});
        assertTrue(Preprocessor.loadVerified(dir).isEmpty());
        assertEquals(first, new Preprocessor(10).prepare(source, Split.TEST, dir).manifest());
        assertFalse(Files.exists(dir.resolve(".shard-00000.xsh.dead.tmp")));
    }

    @Test
    void aDifferentShardSizeReplacesTheOldShards() throws Exception {
        new Preprocessor(10).prepare(source, Split.TRAIN, dir);
        Manifest bigger = new Preprocessor(100).prepare(source, Split.TRAIN, dir).manifest();
        assertEquals(1, bigger.shards().size());
        assertEquals(25, bigger.shards().get(0).count());
        assertFalse(Files.exists(dir.resolve("shard-00002.xsh")));
        assertEquals(bigger, Preprocessor.loadVerified(dir).orElseThrow());
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
