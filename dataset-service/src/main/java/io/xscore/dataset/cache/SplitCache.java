package io.xscore.dataset.cache;

import io.xscore.common.hash.Sha256;
import io.xscore.common.shard.DatasetDigest;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetSource;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.format.FormatException;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The prepared splits under {@code <cacheDir>/<dataset>/<split>-r<resolution>-<key>/}, where {@code key} is the
 * first 12 hex digits of the SHA-256 of (pipeline version, dataset, split, resolution, the source's pipeline
 * description and data location): a new pipeline version, geometry, split variant or data directory gets a new
 * directory instead of reusing stale shards. Prepares a split on first use (once, however
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

        default void failed(String dataset, Split split, String reason) {
        }
    }

    /** The catalog's view of a dataset here. */
    public record Status(boolean available, String status, String detail) {
    }

    /** One split's preparation state: {@code state} ready | preparing | not-prepared | failed. */
    public record SplitStatus(String state, int imagesDone, int imagesTotal, String error) {
    }

    /** Images done / total of a running preparation. */
    static final class Counter implements Preprocessor.Progress {
        final AtomicInteger total = new AtomicInteger(-1);
        final AtomicInteger done = new AtomicInteger();

        @Override
        public void total(int images) {
            total.set(images);
        }

        @Override
        public void done(int images) {
            done.addAndGet(images);
        }
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
    private final ConcurrentMap<String, Counter> progress = new ConcurrentHashMap<>();
    /** Content digests by dataset id, each with the manifests it was computed from (recomputed when they change). */
    private final ConcurrentMap<String, ContentDigest> digests = new ConcurrentHashMap<>();

    /** A dataset's content digest and the prepared manifests it covers. */
    private record ContentDigest(Manifest train, Manifest test, String digest) {
    }

    public SplitCache(DatasetSources sources, Path cacheDir, Preprocessor preprocessor, Listener listener) {
        this.sources = sources;
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.preprocessor = preprocessor;
        this.listener = listener;
    }

    public Path splitDir(String dataset, Split split) {
        return splitDir(sources.get(dataset), split);
    }

    /** The content-addressed directory of a split (see the class comment). */
    public Path splitDir(DatasetSource source, Split split) {
        String identity = String.join("\n", "v" + Preprocessor.PIPELINE_VERSION, source.id(), split.id(),
                Integer.toString(source.cacheResolution()), source.pipeline(split), source.location());
        String hash = Sha256.hex(identity).substring(0, 12);
        return cacheDir.resolve(source.id()).resolve(String.format(Locale.ROOT, "%s-r%d-%s", split.id(),
                source.cacheResolution(), hash));
    }

    /** The manifest of a split, preparing it first if needed; throws {@link DatasetException} on any failure. */
    public Manifest manifest(String dataset, Split split) {
        DatasetSource source = sources.get(dataset);
        Optional<String> missing = source.missing();
        if (missing.isPresent()) {
            throw DatasetException.missingData(dataset, missing.get());
        }
        String key = key(source, split);
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
                listener.failed(dataset, split, problem.getMessage());
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
        Path dir = splitDir(sources.get(dataset), split);
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw DatasetException.badShardName(name);
        }
        Manifest manifest = manifest(dataset, split);
        ShardEntry entry = find(manifest, dataset, split, name);
        if (!intact(file, entry)) {
            ready.remove(key(sources.get(dataset), split), manifest);
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
        for (Map.Entry<Split, SplitStatus> entry : splits(source).entrySet()) {
            SplitStatus split = entry.getValue();
            switch (split.state()) {
                case "preparing" -> preparing.add(entry.getKey().id() + (split.imagesTotal() >= 0 ? " ("
                        + split.imagesDone() + "/" + split.imagesTotal() + " images)" : ""));
                case "failed" -> failed.add(split.error());
                case "ready" -> prepared.add(entry.getKey().id());
                default -> { }
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

    /**
     * The dataset's content digest ({@link DatasetDigest}: SHA-256 over the shard checksums of its prepared train and
     * test splits), once both splits are prepared and verified in this process; empty before. Computed once per
     * prepared manifest pair and cached: a split prepared again (its shards changed on disk) gets a new digest.
     */
    public Optional<String> contentDigest(DatasetSource source) {
        Manifest train = ready.get(key(source, Split.TRAIN));
        Manifest test = ready.get(key(source, Split.TEST));
        if (train == null || test == null) {
            return Optional.empty();
        }
        ContentDigest known = digests.get(source.id());
        if (known != null && known.train() == train && known.test() == test) {
            return Optional.of(known.digest());
        }
        String digest = DatasetDigest.of(shardChecksums(train), shardChecksums(test));
        digests.put(source.id(), new ContentDigest(train, test, digest));
        return Optional.of(digest);
    }

    private static List<String> shardChecksums(Manifest manifest) {
        return manifest.shards().stream().map(ShardEntry::sha256).toList();
    }

    /** Per split: state, progress and error. */
    public Map<Split, SplitStatus> splits(DatasetSource source) {
        Map<Split, SplitStatus> result = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            String key = key(source, split);
            Counter counter = progress.get(key);
            String failure = failures.get(key);
            if (inFlight.containsKey(key)) {
                result.put(split, new SplitStatus("preparing", counter == null ? 0 : counter.done.get(),
                        counter == null ? -1 : counter.total.get(), null));
            } else if (failure != null) {
                result.put(split, new SplitStatus("failed", 0, -1, failure));
            } else if (ready.containsKey(key)) {
                int count = ready.get(key).count();
                result.put(split, new SplitStatus("ready", count, count, null));
            } else if (Files.isRegularFile(Path.of(key).resolve(Preprocessor.MANIFEST))) {
                int count = Preprocessor.readManifest(Path.of(key)).map(Manifest::count).orElse(-1);
                result.put(split, new SplitStatus("ready", count, count, null));
            } else {
                result.put(split, new SplitStatus("not-prepared", 0, -1, null));
            }
        }
        return result;
    }

    /**
     * Starts preparing every split of {@code dataset} on {@code executor} (each split once, however often asked);
     * returns at once. Missing data is a 503 right away; later failures show in {@link #splits}.
     */
    public void prepareAll(String dataset, Executor executor) {
        DatasetSource source = sources.get(dataset);
        Optional<String> missing = source.missing();
        if (missing.isPresent()) {
            throw DatasetException.missingData(dataset, missing.get());
        }
        for (Split split : Split.values()) {
            executor.execute(() -> {
                try {
                    manifest(dataset, split);
                } catch (RuntimeException e) {
                    // recorded in failures (and logged by the listener's caller); nothing else to do here
                }
            });
        }
    }

    private Manifest loadOrPrepare(DatasetSource source, Split split) throws IOException {
        Path dir = splitDir(source, split);
        Optional<Manifest> existing = Preprocessor.loadVerified(dir)
                .filter(m -> m.dataset().equals(source.id()) && m.split().equals(split.id()));
        if (existing.isPresent()) {
            listener.hit(source.id(), split);
            return existing.get();
        }
        Counter counter = new Counter();
        progress.put(key(source, split), counter);
        Preprocessor.Result result = preprocessor.prepare(source, split, dir, counter);
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
        if (e instanceof FormatException) {
            return DatasetException.corruptData(dataset, e);
        }
        return DatasetException.preparationFailed(dataset, split.id(), e);
    }

    private String key(DatasetSource source, Split split) {
        return splitDir(source, split).toString();
    }
}
