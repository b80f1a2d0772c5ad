package io.xscore.trainer.model.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.xscore.trainer.model.OneTorchThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(OneTorchThread.class)
class BlocksTest {

    private static NDArray run(Block block, NDManager manager, NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    /**
     * The fused single convolution equals the multi-branch block in inference mode. BatchNorm statistics and affine
     * parameters are made non-trivial first (random γ, β; running statistics from training-mode passes).
     */
    @ParameterizedTest(name = "in {0} out {1} k {2} stride {3} groups {4} branches {5}")
    @CsvSource({"8, 8, 3, 1, 8, 4", "8, 8, 3, 2, 8, 2", "8, 16, 1, 1, 1, 4", "12, 12, 1, 1, 1, 3", "3, 8, 3, 2, 1, 1",
        "6, 6, 3, 1, 1, 2"})
    void fusedRepBranchesMatchTheMultiBranchBlock(int in, int out, int kernel, int stride, int groups, int branches) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            RepBranches block = new RepBranches(in, out, kernel, stride, groups, branches);
            Shape shape = new Shape(4, in, 9, 9);
            block.initialize(manager, DataType.FLOAT32, shape);
            for (Pair<String, Parameter> p : block.getParameters()) {
                String name = p.getValue().getName();
                if (name.equals("gamma") || name.equals("beta")) {
                    NDArray a = p.getValue().getArray();
                    a.set(manager.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
                }
            }
            for (int i = 0; i < 5; i++) {
                run(block, manager, manager.randomNormal(0.3f, 2f, shape, DataType.FLOAT32), true);
            }
            NDArray x = manager.randomNormal(shape);
            NDArray branched = run(block, manager, x, false);
            Conv2d fused = block.fuse(manager);
            NDArray single = run(fused, manager, x, false);
            assertEquals(branched.getShape(), single.getShape());
            float maxDiff = branched.sub(single).abs().max().getFloat();
            assertTrue(maxDiff < 1e-4, "max difference " + maxDiff);
        }
    }

    @Test
    void channelShuffleInterleavesTheGroups() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(6f).reshape(1, 6, 1, 1);
            float[] shuffled = ChannelShuffle.shuffle(x, 2).toFloatArray();
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, shuffled);
        }
    }

    @Test
    void dropPathIsIdentityAtInferenceAndDropsWholeSamplesInTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DropPath drop = new DropPath(0.5f);
            drop.initialize(manager, DataType.FLOAT32, new Shape(64, 2, 3, 3));
            NDArray x = manager.ones(new Shape(64, 2, 3, 3));
            assertEquals(x, run(drop, manager, x, false));
            NDArray y = run(drop, manager, x, true);
            float[] perSample = y.reshape(64, 18).max(new int[] {1}).toFloatArray();
            float[] perSampleMin = y.reshape(64, 18).min(new int[] {1}).toFloatArray();
            int kept = 0;
            for (int i = 0; i < 64; i++) {
                assertEquals(perSample[i], perSampleMin[i], "one value per sample");
                assertTrue(perSample[i] == 0f || perSample[i] == 2f);
                kept += perSample[i] > 0 ? 1 : 0;
            }
            assertTrue(kept > 10 && kept < 54, kept + " of 64 kept");
        }
    }

    @Test
    void hardActivationsAndLayerScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {-4f, -3f, 0f, 1.5f, 3f, 5f});
            assertArrayEquals(new float[] {0f, 0f, 0.5f, 0.75f, 1f, 1f},
                    Activations.HARD_SIGMOID.apply(x).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0f, 0f, 0f, 1.125f, 3f, 5f},
                    Activations.HARD_SWISH.apply(x).toFloatArray(), 1e-6f);
            LayerScale scale = new LayerScale(4, 1e-6f);
            scale.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 2, 2));
            NDArray y = run(scale, manager, manager.ones(new Shape(1, 4, 2, 2)), false);
            assertEquals(1e-6f, y.max().getFloat(), 1e-12f);
        }
    }

    @Test
    void channelLayerNormNormalisesEachPixelOverChannels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block norm = ChannelLayerNorm.of(1e-6f);
            Shape shape = new Shape(2, 8, 3, 3);
            norm.initialize(manager, DataType.FLOAT32, shape);
            NDArray y = run(norm, manager, manager.randomNormal(2f, 3f, shape, DataType.FLOAT32), false);
            assertEquals(shape, y.getShape());
            assertTrue(y.mean(new int[] {1}).abs().max().getFloat() < 1e-4);
            NDArray var = y.pow(2).mean(new int[] {1});
            assertTrue(var.sub(1f).abs().max().getFloat() < 1e-3);
        }
    }

    @Test
    void attentionCountsItsMatmulsAndKeepsTheTokenShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultiHeadSelfAttention attention = new MultiHeadSelfAttention(16, 4);
            attention.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 16));
            NDArray y = run(attention, manager, manager.randomNormal(new Shape(2, 5, 16)), false);
            assertEquals(new Shape(2, 5, 16), y.getShape());
            // projections 2·5·(16·48 + 16·16) + matmuls 2·(2·5·5·16)
            assertEquals(2L * 5 * (16 * 48 + 16 * 16) + 2L * 2 * 5 * 5 * 16, MacCounter.count(attention));
            assertEquals(4L * 16 * 16 + 4 * 16, countParameters(attention));
        }
    }

    @Test
    void patchTransformerKeepsOddMapsAndPermutesTokensOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PatchTransformer t = new PatchTransformer(8, 16, 1, 2, 2, 0f);
            for (Shape s : new Shape[] {new Shape(1, 8, 4, 4), new Shape(2, 8, 7, 7), new Shape(1, 8, 1, 1)}) {
                t.initialize(manager, DataType.FLOAT32, s);
                assertEquals(s, run(t, manager, manager.randomNormal(s), false).getShape());
            }
        }
    }

    @Test
    void macCounterCountsConvolutionsPerOutputElement() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Conv2d depthwise = Layers.conv(8, 3, 2, 8, false);
            depthwise.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 10, 10));
            assertEquals(8L * 5 * 5 * 9, MacCounter.count(depthwise));
            Conv2d pointwise = Layers.conv(16, 1, 1, 1, true);
            pointwise.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 10, 10));
            assertEquals(16L * 10 * 10 * 8, MacCounter.count(pointwise));
        }
    }

    @Test
    void makeDivisibleFollowsTorchvision() {
        assertEquals(32, Layers.makeDivisible(32, 8));
        assertEquals(1584, Layers.makeDivisible(1984 * 0.8, 8));
        assertEquals(24, Layers.makeDivisible(18, 8)); // 16 would be below 90 % of 18
        assertEquals(184, Layers.makeDivisible(184, 4));
    }

    private static long countParameters(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }
}
