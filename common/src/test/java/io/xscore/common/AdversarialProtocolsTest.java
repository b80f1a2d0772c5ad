package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.json.Json;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.protocol.AdversarialTraining;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.ProtocolWarnings;
import io.xscore.common.protocol.Protocols;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The robust-training protocols (classic AT, TRADES in the study's and in the original form). */
class AdversarialProtocolsTest {

    private static final double EPS = 4 / 255.0;
    private static final List<String> ROBUST = List.of("quick-at", "quick-trades", "quick-trades-original", "pilot-at",
            "pilot-trades", "pilot-trades-original");

    @Test
    void robustProtocolsAreTheirBaseProtocolPlusTheAttackAndNeverPaper() {
        for (String name : ROBUST) {
            ProtocolSpec p = Protocols.get(name);
            assertFalse(p.paper(), name + " is never placed on the paper's scale");
            AdversarialTraining a = p.adversarialTraining();
            assertNotNull(a, name);
            ProtocolSpec base = Protocols.get(name.substring(0, name.indexOf('-')));
            ObjectNode withoutAttack = Json.MAPPER.valueToTree(p);
            withoutAttack.remove("adversarialTraining");
            withoutAttack.put("name", base.name());
            assertEquals(Json.MAPPER.valueToTree(base), withoutAttack, name + " trains as " + base.name() + " otherwise");
            assertEquals("linf", a.norm());
            assertEquals(EPS, a.epsilon(), 1e-15);
            assertEquals(10, a.steps());
            assertEquals(2.5 * EPS / 10, a.stepSize(), 1e-15, "the resolved protocol records the step size");
            assertNotNull(a.description());
            assertTrue(a.description().contains("never placed on the paper's scale"), a.description());
            assertEquals(List.of(), ProtocolWarnings.of(p));
        }
    }

    @Test
    void theStudysFormAndTheOriginalTradesAreSaidApart() {
        AdversarialTraining at = Protocols.get("quick-at").adversarialTraining();
        assertEquals("at", at.method());
        assertEquals("ce", at.innerMaximises());
        assertEquals("none", at.randomStart());
        assertNull(at.beta());
        AdversarialTraining study = Protocols.get("quick-trades").adversarialTraining();
        assertEquals("trades", study.method());
        assertEquals(1.0, study.beta());
        assertEquals("ce", study.innerMaximises(), "the study's x' maximises the CE, not the KL");
        assertEquals("none", study.randomStart());
        assertTrue(study.description().contains("arXiv:2508.14079"), study.description());
        AdversarialTraining original = Protocols.get("quick-trades-original").adversarialTraining();
        assertEquals(6.0, original.beta());
        assertEquals("kl", original.innerMaximises());
        assertEquals("gaussian", original.randomStart(), "TRADES starts at x + 0.001·N(0, 1)");
        assertTrue(original.description().contains("arXiv:1901.08573"), original.description());
    }

    @Test
    void protocolsWithoutTheAttackKeepTheirCanonicalJsonAndText() {
        for (String name : List.of("quick", "pilot", "paper-v1")) {
            ProtocolSpec p = Protocols.get(name);
            assertNull(p.adversarialTraining());
            assertFalse(JobIds.canonicalProtocol(p).contains("adversarial"), name);
            // checkpoint fingerprints embed this text: it is the record text of before the field existed
            assertTrue(p.toString().endsWith(", augmentation=" + p.augmentation() + ", overrides=null]"), p.toString());
        }
        assertTrue(Protocols.get("quick-at").toString().contains("adversarialTraining=AdversarialTraining[method=at"));
        assertTrue(JobIds.canonicalProtocol(Protocols.get("quick-at")).contains("\"adversarialTraining\":{"));
        assertNotEquals(JobIds.protocolDigest(Protocols.get("quick")), JobIds.protocolDigest(Protocols.get("quick-at")));
    }

    @Test
    void overridesKeepTheAttack() {
        ProtocolSpec p = Protocols.resolve("quick-trades", Map.of("epochs", 2, "trainSubset", 64));
        assertEquals(Protocols.get("quick-trades").adversarialTraining(), p.adversarialTraining());
        assertEquals(2, p.epochs());
    }

    @Test
    void jobsOfRobustProtocolsPassTheMessageSchema() {
        String hex = "a".repeat(64);
        for (String name : ROBUST) {
            ProtocolSpec p = Protocols.resolve(name, Map.of("epochs", 2));
            String id = JobIds.jobId("convmixer-64-2", "cifar10", 0, JobIds.identity(p, hex, hex, hex));
            TrainingJob job = new TrainingJob(1, "ev-1", id, "convmixer-64-2", "cifar10", 0, p, Instant.EPOCH);
            assertEquals(job, MessageCodec.decode(MessageCodec.encode(job), TrainingJob.class), name);
        }
    }

    @Test
    void inconsistentSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> settings("at", 1.0, "ce"), "beta is TRADES'");
        assertThrows(IllegalArgumentException.class, () -> settings("at", null, "kl"), "kl is TRADES'");
        assertThrows(IllegalArgumentException.class, () -> settings("trades", null, "ce"), "TRADES needs beta");
        assertThrows(IllegalArgumentException.class, () -> settings("madry", null, "ce"));
        assertThrows(IllegalArgumentException.class, () -> new AdversarialTraining("at", "l2", EPS, 10, 2.5, null,
                "none", null, "ce", null));
        assertThrows(IllegalArgumentException.class, () -> new AdversarialTraining("at", "linf", EPS, 10, null, null,
                "none", null, "ce", null), "a step size is needed");
        AdversarialTraining at = settings("at", null, "ce");
        ProtocolSpec q = Protocols.get("quick");
        assertThrows(IllegalArgumentException.class, () -> new ProtocolSpec("paper-at", 1, true, q.epochs(),
                q.warmupEpochs(), q.lrMax(), q.lrMin(), null, q.batchSize(), q.labelSmoothing(), q.cutmixAlpha(),
                q.adamBeta1(), q.adamBeta2(), q.adamEpsilon(), 0.0, null, null, null, "paper", null, at),
                "a paper protocol has no adversarial training");
        assertEquals(0.0, new AdversarialTraining("at", "linf", 0.0, 10, 2.5, null, "none", null, "ce", null)
                .effectiveStepSize());
        assertFalse(new AdversarialTraining("at", "linf", 0.0, 10, 2.5, null, "uniform", null, "ce", null).perturbs());
    }

    private static AdversarialTraining settings(String method, Double beta, String inner) {
        return new AdversarialTraining(method, "linf", EPS, 10, 2.5, null, "none", beta, inner, null);
    }
}
