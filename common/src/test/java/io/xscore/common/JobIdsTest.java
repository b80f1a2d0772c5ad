package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.hash.Sha256;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Job ids cover everything that determines a result, and nothing else changes them. */
class JobIdsTest {

    static final String MODEL = Sha256.hex("model definition");
    static final String DATASET = Sha256.hex("dataset content");
    static final String AUGMENTATION = Sha256.hex("augmentation definition");

    static JobIdentity identity(ProtocolSpec protocol) {
        return JobIds.identity(protocol, MODEL, DATASET, AUGMENTATION);
    }

    static String id(ProtocolSpec protocol) {
        return JobIds.jobId("convmixer-64-2", "fashion-mnist", 7, identity(protocol));
    }

    /** The id is the SHA-256 of the canonical text written out here, and the protocol digest that of its JSON. */
    @Test
    void idIsTheHashOfTheCanonicalSpec() {
        ProtocolSpec quick = Protocols.get("quick");
        String protocolJson = "{\"adamBeta1\":0.9,\"adamBeta2\":0.999,\"adamEpsilon\":1.0E-8,\"augmentation\":\"light\","
                + "\"batchSize\":32,\"cutmixAlpha\":1.0,\"epochs\":3,\"labelSmoothing\":0.05,\"lrMax\":0.001,"
                + "\"lrMaxByModel\":{\"exmobilevit\":1.0E-4,\"mobilevit\":1.0E-4},\"lrMin\":1.0E-5,\"name\":\"quick\","
                + "\"paper\":false,\"resolution\":32,\"testSubset\":1000,\"trainSubset\":2000,\"version\":1,"
                + "\"warmupEpochs\":1,\"weightDecay\":0.0}";
        assertEquals(protocolJson, JobIds.canonicalProtocol(quick));
        String protocolDigest = Sha256.hex(protocolJson);
        assertEquals(protocolDigest, identity(quick).protocol());

        String canonical = "xscore-job-v2\nmodel=convmixer-64-2\ndataset=fashion-mnist\nseed=7\nprotocol="
                + protocolDigest + "\nmodelDefinition=" + MODEL + "\ndatasetContent=" + DATASET + "\naugmentation="
                + AUGMENTATION + "\n";
        assertEquals(canonical, JobIds.canonicalSpec("convmixer-64-2", "fashion-mnist", 7, identity(quick)));
        assertEquals(Sha256.hex(canonical).substring(0, 32), id(quick));
        assertTrue(id(quick).matches("[0-9a-f]{32}"));
    }

