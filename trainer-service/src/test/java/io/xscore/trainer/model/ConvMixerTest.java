package io.xscore.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OneTorchThread.class)
class ConvMixerTest {

    @Test
    void convMixer256x8PatchTwoHasThePyTorchReferenceParameterCount() {
        // tools/bench/convmixer_pytorch.py: convmixer(dim=256, depth=8, k=5, p=2, n=10) → 594,186
        Block block = ConvMixer.builder().dim(256).depth(8).kernel(5).patch(2).classes(10).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            assertEquals(594_186L, ModelRegistry.trainableParameters(block));
        }
        assertEquals(594_186L, ModelRegistry.parameterCount("convmixer-256-8", 10, 32));
    }

    @Test
    void paperConvMixerAt224HasAbout2Point31MillionParameters() {
        // docs/benchmark.md §4: ≈ 2.31 M with patch 7; exact arithmetic of the architecture:
        long embed = 3L * 512 * 49 + 512 + 2 * 512;
        long layer = (512L * 25 + 512 + 2 * 512) + (512L * 512 + 512 + 2 * 512);
        long head = 512L * 10 + 10;
        assertEquals(embed + 8 * layer + head, ModelRegistry.parameterCount("convmixer", 10, 224));
        assertEquals(2_306_058L, ModelRegistry.parameterCount("convmixer", 10, 224));
    }

    @Test
    void outputShapesFollowTheNumberOfClasses() {
        for (int classes : new int[] {10, 100}) {
            ModelRegistry.ModelSpec spec = ModelRegistry.spec("convmixer-32-2", classes, 32);
            Block block = ModelRegistry.build(spec);
            try (NDManager manager = NDManager.newBaseManager()) {
                block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
                NDArray x = manager.randomNormal(new Shape(4, 3, 32, 32));
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(4, classes), y.getShape());
            }
        }
    }

    @Test
    void patchFollowsResolution() {
        assertEquals(7, ConvMixer.patchFor(224));
        assertEquals(7, ConvMixer.patchFor(192));
        assertEquals(5, ConvMixer.patchFor(160));
        assertEquals(4, ConvMixer.patchFor(64));
        assertEquals(2, ConvMixer.patchFor(32));
        assertEquals(2, ConvMixer.patchFor(28));
    }

    @Test
    void unknownIdsAreRejected() {
        assertThrows(ModelRegistry.UnknownModelException.class, () -> ModelRegistry.spec("resnet50", 10, 32));
        assertThrows(ModelRegistry.UnknownModelException.class, () -> ModelRegistry.spec("convmixer-4-2", 10, 32));
    }
}
