package io.xscore.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.hash.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardCacheTest {

    @TempDir
    Path dir;

    private static byte[] content(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private Path file(String sha) {
        return dir.resolve("d").resolve("train").resolve(sha + ".xsh");
    }

    @Test
    void evictsTheLeastRecentlyUsedShardsBeyondTheBound() throws Exception {
        ShardCache cache = new ShardCache(dir, 2500);
        byte[] a = content(1000, 1);
        byte[] b = content(1000, 2);
        byte[] c = content(1000, 3);
        String sa = Sha256.hex(a);
        String sb = Sha256.hex(b);
        String sc = Sha256.hex(c);
        cache.put("d", "train", sa, a, Set.of(sa));
        cache.put("d", "train", sb, b, Set.of(sb));
        Files.setLastModifiedTime(file(sa), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(file(sb), FileTime.fromMillis(2_000_000));
        assertTrue(cache.get("d", "train", sa).isPresent(), "a hit makes a the most recently used");
        cache.put("d", "train", sc, c, Set.of(sc));
        assertTrue(Files.exists(file(sa)));
        assertFalse(Files.exists(file(sb)), "b was the least recently used");
        assertTrue(Files.exists(file(sc)));
        assertEquals(2000, cache.bytes());
        assertEquals(1, cache.evictions());
        assertEquals(1, cache.hits());
    }

    @Test
    void neverEvictsShardsOfTheRunningJobEvenOverTheBound() throws Exception {
        ShardCache cache = new ShardCache(dir, 1500);
        byte[] a = content(1000, 1);
        byte[] b = content(1000, 2);
        String sa = Sha256.hex(a);
        String sb = Sha256.hex(b);
        cache.put("d", "train", sa, a, Set.of(sa, sb));
        cache.put("d", "train", sb, b, Set.of(sa, sb));
        assertTrue(Files.exists(file(sa)) && Files.exists(file(sb)));
        assertEquals(2000, cache.bytes());
        assertEquals(0, cache.evictions());
    }

    @Test
    void aCorruptCopyIsDroppedAndReportedAsAMiss() throws Exception {
        ShardCache cache = new ShardCache(dir, 0);
        byte[] a = content(100, 7);
        String sa = Sha256.hex(a);
        cache.put("d", "train", sa, a, Set.of());
        assertArrayEquals(a, cache.get("d", "train", sa).orElseThrow());
        Files.write(file(sa), content(100, 8));
        assertTrue(cache.get("d", "train", sa).isEmpty());
        assertFalse(Files.exists(file(sa)), "the corrupt copy is gone");
        assertEquals(1, cache.misses());
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
    }
}
