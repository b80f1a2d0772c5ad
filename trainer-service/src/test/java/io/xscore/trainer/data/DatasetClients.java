package io.xscore.trainer.data;

import io.xscore.trainer.client.DatasetServiceClient;
import io.xscore.trainer.client.StandaloneRestClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link DatasetClient}s over a dataset service at a URL, for plain tests that run without CDI: the same
 * {@link DatasetServiceClient} interface through {@link StandaloneRestClient} (no retries or circuit breaker; the
 * service injects the REST Client bean, which has them).
 */
public final class DatasetClients {

    private DatasetClients() {
    }

    /** With an unbounded shard cache in {@code cacheDir}; {@code timeout}: the read timeout of one request. */
    public static DatasetClient overHttp(String baseUrl, Path cacheDir, Duration timeout) {
        return overHttp(baseUrl, new ShardCache(cacheDir, 0), timeout);
    }

    public static DatasetClient overHttp(String baseUrl, ShardCache cache, Duration timeout) {
        return overHttp(baseUrl, cache, timeout, Duration.ZERO);
    }

    /** Waiting up to {@code unavailableWait} for an unreachable service, as the service's own client does. */
    public static DatasetClient overHttp(String baseUrl, ShardCache cache, Duration timeout, Duration unavailableWait) {
        return new DatasetClient(StandaloneRestClient.create(DatasetServiceClient.class, baseUrl, timeout), cache,
                unavailableWait);
    }
}
