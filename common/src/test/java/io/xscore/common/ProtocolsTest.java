package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.ProtocolWarnings;
import io.xscore.common.protocol.Protocols;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolsTest {

    @Test
    void paperProtocolIsTheSpecifiedOne() {
        ProtocolSpec p = Protocols.get("paper-v1");
        assertTrue(p.paper());
        assertEquals(100, p.epochs());
        assertEquals(5, p.warmupEpochs());
        assertEquals(1e-3, p.lrMax());
        assertEquals(1e-5, p.lrMin());
        assertEquals(1e-4, p.lrMaxFor("mobilevit"));
        assertEquals(1e-3, p.lrMaxFor("mobilenet"));
        assertEquals(32, p.batchSize());
        assertEquals(0.05, p.labelSmoothing());
        assertEquals(1.0, p.cutmixAlpha());
        assertEquals(0.9, p.adamBeta1());
        assertEquals(0.999, p.adamBeta2());
        assertEquals(1e-8, p.adamEpsilon());
        assertEquals(0.0, p.weightDecay());
        assertEquals(null, p.trainSubset());
    }

    @Test
    void paperProtocolRefusesOverrides() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Protocols.resolve("paper-v1", Map.of("epochs", 10)));
        assertTrue(e.getMessage().startsWith("overrides"), e.getMessage());
    }

    @Test
    void quickOverridesAreCheckedAndRecorded() {
        ProtocolSpec p = Protocols.resolve("quick", Map.of("epochs", 7, "trainSubset", 100));
        assertFalse(p.paper());
        assertEquals(7, p.epochs());
        assertEquals(100, p.trainSubset());
        assertEquals(Map.of("epochs", 7, "trainSubset", 100), p.overrides());
        assertThrows(IllegalArgumentException.class, () -> Protocols.resolve("quick", Map.of("epochs", 0)));
        assertThrows(IllegalArgumentException.class, () -> Protocols.resolve("quick", Map.of("lr", 1)));
        assertThrows(IllegalArgumentException.class, () -> Protocols.resolve("nope", Map.of()));
    }

    @Test
    void pilotIsThePaperRecipeShortenedAndLabelledNonPaper() {
        ProtocolSpec paper = Protocols.get("paper-v1");
        ProtocolSpec pilot = Protocols.resolve("pilot", Map.of("epochs", 4, "trainSubset", 1000));
        assertFalse(pilot.paper(), "never placed on the paper's scale");
        assertEquals("paper", pilot.augmentation());
        assertEquals(4, pilot.epochs());
        assertEquals(2, pilot.warmupEpochs());
        assertEquals(paper.lrMax(), pilot.lrMax());
        assertEquals(paper.lrMaxFor("mobilevit"), pilot.lrMaxFor("mobilevit"));
        assertEquals(paper.labelSmoothing(), pilot.labelSmoothing());
        assertEquals(paper.cutmixAlpha(), pilot.cutmixAlpha());
        assertEquals(paper.batchSize(), pilot.batchSize());
        assertEquals(null, pilot.resolution(), "the dataset's own resolution, as in the paper");
        assertEquals(20, Protocols.get("pilot").epochs());
    }

    @Test
    void degenerateOverridesAreWarnedAbout() {
        assertEquals(List.of(), ProtocolWarnings.of(Protocols.get("paper-v1")));
        assertEquals(List.of(), ProtocolWarnings.of(Protocols.get("quick")));
        List<String> oneEpoch = ProtocolWarnings.of(Protocols.resolve("quick", Map.of("epochs", 1)));
        assertEquals(1, oneEpoch.size());
        assertTrue(oneEpoch.get(0).contains("whole run trains at lr_min"), oneEpoch.get(0));
        List<String> lastOnly = ProtocolWarnings.of(Protocols.resolve("pilot", Map.of("epochs", 3)));
        assertTrue(lastOnly.get(0).contains("cosine phase is the last epoch alone"), lastOnly.toString());
        List<String> tiny = ProtocolWarnings.of(Protocols.resolve("quick", Map.of("trainSubset", 10, "testSubset", 40)));
        assertEquals(2, tiny.size(), tiny.toString());
        assertTrue(tiny.get(1).contains("steps of 2.5 points"), tiny.toString());
    }

    @Test
    void jobIdIsStableAndSensitiveToEveryPart() {
        Map<String, Integer> a = new LinkedHashMap<>();
        a.put("epochs", 2);
        a.put("trainSubset", 50);
        Map<String, Integer> b = new LinkedHashMap<>();
        b.put("trainSubset", 50);
        b.put("epochs", 2);
        ProtocolSpec pa = Protocols.resolve("quick", a);
        ProtocolSpec pb = Protocols.resolve("quick", b);
        String id = id(pa, "convmixer", "cifar10", 3);
        assertEquals(id, id(pb, "convmixer", "cifar10", 3), "override order must not matter");
        assertTrue(id.matches("[0-9a-f]{32}"));
        assertNotEquals(id, id(pa, "convmixer", "cifar10", 4));
        assertNotEquals(id, id(pa, "convmixer", "cifar100", 3));
        assertNotEquals(id, id(pa, "convmixer-256-8", "cifar10", 3));
        assertNotEquals(id, id(Protocols.get("quick"), "convmixer", "cifar10", 3));
        assertNotEquals(id, id(Protocols.get("paper-v1"), "convmixer", "cifar10", 3));
    }

    /** A job id with fixed stand-in model, dataset and augmentation digests (JobIdsTest varies those). */
    static String id(ProtocolSpec protocol, String model, String dataset, long seed) {
        String digest = io.xscore.common.hash.Sha256.hex("stand-in");
        return JobIds.jobId(model, dataset, seed, JobIds.identity(protocol, digest, digest, digest));
    }
}
