package io.xscore.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code xscore.dataset.*}: where data comes from and where prepared shards go. */
@ConfigMapping(prefix = "xscore.dataset")
public interface DatasetConfig {

    /** Directory with the four Fashion-MNIST IDX files (gzipped or not); a registration overrides it. */
    @WithDefault("/usr/share/datasets/fashion-mnist")
    Path fashionMnistDir();

    /** Root of the shard cache (also holds registry.json): {@code <cache-dir>/<dataset>/<split>-r<res>-<key>/}. */
    @WithDefault("${java.io.tmpdir}/xscore-datasets")
    Path cacheDir();

    /** Where downloads are unpacked ({@code <data-dir>/<id>/}) and where unregistered datasets are looked for. */
    @WithDefault("${java.io.tmpdir}/xscore-data")
    Path dataDir();

    /** Directories under which {@code POST .../register} accepts paths (the data dir should be one of them). */
    @WithDefault("${java.io.tmpdir}/xscore-data,/usr/share/datasets,/data")
    List<Path> allowedRoots();

    /** Most images per shard. */
    @WithDefault("10000")
    @Min(1)
    int shardImages();

    /** Most pixel bytes per shard (bounds memory: one shard is built in memory at a time). */
    @WithDefault("268435456")
    @Min(1)
    long shardBytes();

    /** Threads decoding images; 0 = one per core. */
    @WithDefault("0")
    @Min(0)
    int preprocessThreads();

    /** Refuse to write shards beyond this many bytes under the cache directory; 0 = no limit. */
    @WithDefault("0")
    @Min(0)
    long maxCacheBytes();

    /** Refuse to write a file that would leave less than this many bytes free on the cache's file system. */
    @WithDefault("67108864")
    @Min(0)
    long minFreeBytes();

    /** JSON file with download sources replacing the built-in {@code datasets/sources.json} (tests, mirrors). */
    Optional<Path> sourcesFile();

    /** {@code xscore.dataset.augmentation.*}: the pre-computed augmented epochs (see {@code AugmentationStore}). */
    AugmentationCache augmentation();

    interface AugmentationCache {

        /** Root of the augmented epochs: {@code <dir>/<dataset>/<key>/epoch-00007/}. */
        @WithDefault("${java.io.tmpdir}/xscore-augmented")
        Path dir();

        /** Threads augmenting the images of the epoch being computed; 0 = one per core. */
        @WithDefault("0")
        @Min(0)
        int threads();

        /** Most bytes of ready epochs kept; least recently used ones are evicted to make room; 0 = no limit. */
        @WithDefault("34359738368")
        @Min(0)
        long maxBytes();
    }
}
