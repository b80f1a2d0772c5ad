package io.xscore.dataset.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.xscore.dataset.augmentation.AugmentationStore;
import io.xscore.dataset.cache.CacheSpaceGuard;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.config.DatasetConfig;
import io.xscore.dataset.preprocess.Preprocessor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The service's Micrometer meters: {@code xscore_dataset_images_preprocessed_total{dataset}},
 * {@code xscore_dataset_preprocess_images_per_second{dataset}} (last run), {@code xscore_dataset_cache_hits_total{dataset}},
 * {@code xscore_dataset_bytes_served_total{dataset}} (split and augmented shards) and {@code xscore_dataset_cache_bytes}
 * (size of the cache directory). The augmentation cache: {@code xscore_dataset_augmented_images_total{dataset}},
 * {@code xscore_dataset_augmentation_images_per_second} (last epoch), {@code xscore_dataset_augmentation_cache_bytes}
 * (ready epochs plus the running one's shards), {@code xscore_dataset_augmentation_cache_hits_total{dataset}} (manifest
 * reads of ready epochs), {@code xscore_dataset_augmentation_cache_evictions_total{dataset}} and
 * {@code xscore_dataset_augmentation_failures_total{dataset}}.
 */
@ApplicationScoped
public class DatasetMetrics implements SplitCache.Listener, AugmentationStore.Listener {

    private static final Logger LOG = Logger.getLogger(DatasetMetrics.class);

    private final MeterRegistry registry;
    private final DatasetConfig config;

    private final Map<String, AtomicLong> imagesPerSecond = new ConcurrentHashMap<>();
    private final AtomicLong augmentationImagesPerSecond = new AtomicLong();
    private final AtomicLong augmentationCacheBytes = new AtomicLong();

    public DatasetMetrics(MeterRegistry registry, DatasetConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @PostConstruct
    void registerCacheGauge() {
        Gauge.builder("xscore.dataset.cache.bytes", this, DatasetMetrics::cacheBytes)
                .description("Bytes of files under the shard cache directory")
                .register(registry);
        Gauge.builder("xscore.dataset.augmentation.images.per.second", augmentationImagesPerSecond, AtomicLong::get)
                .description("Images per second of the last augmented epoch computed").register(registry);
        Gauge.builder("xscore.dataset.augmentation.cache.bytes", augmentationCacheBytes, AtomicLong::get)
                .description("Bytes of ready augmented epochs plus the shards written of the running one")
                .register(registry);
    }

    @Override
    public void augmented(String dataset, int images) {
        Counter.builder("xscore.dataset.augmented.images").tag("dataset", dataset)
                .description("Images augmented and written to augmented-epoch shards").register(registry)
                .increment(images);
    }

    @Override
    public void epochReady(String dataset, int epoch, int images, double seconds) {
        if (seconds > 0) {
            augmentationImagesPerSecond.set(Math.round(images / seconds));
        }
    }

    @Override
    public void epochFailed(String dataset, int epoch, String reason) {
        Counter.builder("xscore.dataset.augmentation.failures").tag("dataset", dataset)
                .description("Augmented epochs that failed (cache full, disk full, source changed, ...)")
                .register(registry).increment();
    }

    @Override
    public void augmentationHit(String dataset) {
        Counter.builder("xscore.dataset.augmentation.cache.hits").tag("dataset", dataset)
                .description("Manifest reads of ready augmented epochs").register(registry).increment();
    }

    @Override
    public void evicted(String dataset, int epoch, long bytes) {
        Counter.builder("xscore.dataset.augmentation.cache.evictions").tag("dataset", dataset)
                .description("Ready augmented epochs evicted (least recently used) to make room").register(registry)
                .increment();
    }

    @Override
    public void augmentationCacheBytes(long bytes) {
        augmentationCacheBytes.set(bytes);
    }

    @Override
    public void prepared(String dataset, Split split, Preprocessor.Result result) {
        LOG.infof("prepared %s/%s: %d images written (%d shards written, %d reused) in %.2f s, %.0f images/s",
                dataset, split.id(), result.imagesWritten(), result.shardsWritten(), result.shardsReused(),
                result.seconds(), result.imagesPerSecond());
        Counter.builder("xscore.dataset.images.preprocessed").tag("dataset", dataset)
                .description("Images decoded or generated and written to shards").register(registry)
                .increment(result.imagesWritten());
        if (result.imagesWritten() > 0) {
            imagesPerSecond.computeIfAbsent(dataset, d -> {
                AtomicLong holder = new AtomicLong();
                Gauge.builder("xscore.dataset.preprocess.images.per.second", holder, AtomicLong::get)
                        .tag("dataset", d).description("Images per second of the last preparation run")
                        .register(registry);
                return holder;
            }).set(Math.round(result.imagesPerSecond()));
        }
    }

    @Override
    public void hit(String dataset, Split split) {
        Counter.builder("xscore.dataset.cache.hits").tag("dataset", dataset)
                .description("Manifest requests answered from an already prepared split").register(registry)
                .increment();
    }

    public void served(String dataset, long bytes) {
        Counter.builder("xscore.dataset.bytes.served").tag("dataset", dataset)
                .description("Shard bytes sent to clients").register(registry).increment(bytes);
    }

    double cacheBytes() {
        try {
            return CacheSpaceGuard.bytesUnder(config.cacheDir());
        } catch (IOException | UncheckedIOException e) {
            return Double.NaN;
        }
    }

    /** Bytes of dataset archives downloaded (including resumed parts). */
    public void downloaded(String dataset, long bytes) {
        Counter.builder("xscore.dataset.download.bytes").tag("dataset", dataset)
                .description("Bytes of dataset archives downloaded").register(registry).increment(bytes);
    }

    /** Preparation runs that failed (corrupt file, full disk, ...). */
    @Override
    public void failed(String dataset, Split split, String reason) {
        LOG.warnf("preparing %s/%s failed: %s", dataset, split.id(), reason);
        Counter.builder("xscore.dataset.preparation.failures").tag("dataset", dataset)
                .description("Split preparations that failed").register(registry).increment();
    }
}
