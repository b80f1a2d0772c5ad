package io.xscore.dataset.download;

import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.DatasetRegistry;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.config.DatasetConfig;
import io.xscore.dataset.metrics.DatasetMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/datasets/{id}/download}: fetches the dataset's files (see {@link DownloadSources}) into
 * {@code <data-dir>/.downloads/<id>/} with {@link Downloader} (resumable, verified), unpacks archives into a hidden
 * staging directory, renames it to {@code <data-dir>/<id>} and registers that directory. One download per dataset at
 * a time; progress and errors in {@link #status}.
 */
@ApplicationScoped
public class DownloadService {

    private static final Logger LOG = Logger.getLogger(DownloadService.class);

    /** State of a dataset's download: idle | downloading | unpacking | done | failed. */
    public record Status(String dataset, String state, String file, long bytesDone, long bytesTotal,
            List<String> verified, String error, String page, String note) {
    }

    private final DatasetConfig config;
    private final DatasetSources sources;
    private final DatasetMetrics metrics;
    private final ExecutorService background;

    private DownloadSources catalog;
    private Downloader downloader;
    private final Map<String, Status> states = new ConcurrentHashMap<>();

    public DownloadService(DatasetConfig config, DatasetSources sources, DatasetMetrics metrics,
            @Named("background") ExecutorService background) {
        this.config = config;
        this.sources = sources;
        this.metrics = metrics;
        this.background = background;
    }

    @PostConstruct
    void init() {
        try {
            catalog = DownloadSources.load(config.sourcesFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the download sources: " + e.getMessage(), e);
        }
        downloader = new Downloader(Duration.ofSeconds(20), Duration.ofSeconds(60));
    }

    public Status status(String id) {
        sources.get(id);
        DownloadSources.DatasetDownload source = catalog.get(id).orElse(null);
        return states.getOrDefault(id, new Status(id, "idle", null, 0, -1, List.of(), null,
                source == null ? null : source.page(), source == null ? "no download source" : source.note()));
    }

    /** Starts the download in the background (or returns the one running). */
    public synchronized Status start(String id) {
        sources.get(id);
        DownloadSources.DatasetDownload source = catalog.get(id).orElseThrow(() -> new DatasetException(404,
                "no-download-source", "No download source", "dataset '" + id + "' has no download source", null));
        if (source.files().isEmpty()) {
            throw new DatasetException(409, "manual-download", "Download by hand",
                    "dataset '" + id + "' cannot be downloaded automatically: " + source.note(), null);
        }
        Status current = states.get(id);
        if (current != null && (current.state().equals("downloading") || current.state().equals("unpacking"))) {
            return current;
        }
        Status started = new Status(id, "downloading", null, 0, -1, List.of(), null, source.page(), source.note());
        states.put(id, started);
        background.execute(() -> run(id, source));
        return started;
    }

    private void run(String id, DownloadSources.DatasetDownload source) {
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        Path downloads = dataDir.resolve(".downloads").resolve(id);
        List<String> verified = new ArrayList<>();
        try {
            List<Downloader.Outcome> outcomes = new ArrayList<>();
            for (DownloadSources.FileSpec file : source.files()) {
                AtomicLong done = new AtomicLong();
                AtomicLong total = new AtomicLong(-1);
                Downloader.Listener listener = new Downloader.Listener() {
                    @Override
                    public void started(String name, long offset, long expected) {
                        done.set(offset);
                        total.set(expected);
                        update(id, source, "downloading", name, offset, expected, verified, null);
                    }

                    @Override
                    public void received(long bytes) {
                        metrics.downloaded(id, bytes);
                        update(id, source, "downloading", file.name(), done.addAndGet(bytes), total.get(), verified,
                                null);
                    }
                };
                Downloader.Outcome outcome = downloader.fetch(file, downloads, listener);
                verified.add(file.name() + ": " + outcome.verification() + " (sha256 " + outcome.sha256() + ")");
                outcomes.add(outcome);
            }
            update(id, source, "unpacking", null, 0, -1, verified, null);
            Path staging = dataDir.resolve("." + id + ".unpack-" + UUID.randomUUID());
            try {
                for (int i = 0; i < outcomes.size(); i++) {
                    Path file = outcomes.get(i).file();
                    if (source.files().get(i).unpack() && Archives.isArchive(file.getFileName().toString())) {
                        Archives.extract(file, staging);
                    } else {
                        Files.createDirectories(staging);
                        Files.copy(file, staging.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path target = dataDir.resolve(id);
                if (Files.exists(target)) {
                    Path old = dataDir.resolve("." + id + ".old-" + UUID.randomUUID());
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                    deleteTree(old);
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                sources.register(id, target, new DatasetRegistry.Entry(null, null, null, null, null, null));
            } finally {
                deleteTree(staging);
            }
            update(id, source, "done", null, 0, -1, verified, null);
            LOG.infof("downloaded %s into %s: %s", id, dataDir.resolve(id), verified);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("download of %s failed: %s", id, e.getMessage());
            update(id, source, "failed", null, 0, -1, verified, e.getMessage());
        }
    }

    private void update(String id, DownloadSources.DatasetDownload source, String state, String file, long done,
            long total, List<String> verified, String error) {
        states.put(id, new Status(id, state, file, done, total, List.copyOf(verified), error, source.page(),
                source.note()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
