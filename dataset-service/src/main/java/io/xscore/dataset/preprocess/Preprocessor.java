package io.xscore.dataset.preprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xscore.common.catalog.DatasetInfo;
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
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns one split of a source into {@link ImageShard} files of at most {@code shardImages} images plus a
 * {@code manifest.json}, in one directory.
 *
 * <p>Crash safety: each shard is written to a hidden temporary file ({@code .shard-00000.xsh.<uuid>.tmp}),
 * synced and atomically renamed, so a shard name is only ever visible complete; the manifest is written the same
 * way and last, so a manifest exists only when all its shards did. On a restart a manifest whose shards all
 * verify (size and SHA-256) is reused as is; otherwise shards that still verify against the previous manifest are
 * kept and the rest are regenerated.
 */
public final class Preprocessor {

    public static final String MANIFEST = "manifest.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a {@link #prepare} call did. */
    public record Result(Manifest manifest, int imagesWritten, int shardsWritten, int shardsReused, double seconds) {

        public double imagesPerSecond() {
            return seconds > 0 ? imagesWritten / seconds : 0;
        }
    }

    private final int shardImages;

    public Preprocessor(int shardImages) {
        if (shardImages <= 0) {
            throw new IllegalArgumentException("shard size must be positive, got " + shardImages);
        }
        this.shardImages = shardImages;
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
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(file.toFile(), Manifest.class));
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
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).equals(shard.sha256());
    }

    /** Writes (or completes) the shards and manifest of {@code split} into {@code dir}. */
    public Result prepare(DatasetSource source, Split split, Path dir) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(dir);
        Map<String, ShardEntry> previous = readManifest(dir)
                .map(m -> m.shards().stream().collect(Collectors.toMap(ShardEntry::name, Function.identity(), (a, b) -> a)))
                .orElse(Map.of());
        DatasetInfo info = source.info();
        List<ShardEntry> entries = new ArrayList<>();
        int imagesWritten = 0;
        int shardsReused = 0;
        Manifest manifest;
        try (SplitReader reader = source.open(split)) {
            int count = reader.count();
            for (int from = 0, index = 0; from < count; from += shardImages, index++) {
                int to = Math.min(count, from + shardImages);
                String name = String.format(Locale.ROOT, "shard-%05d.xsh", index);
                ShardEntry old = previous.get(name);
                if (old != null && old.count() == to - from && verify(dir, old)) {
                    entries.add(old);
                    shardsReused++;
                } else {
                    entries.add(writeShard(dir, name, reader.slice(from, to)));
                    imagesWritten += to - from;
                }
            }
            manifest = new Manifest(info.id(), split.id(), count, reader.height(), reader.width(), reader.channels(),
                    reader.classes(), info.mean(), info.std(), entries);
        }
        deleteStrays(dir, entries.stream().map(ShardEntry::name).collect(Collectors.toSet()));
        byte[] json = MAPPER.writeValueAsBytes(manifest);
        writeAtomically(dir, MANIFEST, out -> out.write(json));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(manifest, imagesWritten, entries.size() - shardsReused, shardsReused, seconds);
    }

    private static ShardEntry writeShard(Path dir, String name, ImageShard shard) throws IOException {
        MessageDigest digest = sha256();
        long bytes = writeAtomically(dir, name, out -> {
            DigestOutputStream digesting = new DigestOutputStream(out, digest);
            shard.write(digesting);
            digesting.flush();
        });
        return new ShardEntry(name, shard.count(), bytes, HexFormat.of().formatHex(digest.digest()));
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes to a hidden temporary file, syncs it, renames it over {@code dir/name}; returns the size. */
    private static long writeAtomically(Path dir, String name, Writer writer) throws IOException {
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM without SHA-256", e);
        }
    }
}
