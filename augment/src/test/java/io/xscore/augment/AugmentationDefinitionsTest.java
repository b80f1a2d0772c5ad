package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.hash.Sha256;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.Protocols;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The augmentation pipeline's canonical definition, and that it is part of a job's identity. */
class AugmentationDefinitionsTest {

    static final String MODEL = Sha256.hex("model");
    static final String DATASET = Sha256.hex("dataset");

    static String jobId(String augmentationDigest) {
        return JobIds.jobId("convmixer-64-2", "cifar10", 0,
                JobIds.identity(Protocols.get("pilot"), MODEL, DATASET, augmentationDigest));
    }

    /** The required test: changing the augmentation pipeline definition changes the job identity. */
    @Test
    void changingThePipelineDefinitionChangesTheJobIdentity() {
        PaperPipeline cifar = PaperPipeline.forDataset("cifar10");
        String id = jobId(AugmentationDefinitions.digest(cifar));
        assertEquals(id, jobId(AugmentationDefinitions.digest("paper", "cifar10")), "what forJob resolves is hashed");

        List<Augmentation> edited = List.of(
                new PaperPipeline(cifar.name(), cifar.randomCrop(),
                        List.of(RandAugment.BENCHMARK, new ColorJitter(0.2, 0.3, 0.3, 0.25)), null),   // a parameter
                new PaperPipeline(cifar.name(), cifar.randomCrop(),
                        List.of(new RandAugment(2, 9, 31), ColorJitter.BENCHMARK), null),                // magnitude
                new PaperPipeline(cifar.name(), cifar.randomCrop(),
                        List.of(ColorJitter.BENCHMARK, RandAugment.BENCHMARK), null),                    // the order
                new PaperPipeline(cifar.name(), cifar.randomCrop(), List.of(RandAugment.BENCHMARK), null), // a step less
                new PaperPipeline(cifar.name(), false, cifar.ops(), null),                               // no crop
                new PaperPipeline(cifar.name(), cifar.randomCrop(), cifar.ops(),
                        RandomErasing.withProbability(0.25)),                                            // erasing added
                new PaperPipeline(cifar.name(), cifar.randomCrop(), cifar.ops(),
                        new RandomErasing(0.25, 0.02, 0.3, 0.3, 3.3)));
        Set<String> ids = new HashSet<>(List.of(id));
        for (Augmentation pipeline : edited) {
            String other = jobId(AugmentationDefinitions.digest(pipeline));
            assertNotEquals(id, other, AugmentationDefinitions.canonical(pipeline));
            ids.add(other);
        }
        assertEquals(edited.size() + 1, ids.size(), "each edit gives its own identity");
    }

    @Test
    void definitionListsEveryTransformWithItsParameters() {
        String cifar100 = AugmentationDefinitions.canonical("paper", "cifar100");
        for (String part : List.of("\"pipeline\":\"paper/cifar100\"", "\"op\":\"RandomResizedCrop\"",
                "\"scaleMin\":0.9", "\"scaleMax\":1.1", "\"ratioMin\":1.0", "\"op\":\"HorizontalFlip\"", "\"p\":0.5",
                "\"op\":\"RandAugment\"", "\"numOps\":2", "\"magnitude\":10", "\"bins\":31",
                "{\"max\":0.9,\"op\":\"BRIGHTNESS\",\"signed\":true}", "\"op\":\"ColorJitter\"", "\"brightness\":0.2",
                "\"contrast\":0.3", "\"saturation\":0.3", "\"hue\":0.2", "\"op\":\"RandomErasing\"", "\"p\":0.25",
                "\"definitionVersion\":1")) {
            assertTrue(cifar100.contains(part), part + " missing from " + cifar100);
        }
        assertTrue(AugmentationDefinitions.canonical("light", "cifar10").startsWith("{\"definitionVersion\":1,"
                + "\"pipeline\":\"light\""), AugmentationDefinitions.canonical("light", "cifar10"));
        assertTrue(AugmentationDefinitions.canonical("paper", "ham10000").contains("\"op\":\"Resize\""));
    }

    @Test
    void pipelinesThatDifferHaveDifferentDigestsAndTheSameOneTheSame() {
        assertEquals(AugmentationDefinitions.digest("paper", "cifar10"),
                AugmentationDefinitions.digest("paper", "cifar10"));
        Set<String> digests = new HashSet<>();
        for (String dataset : List.of("cifar10", "cifar100", "imagenette", "stanford_dogs", "ham10000",
                "fashion-mnist")) {
            digests.add(AugmentationDefinitions.digest("paper", dataset));
        }
        digests.add(AugmentationDefinitions.digest("light", "cifar10"));
        assertEquals(7, digests.size());
        // "light" is the same pipeline for every dataset.
        assertEquals(AugmentationDefinitions.digest("light", "cifar10"),
                AugmentationDefinitions.digest("light", "fashion-mnist"));
        assertTrue(AugmentationDefinitions.digest("light", "cifar10").matches("[0-9a-f]{64}"));
    }
}
