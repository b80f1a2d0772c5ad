package io.xscore.dataset.cache;

import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetSource;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.format.IdxFormatException;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The prepared splits under {@code <cacheDir>/<dataset>/<split>/}: prepares a split on first use (once, however
 * many requests ask at the same time), reuses a verified manifest from an earlier run, remembers failures for the
 * catalog status and resolves shard names safely.
 */
public final class SplitCache {

    /** Shard names the service accepts; anything else is rejected before touching the file system. */
    public static final Pattern SHARD_NAME = Pattern.compile("[a-z0-9-]+\\.xsh");

    /** Observes what the cache does (metrics). */
    public interface Listener {
        default void prepared(String dataset, Split split, Preprocessor.Result result) {
        }

        default void hit(String dataset, Split split) {
        }
    }

    /** The catalog's view of a dataset here. */
    public record Status(boolean available, String status, String detail) {
    }

    /** A verified shard: where it lies and what the manifest says about it. */
    public record ShardFile(Path path, ShardEntry entry) {
    }

    private final DatasetSources sources;
    private final Path cacheDir;
    private final Preprocessor preprocessor;
    private final Listener listener;
    private final ConcurrentMap<String, Manifest> ready = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<Manifest>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> failures = new ConcurrentHashMap<>();

    public SplitCache(DatasetSources sources, Path cacheDir, Preprocessor preprocessor, Listener listener) {
        this.sources = sources;
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.preprocessor = preprocessor;
        this.listener = listener;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public Path splitDir(String dataset, Split split) {
        return cacheDir.resolve(dataset).resolve(split.id());
    }

    /** The manifest of a split, preparing it first if needed; throws {@link DatasetException} on any failure. */
    public Manifest manifest(String dataset, Split split) {
        DatasetSource source = sources.get(dataset);
        Optional<String> missing = source.missing();
        if (missing.isPresent()) {
            throw DatasetException.missingData(dataset, missing.get());
        }
        String key = key(dataset, split);
        Manifest known = ready.get(key);
        if (known != null) {
            listener.hit(dataset, split);
            return known;
        }
        CompletableFuture<Manifest> mine = new CompletableFuture<>();
        CompletableFuture<Manifest> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            Manifest manifest = ready.get(key);
            if (manifest == null) {
                manifest = loadOrPrepare(source, split);
            } else {
                listener.hit(dataset, split);
            }
            ready.put(key, manifest);
            failures.remove(key);
            mine.complete(manifest);
            return manifest;
        } catch (Exception e) {
            DatasetException problem = translate(dataset, split, e);
            if (problem.status() != 503) {
                failures.put(key, problem.getMessage());
            }
            mine.completeExceptionally(problem);
            throw problem;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /**
     * A shard of a split. The name must match {@link #SHARD_NAME} (400 otherwise) and be listed in the manifest
     * (404 otherwise); a listed shard that vanished or changed size on disk makes the split be prepared again.
     */
    public ShardFile shard(String dataset, Split split, String name) {
        sources.get(dataset);
        if (name == null || !SHARD_NAME.matcher(name).matches()) {
            throw DatasetException.badShardName(name);
        }
        Path dir = splitDir(dataset, split);
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw DatasetException.badShardName(name);
        }
        Manifest manifest = manifest(dataset, split);
        ShardEntry entry = find(manifest, dataset, split, name);
        if (!intact(file, entry)) {
            ready.remove(key(dataset, split), manifest);
            entry = find(manifest(dataset, split), dataset, split, name);
        }
        return new ShardFile(file, entry);
    }

    public Status status(DatasetSource source) {
        Optional<String> missing = source.missing();
        if (missing.isPresent()) {
            return new Status(false, "missing-data", missing.get());
        }
        List<String> preparing = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> prepared = new ArrayList<>();
        for (Split split : Split.values()) {
            String key = key(source.id(), split);
            if (inFlight.containsKey(key)) {
                preparing.add(split.id());
            }
            String failure = failures.get(key);
            if (failure != null) {
                failed.add(failure);
            }
            if (ready.containsKey(key) || Files.isRegularFile(splitDir(source.id(), split).resolve(Preprocessor.MANIFEST))) {
                prepared.add(split.id());
            }
        }
        Path dir = cacheDir.resolve(source.id());
        if (!preparing.isEmpty()) {
            return new Status(true, "preparing", "preparing " + String.join(" and ", preparing) + " into " + dir);
        }
        if (!failed.isEmpty()) {
            return new Status(false, "failed", String.join("; ", failed));
        }
        if (prepared.size() == Split.values().length) {
            return new Status(true, "ready", "train and test prepared in " + dir);
        }
        return new Status(true, "not-prepared", (prepared.isEmpty() ? "" : String.join(", ", prepared)
                + " prepared; ") + "splits are prepared on the first manifest request, into " + dir);
    }

    private Manifest loadOrPrepare(DatasetSource source, Split split) throws IOException {
        Path dir = splitDir(source.id(), split);
        Optional<Manifest> existing = Preprocessor.loadVerified(dir)
                .filter(m -> m.dataset().equals(source.id()) && m.split().equals(split.id()));
        if (existing.isPresent()) {
            listener.hit(source.id(), split);
            return existing.get();
        }
        Preprocessor.Result result = preprocessor.prepare(source, split, dir);
        listener.prepared(source.id(), split, result);
        return result.manifest();
    }

    private static boolean intact(Path file, ShardEntry entry) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == entry.bytes();
        } catch (IOException e) {
            return false;
        }
    }

    private static ShardEntry find(Manifest manifest, String dataset, Split split, String name) {
        return manifest.shards().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> DatasetException.unknownShard(dataset, split.id(), name));
    }

    private static Manifest await(CompletableFuture<Manifest> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DatasetException problem) {
                throw problem;
            }
            throw e;
        }
    }

    private static DatasetException translate(String dataset, Split split, Exception e) {
        if (e instanceof DatasetException problem) {
            return problem;
        }
        if (e instanceof IdxFormatException) {
            return DatasetException.corruptData(dataset, e);
        }
        return DatasetException.preparationFailed(dataset, split.id(), e);
    }

    private static String key(String dataset, Split split) {
        return dataset + "/" + split.id();
    }
}
