package io.xscore.dataset.health;

import io.xscore.dataset.config.DatasetConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the shard cache directory exists (or can be created) and is writable. */
@Readiness
@ApplicationScoped
public class CacheDirHealthCheck implements HealthCheck {

    private final DatasetConfig config;

    public CacheDirHealthCheck(DatasetConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Path dir = config.cacheDir();
        try {
            Files.createDirectories(dir);
            boolean writable = Files.isWritable(dir);
            return HealthCheckResponse.named("dataset-cache-dir").status(writable).withData("dir", dir.toString())
                    .build();
        } catch (IOException e) {
            return HealthCheckResponse.named("dataset-cache-dir").down().withData("dir", dir.toString())
                    .withData("error", e.toString()).build();
        }
    }
}
