package io.xscore.dataset.config;

import io.xscore.dataset.cache.DatasetMetrics;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.preprocess.Preprocessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the plain classes from configuration. */
@ApplicationScoped
public class DatasetBeans {

    @Produces
    @Singleton
    DatasetSources sources(DatasetConfig config) {
        return new DatasetSources(config.fashionMnistDir());
    }

    @Produces
    @Singleton
    SplitCache splitCache(DatasetConfig config, DatasetSources sources, DatasetMetrics metrics) {
        return new SplitCache(sources, config.cacheDir(), new Preprocessor(config.shardImages()), metrics);
    }
}
