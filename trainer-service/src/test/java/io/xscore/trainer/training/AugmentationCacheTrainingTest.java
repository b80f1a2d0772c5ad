package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.data.AugmentedEpochClient;
import io.xscore.trainer.data.AugmentedEpochServer;
import io.xscore.trainer.data.AugmentedEpochs;
import io.xscore.trainer.data.DatasetClients;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer can take its augmented images from the dataset service's cache or make them itself, with the same
 * training run either way (same losses, same accuracies), and the outcome says which path ran.
 */
class AugmentationCacheTrainingTest {

    private static final Normalisation HALF = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));
    private static final ImageShard TRAIN = TestImages.twoClasses(96, 20, 2, 21);

    @TempDir
    Path cache;

    /** quick at 16 px, but with the paper pipeline (cifar-style: RandAugment + ColorJitter), which is cacheable. */
    private static TrainingSetup setup(int trainSubset) {
        ProtocolSpec p = Protocols.resolve("quick", Map.of("epochs", 3, "resolution", 16));
        ProtocolSpec paperAugmented = new ProtocolSpec(p.name(), p.version(), false, p.epochs(), p.warmupEpochs(),
                p.lrMax(), p.lrMin(), p.lrMaxByModel(), 32, p.labelSmoothing(), p.cutmixAlpha(), p.adamBeta1(),
                p.adamBeta2(), p.adamEpsilon(), p.weightDecay(), null, null, 16, "paper", p.overrides());
        ImageSet train = ImageSet.of(List.of(TRAIN)).subset(trainSubset, 4);
        ImageSet test = ImageSet.of(List.of(TestImages.twoClasses(32, 20, 2, 22)));
        return new TrainingSetup("job-cache", "convmixer-32-2", "synthetic-shapes", paperAugmented, 3, 16, 2, train,
                test, HALF, 0);
    }

    @Test
    void cachedAndOnTheFlyEpochsTrainIdentically() throws Exception {
        TrainingOutcome online = new TrainingLoop(1).run(setup(80), TrainingListener.NONE);
        assertEquals("online", online.augmentationSource().source());
        assertEquals(3, online.augmentationSource().onlineEpochs());
        assertEquals("augmentation cache off", online.augmentationSource().note());

        try (AugmentedEpochServer server = new AugmentedEpochServer(TRAIN, "synthetic-shapes", 16);
             AugmentedEpochClient client = new AugmentedEpochClient(DatasetClients.overHttp(server.url(), cache,
                     Duration.ofSeconds(10)), "synthetic-shapes", "paper", 16, 3, 2)) {
            server.ready.addAll(List.of(0, 2)); // epoch 1 "still computing"
            TrainingOutcome mixed = new TrainingLoop(1, client).run(setup(80), TrainingListener.NONE);
            assertEquals(online.trainLosses(), mixed.trainLosses());
            assertEquals(online.epochTestAccuracies(), mixed.epochTestAccuracies());
            TrainingResult.AugmentationRecord record = mixed.augmentationSource();
            assertEquals("mixed", record.source());
            assertEquals(2, record.cachedEpochs());
            assertEquals(1, record.onlineEpochs());
            assertTrue(record.note().startsWith("epoch 2: not ready"), record.note());
            assertEquals(online.augmentation(), record.pipeline());
        }
    }

    @Test
    void everyEpochFromTheCache() throws Exception {
        try (AugmentedEpochServer server = new AugmentedEpochServer(TRAIN, "synthetic-shapes", 16);
             AugmentedEpochClient client = new AugmentedEpochClient(DatasetClients.overHttp(server.url(), cache,
                     Duration.ofSeconds(10)), "synthetic-shapes", "paper", 16, 3, 1)) {
            server.ready.addAll(List.of(0, 1, 2));
            TrainingOutcome cached = new TrainingLoop(0, client).run(setup(96), TrainingListener.NONE);
            assertEquals("cache", cached.augmentationSource().source());
            assertEquals(3, cached.augmentationSource().cachedEpochs());
            assertNull(cached.augmentationSource().note());
        }
    }

    @Test
    void anEpochOfTheWrongGeometryIsAugmentedOnTheFlyInstead() {
        TrainingSetup setup = setup(96);
        ImageSet wrong = ImageSet.of(List.of(TestImages.twoClasses(96, 20, 2, 5)));
        assertNull(TrainingLoop.usable(java.util.Optional.of(wrong), setup.train(), setup, 0));
        ImageSet right = ImageSet.of(List.of(AugmentedEpochServer.epoch(TRAIN, "synthetic-shapes", 16, 3, 0)));
        assertEquals(right, TrainingLoop.usable(java.util.Optional.of(right), setup.train(), setup, 0));
        AugmentedEpochs none = AugmentedEpochs.none("off");
        assertTrue(none.epoch(0).isEmpty());
    }
}
