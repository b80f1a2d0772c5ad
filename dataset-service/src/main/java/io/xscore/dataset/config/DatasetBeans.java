package io.xscore.dataset.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.dataset.augmentation.AugmentationStore;
import io.xscore.dataset.cache.CacheSpaceGuard;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.AllowedRoots;
import io.xscore.dataset.catalog.DatasetRegistry;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preview.Previews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;

/** Wires the plain classes from configuration. */
@ApplicationScoped
public class DatasetBeans {

    /** Bounded pool decoding images (one thread per core unless configured). */
    private ExecutorService decodePool;
    /** Runs background work: preparations started by POST .../prepare and downloads (a few at a time). */
    private ExecutorService background;
    private AugmentationStore augmentationStore;

    @Produces
    @Singleton
    DatasetSources sources(DatasetConfig config) {
        ImageIO.scanForPlugins();
        int threads = config.preprocessThreads() > 0 ? config.preprocessThreads()
                : Runtime.getRuntime().availableProcessors();
        decodePool = Executors.newFixedThreadPool(threads, DaemonThreads.named("xscore-decode"));
        return new DatasetSources(config.fashionMnistDir(), config.dataDir(),
                new DatasetRegistry(config.cacheDir().resolve("registry.json")), decodePool);
    }

    @Produces
    @Singleton
    SplitCache splitCache(DatasetConfig config, DatasetSources sources, SplitCache.Listener metrics) {
        Preprocessor preprocessor = new Preprocessor(config.shardImages(), config.shardBytes(),
                new CacheSpaceGuard(config.cacheDir(), config.maxCacheBytes(), config.minFreeBytes()));
        return new SplitCache(sources, config.cacheDir(), preprocessor, metrics);
    }

    /** Previews of test images under a robustness suite's perturbations, read from the split cache's shards. */
    @Produces
    @Singleton
    Previews previews(SplitCache cache) {
        return new Previews(cache);
    }

    /**
     * The augmentation cache under {@code xscore.dataset.augmentation.dir}: output shards sized like the split shards,
     * free disk space guarded like the shard cache ({@code min-free-bytes}); its own bound is {@code max-bytes}.
     */
    @Produces
    @Singleton
    AugmentationStore augmentationStore(DatasetConfig config, SplitCache cache, DatasetSources sources,
            AugmentationStore.Listener metrics) {
        DatasetConfig.AugmentationCache settings = config.augmentation();
        augmentationStore = new AugmentationStore(new AugmentationStore.Settings(settings.dir(), settings.maxBytes(),
                settings.threads(), config.shardImages(), config.shardBytes(),
                new CacheSpaceGuard(settings.dir(), 0, config.minFreeBytes())), cache, sources, metrics);
        return augmentationStore;
    }

    /** Creates the augmentation cache at start-up, so leftover partial epochs are removed before any request. */
    void startup(@Observes StartupEvent event, AugmentationStore store) {
        store.dir();
    }

    @Produces
    @Singleton
    AllowedRoots allowedRoots(DatasetConfig config) {
        return new AllowedRoots(config.allowedRoots());
    }

    @Produces
    @Singleton
    @Named("background")
    ExecutorService background() {
        background = Executors.newFixedThreadPool(4, DaemonThreads.named("xscore-background"));
        return background;
    }

    void shutdown(@Observes ShutdownEvent event) {
        if (augmentationStore != null) {
            augmentationStore.close();
        }
        if (background != null) {
            background.shutdownNow();
        }
        if (decodePool != null) {
            decodePool.shutdownNow();
        }
    }
}
