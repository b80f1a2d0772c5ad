package io.xscore.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.catalog.ModelCatalog;
import io.xscore.common.catalog.ModelDefinitions;
import io.xscore.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keeps {@code common/src/main/resources/models/model-definitions.json} (which the gateway reads for job identities
 * and cost estimates) equal to what the trainer's real blocks are: every fixed catalog id's definition digest,
 * trainable parameters and MACs per image at the resolutions the datasets use. A model definition that changed
 * without the file fails here; regenerate it with
 * {@code ./mvnw -pl trainer-service test -Dtest=ModelDefinitionsTest -Dxscore.models.write=true} and commit it.
 */
@ExtendWith(OneTorchThread.class)
class ModelDefinitionsTest {

    /** The datasets' resolutions (28 Fashion-MNIST, 32 synthetic and the quick protocol, 64, 160 ImageNette, 224). */
    static final int[] RESOLUTIONS = {28, 32, 64, 160, 224};
    static final int CLASSES = 10;
    static final Path FILE = Path.of("..", "common", "src", "main", "resources", ModelDefinitions.RESOURCE);

    @Test
    void theCommittedFileMatchesTheBlocks() throws Exception {
        String generated = generate();
        if (Boolean.getBoolean("xscore.models.write")) {
            Files.writeString(FILE, generated);
        }
        String committed = Files.exists(FILE) ? Files.readString(FILE) : "";
        assertEquals(generated, committed, "model-definitions.json is stale: a model definition changed; regenerate "
                + "it with ./mvnw -pl trainer-service test -Dtest=ModelDefinitionsTest -Dxscore.models.write=true");
        if (!Boolean.getBoolean("xscore.models.write")) {
            // what common reads from its classpath copy is what the blocks are
            for (ModelCatalog.ModelInfo m : ModelCatalog.fixed()) {
                ModelDefinitions.ModelDefinition d = ModelDefinitions.find(m.id()).orElseThrow();
                assertEquals(digest(ModelRegistry.build(ModelRegistry.spec(m.id(), CLASSES, 224)), 224), d.digest(),
                        m.id());
                assertEquals(ModelRegistry.info(m.id(), CLASSES, 32).macs(), d.macs(32), m.id() + " MACs @32");
            }
        }
    }

    @Test
    void digestIsStableAcrossBuildsAndChangesWithTheDefinition() {
        String a = digest(ModelRegistry.build(ModelRegistry.spec("convmixer-64-2", CLASSES, 32)), 32);
        String b = digest(ModelRegistry.build(ModelRegistry.spec("convmixer-64-2", CLASSES, 32)), 32);
        assertEquals(a, b, "same definition, same digest");
        Block wider = ConvMixer.builder().dim(64).depth(2).kernel(ModelRegistry.KERNEL).patch(2).classes(CLASSES)
                .build();
        assertEquals(a, digest(wider, 32), "the registry builds exactly this ConvMixer");
        Block otherKernel = ConvMixer.builder().dim(64).depth(2).kernel(3).patch(2).classes(CLASSES).build();
        assertNotEquals(a, digest(otherKernel, 32), "a kernel size is part of the definition");
        Block deeper = ConvMixer.builder().dim(64).depth(3).kernel(ModelRegistry.KERNEL).patch(2).classes(CLASSES)
                .build();
        assertNotEquals(a, digest(deeper, 32), "depth is part of the definition");
    }

    @Test
    void customConvMixerFormulasMatchTheBlocks() {
        for (int[] c : new int[][] {{32, 1, 28}, {64, 2, 32}, {96, 3, 64}, {128, 2, 160}, {256, 8, 224}}) {
            String id = "convmixer-" + c[0] + "-" + c[1];
            ModelRegistry.ModelInfo info = ModelRegistry.info(id, CLASSES, c[2]);
            assertEquals(info.macs(), ModelDefinitions.convMixerMacs(c[0], c[1], CLASSES, c[2]), id + " MACs @" + c[2]);
            assertEquals(info.macs(), ModelDefinitions.find(id).orElseThrow().macs(c[2]), id + " definition MACs");
        }
        ModelRegistry.ModelInfo at224 = ModelRegistry.info("convmixer-96-3", CLASSES, 224);
        assertEquals(at224.parameters(), ModelDefinitions.convMixerParameters(96, 3, CLASSES), "parameters");
        assertNotEquals(ModelDefinitions.find("convmixer-96-3").orElseThrow().digest(),
                ModelDefinitions.find("convmixer-96-4").orElseThrow().digest());
    }

    static String digest(Block block, int resolution) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            var spec = new ModelRegistry.ModelSpec("x", "x", "x", CLASSES, resolution);
            block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
            return ModelDigest.digest(block, spec.inputShape(1));
        }
    }

    static String generate() throws Exception {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("description", "Generated by trainer-service ModelDefinitionsTest from the DJL blocks; do not edit. "
                + "digest: SHA-256 of the block structure, parameter shapes and block hyper-parameters at "
                + CLASSES + " classes and " + ModelDefinitions.convMixerPatch(224) + "-px-patch 224 px input; "
                + "parameters: trainable, at " + CLASSES + " classes; macs: multiply-accumulates per image by resolution.");
        root.put("digestResolution", 224);
        ArrayNode models = root.putArray("models");
        for (ModelCatalog.ModelInfo m : ModelCatalog.fixed()) {
            ObjectNode node = models.addObject();
            node.put("id", m.id());
            node.put("family", m.family());
            node.put("digest", digest(ModelRegistry.build(ModelRegistry.spec(m.id(), CLASSES, 224)), 224));
            node.put("parameters", ModelRegistry.info(m.id(), CLASSES, 224).parameters());
            ObjectNode macs = node.putObject("macs");
            Map<Integer, Long> byResolution = new LinkedHashMap<>();
            List<String> unbuildable = new ArrayList<>();
            for (int r : RESOLUTIONS) {
                try {
                    byResolution.put(r, ModelRegistry.info(m.id(), CLASSES, r).macs());
                } catch (RuntimeException e) {
                    unbuildable.add(r + ": " + Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
                }
            }
            byResolution.forEach((r, v) -> macs.put(String.valueOf(r), v));
            if (!unbuildable.isEmpty()) {
                node.put("notBuildableAt", String.join("; ", unbuildable));
            }
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
