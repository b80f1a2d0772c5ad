package io.xscore.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;

/** {@code xscore.dataset.*}: where data comes from and where prepared shards go. */
@ConfigMapping(prefix = "xscore.dataset")
public interface DatasetConfig {

    /** Directory with the four Fashion-MNIST IDX files (gzipped or not). */
    @WithDefault("/usr/share/datasets/fashion-mnist")
    Path fashionMnistDir();

    /** Root of the shard cache: {@code <cache-dir>/<dataset>/<split>/{manifest.json,shard-NNNNN.xsh}}. */
    @WithDefault("${java.io.tmpdir}/xscore-datasets")
    Path cacheDir();

    /** Most images per shard. */
    @WithDefault("10000")
    @Min(1)
    int shardImages();
}
