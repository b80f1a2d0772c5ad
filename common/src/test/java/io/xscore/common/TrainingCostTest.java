package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.ModelDefinitions;
import io.xscore.common.cost.TrainingCost;
import io.xscore.common.messaging.CostEstimate;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingCostTest {

    @Test
    void trainingMacsAreThreeForwardPassesPerImageAndEpoch() {
        CostEstimate e = TrainingCost.of(1_000_000, 2_000, 3, 1.0e9);
        assertEquals(3.0 * 1_000_000 * 2_000 * 3, e.trainingMacs());
        assertEquals(18.0, e.seconds(), 1e-9);
        assertNull(TrainingCost.of(1, 1, 1, null).seconds());
        assertNull(TrainingCost.of(1, 1, 1, 0.0).seconds());
    }

    @Test
    void theProtocolDecidesResolutionAndSubset() {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of());
        ProtocolSpec paper = Protocols.resolve("paper-v1", Map.of());
        var fashion = DatasetCatalog.find("fashion-mnist").orElseThrow();
        assertEquals(32, TrainingCost.resolution(quick, fashion));
        assertEquals(2_000, TrainingCost.trainImages(quick, fashion));
        assertEquals(28, TrainingCost.resolution(paper, fashion));
        assertEquals(60_000, TrainingCost.trainImages(paper, fashion));
        // a subset larger than the split keeps the split
        ProtocolSpec large = Protocols.resolve("quick", Map.of("trainSubset", 100_000));
        assertEquals(5_000, TrainingCost.trainImages(large, DatasetCatalog.find("synthetic-shapes").orElseThrow()));
    }

    @Test
    void estimatesComeFromTheModelDefinitions() {
        ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", 2));
        var estimate = TrainingCost.estimate("convmixer-64-2", "synthetic-shapes", quick, null);
        var definition = ModelDefinitions.find("convmixer-64-2");
        assertEquals(definition.isPresent() && !definition.get().macsByResolution().isEmpty(), estimate.isPresent());
        estimate.ifPresent(e -> {
            assertEquals(definition.get().macs(32), e.macsPerImage());
            assertEquals(3.0 * e.macsPerImage() * 2_000 * 2, e.trainingMacs());
        });
        assertTrue(TrainingCost.estimate("convmixer-64-2", "no-such-dataset", quick, null).isEmpty());
        assertTrue(TrainingCost.estimate("vgg", "synthetic-shapes", quick, null).isEmpty());
    }

    @Test
    void longestFirstPutsUnknownCostsFirst() {
        CostEstimate small = TrainingCost.of(1, 1, 1, null);
        CostEstimate big = TrainingCost.of(10, 1, 1, null);
        List<CostEstimate> list = new ArrayList<>(Arrays.asList(small, null, big));
        list.sort(TrainingCost.longestFirst());
        assertEquals(Arrays.asList(null, big, small), list);
    }
}
