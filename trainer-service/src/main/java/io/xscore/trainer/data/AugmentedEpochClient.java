package io.xscore.trainer.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.common.hash.Sha256;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.client.DatasetServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Pre-computed augmented epochs from the dataset service's augmentation cache
 * ({@code /api/v1/datasets/{id}/augmented}): asks the service to compute the next {@code lookahead} epochs ahead of
 * training, takes an epoch when it is ready, and prefetches the following one in the background while the current
 * epoch trains. Epoch shards are verified against their SHA-256 and kept in memory only (each is used once).
 *
 * <p>Shards over HTTP are limited by the network (a 224 px image is 150 KB: 10,000 images/s is ~12 Gbit/s). Where the
 * trainer can mount the dataset service's augmentation directory (a shared or node-local volume), {@code sharedDir}
 * makes it read the shard files from there ({@code <dir>/<dataset>/<key>/epoch-NNNNN/<shard>}, the service's layout),
 * still verified against the manifest's SHA-256 and falling back to HTTP for a shard that is missing or differs (e.g.
 * evicted meanwhile). The manifest always comes over HTTP: it says whether the epoch is ready and marks it used.
 *
 * <p>Never fails a job: a refused request (pipeline not cacheable, service without the cache), an unreachable
 * service or an epoch not ready in time means the epoch is augmented on the fly, and {@link #note()} says why.
 */
public final class AugmentedEpochClient implements AugmentedEpochs {

    private static final Logger LOG = Logger.getLogger(AugmentedEpochClient.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");

    /** The part of the status body the client needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Status(String key) {
    }

    private final DatasetClient client;
    private final String dataset;
    private final String augmentation;
    private final int resolution;
    private final long seed;
    private final int lookahead;
    private final Path sharedDir;
    private final AtomicLong shardsFromSharedDir = new AtomicLong();
    private final ExecutorService prefetcher = Executors.newSingleThreadExecutor(
            DaemonThreads.named("augmented-epoch-prefetch"));
    private final Map<Integer, String> online = new ConcurrentSkipListMap<>();
    private int epochs;
    private String key;
    private String disabled;
    private int prefetchedEpoch = -1;
    private CompletableFuture<Optional<ImageSet>> prefetched;

    /**
     * @param augmentation the protocol's pipeline name ("paper"), as the trainer resolves it for {@code dataset}
     * @param lookahead    epochs the service computes ahead of the one training (at least 1)
     */
    public AugmentedEpochClient(DatasetClient client, String dataset, String augmentation, int resolution, long seed,
                                int lookahead) {
        this(client, dataset, augmentation, resolution, seed, lookahead, null);
    }

    /** @param sharedDir the dataset service's augmentation directory as mounted here, or null: shards over HTTP */
    public AugmentedEpochClient(DatasetClient client, String dataset, String augmentation, int resolution, long seed,
                                int lookahead, Path sharedDir) {
        this.sharedDir = sharedDir;
        this.client = client;
        this.dataset = dataset;
        this.augmentation = augmentation;
        this.resolution = resolution;
        this.seed = seed;
        this.lookahead = Math.max(1, lookahead);
    }

    @Override
    public void start(int firstEpoch, int epochs) {
        this.epochs = epochs;
        request(firstEpoch, Math.min(epochs, firstEpoch + lookahead + 1) - 1);
    }

    @Override
    public Optional<ImageSet> epoch(int epoch) {
        if (disabled != null) {
            return Optional.empty();
        }
        // the epochs ahead, not this one: if it is not ready now it trains on the fly, and work on it would only delay
        // the next (the service computes in request order)
        request(epoch + 1, Math.min(epochs, epoch + 1 + lookahead) - 1);
        Optional<ImageSet> images = Optional.empty();
        if (prefetchedEpoch == epoch && prefetched != null) {
            images = prefetched.join();
        }
        if (images.isEmpty()) {
            images = load(epoch);
        }
        prefetched = null;
        prefetchedEpoch = -1;
        if (disabled == null && key != null && epoch + 1 < epochs) {
            int next = epoch + 1;
            prefetchedEpoch = next;
            prefetched = CompletableFuture.supplyAsync(() -> loadQuietly(next), prefetcher);
        }
        if (images.isPresent()) {
            online.remove(epoch);
            LOG.infof("%s: epoch %d from the augmentation cache (key %s%s)", dataset, epoch + 1, key,
                    sharedDir == null ? "" : "; shards read from " + sharedDir + " so far: " + shardsFromSharedDir());
        } else {
            LOG.infof("%s: epoch %d augmented on the fly (%s)", dataset, epoch + 1, online.get(epoch));
        }
        return images;
    }

    @Override
    public String note() {
        if (disabled != null) {
            return disabled;
        }
        if (online.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        online.forEach((epoch, why) -> parts.add("epoch " + (epoch + 1) + ": " + why));
        String all = String.join("; ", parts);
        return all.length() > 500 ? all.substring(0, 497) + "..." : all;
    }

    /** Shards read from the shared directory instead of over HTTP (for tests and logs). */
    public long shardsFromSharedDir() {
        return shardsFromSharedDir.get();
    }

    /** The shard's bytes from the shared directory if it is there and intact; null to fetch it over HTTP. */
    private byte[] fromSharedDir(int epoch, Manifest.Shard s) {
        if (sharedDir == null) {
            return null;
        }
        Path file = sharedDir.resolve(dataset).resolve(key)
                .resolve(String.format(Locale.ROOT, "epoch-%05d", epoch)).resolve(s.name());
        try {
            if (!Files.isRegularFile(file) || Files.size(file) != s.bytes()) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (!Sha256.hex(bytes).equals(s.sha256())) {
                LOG.warnf("%s differs from its manifest; fetching it over HTTP", file);
                return null;
            }
            shardsFromSharedDir.incrementAndGet();
            return bytes;
        } catch (IOException e) {
            return null; // evicted while reading, or unreadable: HTTP decides
        }
    }

    @Override
    public void close() {
        prefetcher.shutdownNow();
    }

    /**
     * Asks the service for epochs {@code from..last}. Idempotent on its side (ready, queued or running epochs are not
     * redone), so asking for the whole window every epoch costs little and re-queues what a restarted service forgot.
     * A refusal (4xx: pipeline not cacheable, unknown dataset, a service without the cache) turns the cache off for
     * this job; a 5xx or an unreachable service is transient and asked again at the next epoch.
     */
    private void request(int from, int last) {
        if (disabled != null || last < from) {
            return;
        }
        List<Integer> wanted = new ArrayList<>();
        for (int e = from; e <= last; e++) {
            wanted.add(e);
        }
        String what = "augmented epochs " + wanted + " of " + dataset;
        DatasetServiceClient.AugmentationRequest body = new DatasetServiceClient.AugmentationRequest("train",
                augmentation, resolution, seed, wanted);
        try {
            byte[] answer = DatasetClient.once(what, () -> client.service().requestAugmentedEpochs(dataset, body));
            String answered = DatasetClient.json(answer, Status.class, "augmentation status").key();
            if (answered == null || !KEY.matcher(answered).matches()) {
                disabled = "augmentation cache answered no valid key";
                return;
            }
            key = answered;
        } catch (DatasetClient.Answered e) {
            if (e.status() >= 400 && e.status() < 500) {
                disabled = "augmentation cache refused the request (" + e.status() + e.detail() + ")";
                LOG.warnf("%s: %s; augmenting on the fly", dataset, disabled);
                return;
            }
            LOG.warnf("%s: the augmentation cache answered %d%s to %s; asking again next epoch", dataset, e.status(),
                    e.detail(), what);
        } catch (DatasetFetchException e) {
            LOG.warnf("%s: could not request %s: %s", dataset, what, e.getMessage());
        }
    }

    private Optional<ImageSet> loadQuietly(int epoch) {
        try {
            return load(epoch);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The epoch if the service has it ready; empty (with the reason recorded) otherwise. */
    private Optional<ImageSet> load(int epoch) {
        if (key == null) {
            online.put(epoch, "augmentation cache not reachable");
            return Optional.empty();
        }
        String epochKey = key;
        String what = "augmented epoch " + (epoch + 1) + " of " + dataset;
        DatasetServiceClient service = client.service();
        try {
            byte[] body;
            try {
                body = DatasetClient.once(what, () -> service.augmentedManifest(dataset, epochKey, epoch));
            } catch (DatasetClient.Answered e) {
                online.put(epoch, "not ready in the augmentation cache (" + e.status() + e.detail() + ")");
                return Optional.empty();
            }
            Manifest manifest = DatasetClient.json(body, Manifest.class, "manifest of " + what);
            if (manifest.shards() == null || manifest.shards().isEmpty()) {
                throw new DatasetFetchException("manifest of " + what + " lists no shards");
            }
            List<ImageShard> shards = new ArrayList<>();
            for (Manifest.Shard s : manifest.shards()) {
                DatasetClient.checkEntry(manifest, s);
                byte[] bytes = fromSharedDir(epoch, s);
                if (bytes == null) {
                    bytes = client.downloadVerified(s, Duration.ZERO,
                            () -> service.augmentedShard(dataset, epochKey, epoch, s.name()));
                }
                shards.add(DatasetClient.parse(bytes, s.name()));
            }
            return Optional.of(DatasetClient.images(manifest, shards, what));
        } catch (DatasetFetchException | IllegalArgumentException e) {
            online.put(epoch, "augmentation cache failed: " + e.getMessage());
            LOG.warnf("%s: %s", what, e.getMessage());
            return Optional.empty();
        }
    }
}
