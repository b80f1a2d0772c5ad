package io.xscore.dataset.augmentation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xscore.dataset.cache.CacheSpaceGuard;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The augmentation cache on disk:
 * <pre>
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/key.json                       the key's description (written at the first request)
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/epoch-00007/manifest.json          a READY epoch
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/epoch-00007/shard-00000.xsh ...
 *   &lt;dir&gt;/&lt;dataset&gt;/&lt;key&gt;/.epoch-00007.&lt;uuid&gt;.partial/      an epoch being built (or evicted)
 * </pre>
 * An epoch is built in its hidden {@code .partial} directory (every file written with
 * {@link Preprocessor#writeAtomically}, i.e. synced), then {@link #publish published}: the directory is synced and
 * renamed atomically to {@code epoch-NNNNN}, so a crash never leaves a half-written epoch visible. Eviction renames
 * the other way ({@link #hide}) and deletes afterwards, outside the store's lock: a crash in between leaves only a
 * partial directory. {@link #load} (at start-up) deletes leftover {@code .partial} directories and temporary files,
 * and reports every {@code key.json} and READY epoch (manifest present, shard sizes as listed). The modification
 * time of an epoch directory records its last use, so that the least-recently-used order survives restarts.
 *
 * <p>Paths and files only: the states of epochs are {@link AugmentationStore}'s.
 */
final class AugmentationLayout {

    static final String KEY_FILE = "key.json";

    private static final Logger LOG = Logger.getLogger(AugmentationLayout.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(\\d{5})");

    /** A READY epoch found on disk; {@code lastUsed} is its directory's modification time in milliseconds. */
    record StoredEpoch(int number, Manifest manifest, long bytes, long lastUsed) {
    }

    /** A key found on disk ({@code key.json} read and consistent with its directory) and its READY epochs. */
    record StoredKey(AugmentationKey key, Path dir, List<StoredEpoch> epochs) {
    }

    private final Path root;

    /** @param root the cache's directory, absolute */
    AugmentationLayout(Path root) {
        this.root = root;
    }

    Path keyDir(String dataset, String key) {
        return root.resolve(dataset).resolve(key);
    }

    static Path epochDir(Path keyDir, int epoch) {
        return keyDir.resolve(epochName(epoch));
    }

    static String epochName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%05d", epoch);
    }

    /** A fresh hidden name next to {@code epochDir}: where it is built, or where it goes to be deleted. */
    static Path partialDir(Path epochDir) {
        return epochDir.resolveSibling("." + epochDir.getFileName() + "." + UUID.randomUUID() + ".partial");
    }

    /** Creates the key's directory and its {@code key.json}, unless already there. */
    static void writeKey(Path keyDir, AugmentationKey key) throws IOException {
        Files.createDirectories(keyDir);
        Path file = keyDir.resolve(KEY_FILE);
        if (!Files.isRegularFile(file)) {
            byte[] json = MAPPER.writeValueAsBytes(key);
            Preprocessor.writeAtomically(keyDir, KEY_FILE, out -> out.write(json));
        }
    }

    /** Makes a built epoch visible, atomically and durably: {@code partial} becomes {@code epochDir}. */
    static void publish(Path partial, Path epochDir) throws IOException {
        syncDirectory(partial);
        Files.move(partial, epochDir, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(epochDir.getParent());
    }

    /** Renames a READY epoch out of sight (the first step of eviction); returns where it went, to delete it. */
    static Path hide(Path epochDir) throws IOException {
        Path hidden = partialDir(epochDir);
        Files.move(epochDir, hidden, StandardCopyOption.ATOMIC_MOVE);
        return hidden;
    }

    /** Records a use of an epoch (best effort: only the order of evictions after a restart depends on it). */
    static void touch(Path epochDir, long millis) {
        try {
            Files.setLastModifiedTime(epochDir, FileTime.fromMillis(millis));
        } catch (IOException e) {
            LOG.debugf("could not touch %s: %s", epochDir, e.getMessage());
        }
    }

    /**
     * Start-up: hands every consistent key with its READY epochs to {@code found}, one key at a time; partial
     * directories, temporary files and incomplete epochs are deleted once all keys are read.
     */
    void load(Consumer<StoredKey> found) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> datasets = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path datasetDir : datasets) {
                try (DirectoryStream<Path> keyDirs = Files.newDirectoryStream(datasetDir, Files::isDirectory)) {
                    for (Path keyDir : keyDirs) {
                        if (AugmentationStore.KEY.matcher(keyDir.getFileName().toString()).matches()) {
                            loadKey(datasetDir.getFileName().toString(), keyDir, stale).ifPresent(found);
                        }
                    }
                }
            }
        }
        deleteAll(stale);
    }

    private static Optional<StoredKey> loadKey(String dataset, Path keyDir, List<Path> stale) throws IOException {
        AugmentationKey key;
        try {
            key = MAPPER.readValue(keyDir.resolve(KEY_FILE).toFile(), AugmentationKey.class);
        } catch (IOException e) {
            LOG.warnf("ignoring %s: unreadable %s (%s)", keyDir, KEY_FILE, e.getMessage());
            return Optional.empty();
        }
        if (!key.consistent() || !key.key().equals(keyDir.getFileName().toString())
                || !key.dataset().equals(dataset)) {
            LOG.warnf("ignoring %s: its %s does not describe it", keyDir, KEY_FILE);
            return Optional.empty();
        }
        List<StoredEpoch> epochs = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(keyDir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(".") && (name.endsWith(".partial") || name.endsWith(".tmp"))) {
                    stale.add(child);
                    continue;
                }
                var m = EPOCH_DIR.matcher(name);
                if (!m.matches() || !Files.isDirectory(child)) {
                    continue;
                }
                Optional<Manifest> manifest = Preprocessor.readManifest(child);
                // Renames are atomic, so an epoch directory without its manifest or shards is not this store's.
                if (manifest.isEmpty() || !complete(child, manifest.get())) {
                    LOG.warnf("removing %s: manifest missing or shards not as listed", child);
                    stale.add(child);
                    continue;
                }
                epochs.add(new StoredEpoch(Integer.parseInt(m.group(1)), manifest.get(),
                        CacheSpaceGuard.bytesUnder(child), Files.getLastModifiedTime(child).toMillis()));
            }
        }
        return Optional.of(new StoredKey(key, keyDir, epochs));
    }

    private static boolean complete(Path epochDir, Manifest manifest) {
        for (ShardEntry shard : manifest.shards()) {
            try {
                if (Files.size(epochDir.resolve(shard.name())) != shard.bytes()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Deletes each tree, logging (not throwing) what cannot be deleted. */
    static void deleteAll(List<Path> roots) {
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("could not delete %s: %s", root, e.getMessage());
            }
        }
    }

    /** fsync of a directory (its entries, e.g. after a rename); best effort where the platform refuses. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debugf("cannot sync directory %s: %s", directory, e.getMessage());
        }
    }
}
