package io.xscore.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentedEpochClientTest {

    private static final ImageShard SOURCE = TestImages.twoClasses(24, 20, 2, 3);

    @TempDir
    Path cache;

    private AugmentedEpochClient client(AugmentedEpochServer server, int lookahead) {
        DatasetClient http = DatasetClients.overHttp(server.url(), cache, Duration.ofSeconds(10));
        return new AugmentedEpochClient(http, "cifar10", "paper", 16, 7, lookahead);
    }

    @Test
    void streamsReadyEpochsAndAsksAheadOfTraining() throws Exception {
        try (AugmentedEpochServer server = new AugmentedEpochServer(SOURCE, "cifar10", 16);
             AugmentedEpochClient client = client(server, 2)) {
            server.ready.add(0);
            client.start(0, 5);
            assertEquals(List.of(0, 1, 2), epochs(server.requests.get(0)));
            assertEquals("train", server.requests.get(0).get("split").asText());
            assertEquals("paper", server.requests.get(0).get("augmentation").asText());
            assertEquals(16, server.requests.get(0).get("resolution").asInt());
            assertEquals(7, server.requests.get(0).get("seed").asLong());

            Optional<ImageSet> first = client.epoch(0);
            assertTrue(first.isPresent());
            ImageShard expected = AugmentedEpochServer.epoch(SOURCE, "cifar10", 16, 7, 0);
            assertEquals(24, first.get().size());
            assertEquals(16, first.get().height());
            assertArrayEquals(expected.pixels(), first.get().pixels(0));
            assertEquals(List.of(1, 2), epochs(server.requests.get(1)), "the window ahead again: idempotent, survives restarts");

            // epoch 1 is still being computed: augmented on the fly, and the note says why
            assertTrue(client.epoch(1).isEmpty());
            assertEquals(List.of(2, 3), epochs(server.requests.get(2)), "keeps two epochs ahead of training");
            assertTrue(client.note().contains("epoch 2: not ready in the augmentation cache (409: epoch 1 is RUNNING"),
                    client.note());
            server.ready.add(2);
            assertTrue(client.epoch(2).isPresent());
        }
    }

    @Test
    void readsShardsFromASharedVolumeAndFallsBackToHttpForOnesThatDiffer(@TempDir Path shared) throws Exception {
        try (AugmentedEpochServer server = new AugmentedEpochServer(SOURCE, "cifar10", 16);
             AugmentedEpochClient client = new AugmentedEpochClient(DatasetClients.overHttp(server.url(), cache,
                     Duration.ofSeconds(10)), "cifar10", "paper", 16, 7, 1, shared)) {
            server.ready.addAll(List.of(0, 1));
            Path epoch0 = server.writeEpoch(shared, 7, 0);
            // epoch 1's file holds epoch 0's bytes: same size, wrong content
            java.nio.file.Files.copy(epoch0, server.writeEpoch(shared, 7, 1),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            client.start(0, 2);

            ImageSet first = client.epoch(0).orElseThrow();
            assertArrayEquals(AugmentedEpochServer.epoch(SOURCE, "cifar10", 16, 7, 0).pixels(), first.pixels(0));
            assertEquals(1, client.shardsFromSharedDir());
            ImageSet second = client.epoch(1).orElseThrow();
            assertArrayEquals(AugmentedEpochServer.epoch(SOURCE, "cifar10", 16, 7, 1).pixels(), second.pixels(0));
            assertEquals(1, client.shardsFromSharedDir(), "the wrong copy was not used");
            assertEquals(1, server.shardRequests.get(), "only epoch 1's shard came over HTTP");
        }
    }

    @Test
    void aRefusedRequestMeansEveryEpochOnTheFly() throws Exception {
        try (AugmentedEpochServer server = new AugmentedEpochServer(SOURCE, "cifar10", 16);
             AugmentedEpochClient client = client(server, 2)) {
            server.postStatus = 422;
            server.ready.add(0);
            client.start(0, 3);
            assertTrue(client.epoch(0).isEmpty());
            assertTrue(client.epoch(1).isEmpty());
            assertEquals(1, server.requests.size(), "no further requests once refused");
            assertNotNull(client.note());
            assertTrue(client.note().contains("refused the request (422: pipeline 'light' has nothing worth caching)"),
                    client.note());
        }
    }

    @Test
    void aServerErrorIsTransient() throws Exception {
        try (AugmentedEpochServer server = new AugmentedEpochServer(SOURCE, "cifar10", 16);
             AugmentedEpochClient client = client(server, 1)) {
            server.postStatus = 503;
            client.start(0, 3);
            assertTrue(client.epoch(0).isEmpty());
            server.postStatus = 202;
            server.ready.add(1);
            assertTrue(client.epoch(1).isPresent(), "asked again once the service was back");
            assertEquals(3, server.requests.size());
        }
    }

    @Test
    void anEpochFailingItsChecksumIsNotUsed() throws Exception {
        try (AugmentedEpochServer server = new AugmentedEpochServer(SOURCE, "cifar10", 16);
             AugmentedEpochClient client = client(server, 1)) {
            server.ready.add(0);
            server.corrupt = true;
            client.start(0, 2);
            assertTrue(client.epoch(0).isEmpty());
            assertTrue(client.note().contains("failed its checksum"), client.note());
        }
    }

    @Test
    void anUnreachableServiceIsNotAFailure() {
        DatasetClient http = DatasetClients.overHttp("http://127.0.0.1:9", cache, Duration.ofSeconds(2));
        try (AugmentedEpochClient client = new AugmentedEpochClient(http, "cifar10", "paper", 16, 7, 2)) {
            client.start(0, 2);
            assertTrue(client.epoch(0).isEmpty());
            assertTrue(client.note().contains("not reachable"), client.note());
        }
    }

    private static List<Integer> epochs(com.fasterxml.jackson.databind.JsonNode request) {
        List<Integer> out = new java.util.ArrayList<>();
        request.get("epochs").forEach(n -> out.add(n.asInt()));
        return out;
    }
}
