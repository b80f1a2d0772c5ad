package io.xscore.trainer.data;

import io.xscore.common.hash.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The trainer's local cache of shards it fetched from the dataset service: {@code <dir>/<dataset>/<split>/<sha256>.xsh},
 * addressed by content, so a later job (or another model on the same dataset) reuses them without downloading.
 *
 * <ul>
 *   <li>Verified: a cached file is hashed on every read; one that does not match its name (bit rot, a truncated copy
 *       from another tool) is deleted and fetched again.</li>
 *   <li>Atomic: a shard is written to a temporary file and renamed, so a crash never leaves a half-written shard under
 *       its final name.</li>
 *   <li>Size-bounded: after each store, least recently used shards (by modification time, which a hit refreshes) are
 *       deleted until the cache is within {@code maxBytes} — never a shard of the split being fetched, so a split
 *       larger than the bound still trains (and the excess is logged).</li>
 * </ul>
 * Safe for the one job a trainer runs at a time; concurrent trainers sharing a directory at worst re-download.
 */
public final class ShardCache {

    private static final Logger LOG = Logger.getLogger(ShardCache.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PART = Pattern.compile("\\.[0-9a-f]{64}\\..*\\.part");

    private final Path dir;
    private final long maxBytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong(-1);

    /** @param maxBytes the bound; 0 or less: unbounded */
    public ShardCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** The shard's bytes if it is cached and intact; a corrupt copy is removed. A hit makes it most recently used. */
    public Optional<byte[]> get(String dataset, String split, String sha256) {
        Path file = file(dataset, split, sha256);
        try {
            if (!Files.isRegularFile(file)) {
                misses.incrementAndGet();
                return Optional.empty();
            }
            byte[] cached = Files.readAllBytes(file);
            if (!Sha256.hex(cached).equals(sha256)) {
                LOG.warnf("cached shard %s failed its checksum; fetching it again", file);
                if (Files.deleteIfExists(file) && bytes.get() >= 0) {
                    bytes.addAndGet(-cached.length);
                }
                misses.incrementAndGet();
                return Optional.empty();
            }
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            hits.incrementAndGet();
            return Optional.of(cached);
        } catch (IOException e) {
            throw new DatasetFetchException("cannot read cached shard " + file.getFileName() + " of the local cache", e);
        }
    }

    /**
     * Stores verified bytes under their SHA-256, then evicts least recently used shards beyond the bound, sparing
     * {@code inUse} (SHA-256s of the shards the current job needs). The directory is listed only on the first store
     * and when the running total passes the bound, not on every store.
     */
    public void put(String dataset, String split, String sha256, byte[] content, Set<String> inUse) {
        Path file = file(dataset, split, sha256);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + sha256 + ".", ".part");
            try {
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new DatasetFetchException("cannot cache shard " + sha256 + " in " + file.getParent() + ": "
                    + e.getMessage(), e);
        }
        long total = bytes.get() < 0 ? -1 : bytes.addAndGet(content.length);
        if (total < 0 || (maxBytes > 0 && total > maxBytes)) {
            evict(inUse);
        }
    }

    /** Deletes least recently used shards until the cache fits its bound; returns the bytes it holds afterwards. */
    private synchronized long evict(Set<String> inUse) {
        List<Entry> entries;
        try {
            entries = entries();
        } catch (UncheckedIOException e) {
            LOG.warnf("shard cache not trimmed: %s", e.getMessage()); // e.g. a file removed while listing
            return bytes.get();
        }
        long total = entries.stream().mapToLong(Entry::size).sum();
        if (maxBytes > 0 && total > maxBytes) {
            entries.sort(Comparator.comparing(Entry::modified));
            for (Entry e : entries) {
                if (total <= maxBytes) {
                    break;
                }
                if (inUse.contains(e.sha256())) {
                    continue;
                }
                try {
                    if (Files.deleteIfExists(e.path())) {
                        total -= e.size();
                        evictions.incrementAndGet();
                        LOG.debugf("evicted %s (%d bytes) from the shard cache", e.path(), e.size());
                    }
                } catch (IOException ex) {
                    LOG.warnf("cannot evict %s: %s", e.path(), ex.getMessage());
                }
            }
            if (total > maxBytes) {
                LOG.warnf("shard cache holds %d bytes, over its bound of %d: the shards of the current job alone "
                        + "exceed it", total, maxBytes);
            }
        }
        bytes.set(total);
        return total;
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    public long evictions() {
        return evictions.get();
    }

    /** Bytes held after the last store or eviction (-1 before the first). */
    public long bytes() {
        return bytes.get();
    }

    private record Entry(Path path, String sha256, long size, FileTime modified) {
    }

    private List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                if (PART.matcher(name).matches()
                        && Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 3_600_000) {
                    Files.deleteIfExists(p); // left by a crash an hour or more ago
                    continue;
                }
                if (name.endsWith(".xsh") && SHA256.matcher(name.substring(0, name.length() - 4)).matches()) {
                    entries.add(new Entry(p, name.substring(0, name.length() - 4), Files.size(p),
                            Files.getLastModifiedTime(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the shard cache " + dir, e);
        }
        return entries;
    }

    private Path file(String dataset, String split, String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new DatasetFetchException("not a SHA-256: " + sha256);
        }
        return dir.resolve(dataset).resolve(split).resolve(sha256 + ".xsh");
    }

}
