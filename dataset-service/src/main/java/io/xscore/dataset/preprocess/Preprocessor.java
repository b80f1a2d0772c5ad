package io.xscore.dataset.preprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.hash.Sha256;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.catalog.DatasetSource;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.catalog.SplitReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns one split of a source into {@link ImageShard} files plus a {@code manifest.json}, in one directory.
 * A shard holds at most {@code shardImages} images and at most {@code shardBytes} pixel bytes (so 10,000 images of
 * Fashion-MNIST, 1,783 of 224x224 RGB with the default 256 MiB).
 *
 * <p>Crash safety: each shard is written to a hidden temporary file ({@code .shard-00000.xsh.<uuid>.tmp}),
 * synced and atomically renamed, so a shard name is only ever visible complete. After each shard the journal
 * {@code shards.json} (the entries written so far) is replaced the same way; the manifest is written last. A
 * restart reuses every shard that the manifest or the journal lists and that still verifies (size and SHA-256)
 * and produces only the others. Before writing, the {@link SpaceGuard} may refuse (cache size limit, free disk
 * space); any write error is reported naming the file, and the temporary file is removed.
 */
public final class Preprocessor {

    /** Bumped whenever the bytes a source produces change; part of the cache key. */
    public static final int PIPELINE_VERSION = 2;
    public static final String MANIFEST = "manifest.json";
    public static final String JOURNAL = "shards.json";
    public static final long DEFAULT_SHARD_BYTES = 256L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a {@link #prepare} call did. */
    public record Result(Manifest manifest, int imagesWritten, int shardsWritten, int shardsReused, double seconds) {

        public double imagesPerSecond() {
            return seconds > 0 ? imagesWritten / seconds : 0;
        }
    }

    /** Progress of one preparation: the split's image count once known, then finished images. */
    public interface Progress {
        Progress NONE = new Progress() { };

        default void total(int images) {
        }

        default void done(int images) {
        }
    }

    /** Called before a file of {@code bytes} is written; throws an {@link IOException} naming it to refuse. */
    public interface SpaceGuard {
        SpaceGuard NONE = (file, bytes) -> { };

        void reserve(Path file, long bytes) throws IOException;
    }

    private record Journal(List<ShardEntry> shards) {
    }

    private final int shardImages;
    private final long shardBytes;
    private final SpaceGuard guard;

    public Preprocessor(int shardImages) {
        this(shardImages, DEFAULT_SHARD_BYTES, SpaceGuard.NONE);
    }

    public Preprocessor(int shardImages, long shardBytes, SpaceGuard guard) {
        if (shardImages <= 0 || shardBytes <= 0) {
            throw new IllegalArgumentException("shard size must be positive, got " + shardImages + " images, "
                    + shardBytes + " bytes");
        }
        this.shardImages = shardImages;
        this.shardBytes = shardBytes;
        this.guard = guard;
    }

    /** Images per shard for images of {@code imageBytes} bytes. */
    public int imagesPerShard(int imageBytes) {
        return (int) Math.max(1, Math.min(shardImages, shardBytes / imageBytes));
    }

    /** The manifest in {@code dir} if it exists, parses, and every shard it lists has its size and SHA-256. */
    public static Optional<Manifest> loadVerified(Path dir) throws IOException {
        Optional<Manifest> manifest = readManifest(dir);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        for (ShardEntry shard : manifest.get().shards()) {
            if (!verify(dir, shard)) {
                return Optional.empty();
            }
        }
        return manifest;
    }

    /** The manifest in {@code dir} without checking its shards; empty when absent or unreadable. */
    public static Optional<Manifest> readManifest(Path dir) {
        return readJson(dir.resolve(MANIFEST), Manifest.class);
    }

    private static <T> Optional<T> readJson(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(file.toFile(), type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code dir/<shard.name>} exists with the recorded size and SHA-256. */
    public static boolean verify(Path dir, ShardEntry shard) throws IOException {
        Path file = dir.resolve(shard.name());
        try {
            if (Files.size(file) != shard.bytes()) {
                return false;
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        MessageDigest digest = Sha256.digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).equals(shard.sha256());
    }

    /**
     * The shard {@code file} if it has the entry's size, SHA-256 and image count, read once (hashed while parsing);
     * empty if it is missing or differs (a file with the recorded hash always parses, so a parse error is a mismatch).
     */
    public static Optional<ImageShard> readIfIntact(Path file, ShardEntry entry) throws IOException {
        try {
            if (Files.size(file) != entry.bytes()) {
                return Optional.empty();
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        MessageDigest digest = Sha256.digest();
        ImageShard shard;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            try {
                shard = ImageShard.read(in);
            } catch (IOException | IllegalArgumentException corrupt) {
                return Optional.empty();
            }
            // The digest must cover the whole file, including anything after the last image.
            in.transferTo(OutputStream.nullOutputStream());
        }
        boolean intact = HexFormat.of().formatHex(digest.digest()).equals(entry.sha256())
                && shard.count() == entry.count();
        return intact ? Optional.of(shard) : Optional.empty();
    }

    public Result prepare(DatasetSource source, Split split, Path dir) throws IOException {
        return prepare(source, split, dir, Progress.NONE);
    }

    /** Writes (or completes) the shards and manifest of {@code split} into {@code dir}. */
    public Result prepare(DatasetSource source, Split split, Path dir, Progress progress) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(dir);
        Map<String, ShardEntry> previous = new HashMap<>();
        readManifest(dir).ifPresent(m -> m.shards().forEach(s -> previous.putIfAbsent(s.name(), s)));
        readJson(dir.resolve(JOURNAL), Journal.class).ifPresent(j -> j.shards().forEach(s -> previous.putIfAbsent(s.name(), s)));
        DatasetInfo info = source.info();
        List<ShardEntry> entries = new ArrayList<>();
        int imagesWritten = 0;
        int shardsReused = 0;
        Manifest manifest;
        try (SplitReader reader = source.open(split)) {
            int count = reader.count();
            int channels = reader.channels();
            PixelStats stats = new PixelStats(channels);
            int perShard = imagesPerShard(reader.height() * reader.width() * channels);
            progress.total(count);
            for (int from = 0, index = 0; from < count; from += perShard, index++) {
                int to = Math.min(count, from + perShard);
                String name = String.format(Locale.ROOT, "shard-%05d.xsh", index);
                ShardEntry old = previous.get(name);
                Optional<ImageShard> reused = old != null && old.count() == to - from
                        ? readIfIntact(dir.resolve(name), old) : Optional.empty();
                if (reused.isPresent()) {
                    stats.add(reused.get());
                    entries.add(old);
                    shardsReused++;
                    progress.done(to - from);
                } else {
                    ImageShard shard = reader.slice(from, to, progress::done);
                    stats.add(shard);
                    entries.add(writeShard(dir, name, shard));
                    imagesWritten += to - from;
                }
                byte[] journal = MAPPER.writeValueAsBytes(new Journal(entries));
                writeAtomically(dir, JOURNAL, out -> out.write(journal));
            }
            List<String> names = reader.classNames().isEmpty() ? null : reader.classNames();
            manifest = new Manifest(info.id(), split.id(), count, reader.height(), reader.width(), channels,
                    reader.classes(), info.mean(), info.std(), entries, names, stats.mean(), stats.std(),
                    "xscore-preprocess-v" + PIPELINE_VERSION + ";" + source.pipeline(split), "none");
        }
        deleteStrays(dir, entries.stream().map(ShardEntry::name).collect(Collectors.toSet()));
        byte[] json = MAPPER.writeValueAsBytes(manifest);
        writeAtomically(dir, MANIFEST, out -> out.write(json));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(manifest, imagesWritten, entries.size() - shardsReused, shardsReused, seconds);
    }

    private ShardEntry writeShard(Path dir, String name, ImageShard shard) throws IOException {
        return writeShard(dir, name, shard, guard);
    }

    /** Bytes of {@code shard} as an ImageShard v1 file: 24-byte header, 2 bytes per label, the pixels. */
    public static long shardFileBytes(int count, int imageBytes) {
        return 24L + 2L * count + (long) count * imageBytes;
    }

    /**
     * Writes {@code shard} as {@code dir/name} with {@link #writeAtomically} after asking {@code guard} for the space,
     * and returns its manifest entry (size and SHA-256 of the bytes written). Shared by the split preparation and the
     * augmentation cache.
     */
    public static ShardEntry writeShard(Path dir, String name, ImageShard shard, SpaceGuard guard) throws IOException {
        guard.reserve(dir.resolve(name), shardFileBytes(shard.count(), shard.imageBytes()));
        MessageDigest digest = Sha256.digest();
        long bytes = writeAtomically(dir, name, out -> {
            DigestOutputStream digesting = new DigestOutputStream(out, digest);
            shard.write(digesting);
            digesting.flush();
        });
        return new ShardEntry(name, shard.count(), bytes, HexFormat.of().formatHex(digest.digest()));
    }

    /** Writes one file's content. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes to a hidden temporary file, syncs it, renames it over {@code dir/name}; returns the size. A failure
     * (e.g. a full disk) is an {@link IOException} naming the file, and the temporary file is removed.
     */
    public static long writeAtomically(Path dir, String name, Writer writer) throws IOException {
        Path temp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            long size = Files.size(temp);
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return size;
        } catch (IOException e) {
            throw new IOException("writing " + dir.resolve(name) + " failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes shards no longer listed (e.g. after a shard-size change) and temporary files of crashed runs. */
    private static void deleteStrays(Path dir, Set<String> keep) throws IOException {
        Set<Path> stray = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean oldShard = name.endsWith(".xsh") && !keep.contains(name);
                boolean oldTemp = name.startsWith(".") && name.endsWith(".tmp");
                if (oldShard || oldTemp) {
                    stray.add(file);
                }
            }
        }
        for (Path file : stray) {
            Files.deleteIfExists(file);
        }
    }

}
