package io.xscore.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.trainer.client.DatasetServiceClient;
import io.xscore.trainer.messaging.DatasetFixtureServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The injected REST Client ({@code quarkus.rest-client.datasets.*}, with its fault-tolerance interceptors) against the
 * dataset-service stand-in: a split comes through it, and an error status reaches the job's reason with the service's
 * problem+json detail, as with the client built from a URL ({@link DatasetClientTest}). Same test resources as the
 * other Quarkus tests, so the application is not restarted for it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(DatasetFixtureServer.class)
class DatasetServiceRestClientTest {

    @Inject
    @RestClient
    DatasetServiceClient service;

    @TempDir
    Path cache;

    @Test
    void fetchesSplitsAndReportsTheServiceReason() {
        DatasetClient client = new DatasetClient(service, new ShardCache(cache, 0), Duration.ZERO);
        DatasetClient.Split split = client.fetch("synthetic-shapes", "train");
        assertEquals(128, split.images().size());
        assertEquals(10, split.manifest().classes());

        DatasetFetchException missing = assertThrows(DatasetFetchException.class,
                () -> client.fetch("no-such-dataset", "train"));
        assertEquals("dataset service answered 404 for manifest of no-such-dataset/train: no such dataset or split: "
                + "/api/v1/datasets/no-such-dataset/splits/train/manifest", missing.getMessage());

        // a shard stream: the error body is still readable
        DatasetFetchException shard = assertThrows(DatasetFetchException.class, () -> client.downloadVerified(
                new Manifest.Shard("part-99999.xsh", 1, 1, "0".repeat(64)), Duration.ZERO,
                () -> service.splitShard("synthetic-shapes", "train", "part-99999.xsh")));
        assertEquals("dataset service answered 404 for shard part-99999.xsh: no such dataset or split: "
                + "/api/v1/datasets/synthetic-shapes/splits/train/shards/part-99999.xsh", shard.getMessage());
    }

    @Test
    void aRefusalOfTheAugmentationCacheComesWithItsReason() {
        DatasetClient client = new DatasetClient(service, new ShardCache(cache, 0), Duration.ZERO);
        // the stand-in has no augmentation cache: 404 to the POST
        try (AugmentedEpochClient augmented = new AugmentedEpochClient(client, "synthetic-shapes", "paper", 16, 1, 1)) {
            augmented.start(0, 2);
            assertTrue(augmented.epoch(0).isEmpty());
            assertEquals("augmentation cache refused the request (404: no such dataset or split: "
                    + "/api/v1/datasets/synthetic-shapes/augmented)", augmented.note());
        }
    }
}