    /** Every hyper-parameter of the resolved protocol, changed alone, gives another job. */
    @Test
    void everyProtocolHyperParameterChangesTheId() throws Exception {
        ProtocolSpec base = Protocols.get("pilot");
        ObjectNode tree = Json.MAPPER.valueToTree(Protocols.resolve("quick", Map.of("epochs", 4)));
        Set<String> ids = new HashSet<>();
        ids.add(id(Json.MAPPER.treeToValue(tree, ProtocolSpec.class)));
        List<String> changed = new ArrayList<>();
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (field.equals("overrides")) {
                continue;
            }
            ObjectNode variant = tree.deepCopy();
            JsonNode value = tree.get(field);
            if (value.isBoolean()) {
                variant.put(field, !value.asBoolean());
            } else if (value.isInt()) {
                variant.put(field, value.asInt() + 1);
            } else if (value.isDouble()) {
                variant.put(field, value.asDouble() * 1.5 + 1e-6);
            } else if (value.isTextual()) {
                variant.put(field, value.asText().equals("light") ? "paper" : value.asText() + "-x");
            } else if (value.isObject()) {
                ((ObjectNode) variant.get(field)).put("mobilevit", 2e-4);
            }
            ids.add(id(Json.MAPPER.treeToValue(variant, ProtocolSpec.class)));
            changed.add(field);
        }
        assertEquals(changed.size() + 1, ids.size(), "a field did not change the id: " + changed);
        assertTrue(changed.containsAll(List.of("epochs", "warmupEpochs", "lrMax", "lrMin", "lrMaxByModel", "batchSize",
                "labelSmoothing", "cutmixAlpha", "adamBeta1", "adamBeta2", "adamEpsilon", "weightDecay",
                "trainSubset", "testSubset", "resolution", "augmentation", "name", "version", "paper")), changed.toString());
        // A field absent from the definition and set by an override (pilot has no subset) is a change too.
        assertNotEquals(id(base), id(Protocols.resolve("pilot", Map.of("trainSubset", 100))));
        assertNotEquals(id(base), id(Protocols.resolve("pilot", Map.of("resolution", 64))));
    }

    /** Overrides count by their effect: restating the definition's value is the same job, in any order. */
    @Test
    void overridesCountByTheResolvedValues() {
        assertEquals(id(Protocols.get("quick")), id(Protocols.resolve("quick", Map.of("epochs", 3))));
        assertEquals(id(Protocols.resolve("quick", Map.of("epochs", 2, "batchSize", 16))),
                id(Protocols.resolve("quick", Map.of("batchSize", 16, "epochs", 2))));
        assertNotEquals(id(Protocols.get("quick")), id(Protocols.resolve("quick", Map.of("epochs", 2))));
    }

    @Test
    void modelDatasetAugmentationDigestsAndSeedChangeTheId() {
        ProtocolSpec quick = Protocols.get("quick");
        String other = Sha256.hex("something else");
        String id = id(quick);
        Set<String> ids = new HashSet<>(List.of(id,
                JobIds.jobId("convmixer-64-2", "fashion-mnist", 7, JobIds.identity(quick, other, DATASET, AUGMENTATION)),
                JobIds.jobId("convmixer-64-2", "fashion-mnist", 7, JobIds.identity(quick, MODEL, other, AUGMENTATION)),
                JobIds.jobId("convmixer-64-2", "fashion-mnist", 7, JobIds.identity(quick, MODEL, DATASET, other)),
                JobIds.jobId("convmixer-64-2", "fashion-mnist", 8, identity(quick)),
                JobIds.jobId("convmixer-64-4", "fashion-mnist", 7, identity(quick)),
                JobIds.jobId("convmixer-64-2", "synthetic-shapes", 7, identity(quick))));
        assertEquals(7, ids.size());
        assertEquals(id, id(Protocols.get("quick")), "the same inputs give the same id");
    }

    @Test
    void digestsMustBe64LowerCaseHexDigits() {
        ProtocolSpec quick = Protocols.get("quick");
        assertThrows(IllegalArgumentException.class, () -> JobIds.identity(quick, null, DATASET, AUGMENTATION));
        assertThrows(IllegalArgumentException.class, () -> JobIds.identity(quick, MODEL, "abc", AUGMENTATION));
        assertThrows(IllegalArgumentException.class,
                () -> JobIds.identity(quick, MODEL, DATASET, AUGMENTATION.toUpperCase()));
    }

    /**
     * The same inputs give the same id in another JVM, one with another default charset, locale and time zone (the
     * canonical text must not depend on any of them).
     */
    @Test
    void sameIdInAnotherJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Dfile.encoding=ISO-8859-1", "-Duser.language=tr",
                "-Duser.country=TR", "-Duser.timezone=Pacific/Kiritimati", "-cp",
                System.getProperty("java.class.path") + File.pathSeparator + System.getProperty("surefire.test.class.path", ""),
                PrintIds.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), out);
        assertEquals(PrintIds.ids(), out);
    }

    /** Prints the ids of a few fixed jobs (run in a separate JVM by {@link #sameIdInAnotherJvm}). */
    public static final class PrintIds {
        static String ids() {
            List<String> ids = new ArrayList<>();
            for (String protocol : new java.util.TreeSet<>(Protocols.names())) { // names() order varies by JVM
                ids.add(id(Protocols.get(protocol)));
            }
            ids.add(id(Protocols.resolve("quick", Map.of("epochs", 2, "resolution", 64))));
            return String.join(",", ids);
        }

        public static void main(String[] args) {
            System.out.println(ids());
        }
    }
}
