package io.xscore.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.xscore.trainer.model.blocks.CornerAvgPool;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ExMobileViT as published (arXiv 2309.01310; EmPasLab/ExMobileVIT at 9835cb2). The expected parameter counts are the
 * authors' modules' counts, computed independently with PyTorch by {@code tools/exmobilevit/reference_counts.py}
 * (and identical to what the authors' own {@code models/ExMobileViT_*.py} give): at 7 / 10 / 67 / 120 classes
 * 576: 4,986,288 / 4,988,016 / 5,020,848 / 5,051,376; 640: 4,995,056 / 4,996,976 / 5,033,456 / 5,067,376; 928:
 * 5,036,560 / 5,039,344 / 5,092,240 / 5,141,424. The classifier has no bias, so each class adds the tap width sum.
 */
@ExtendWith(OneTorchThread.class)
class ExMobileViTTest {

    /** width, counts at 7, 10, 67, 120 classes. */
    static Stream<Arguments> counts() {
        return Stream.of(
                Arguments.of(576, new long[] {4_986_288L, 4_988_016L, 5_020_848L, 5_051_376L}),
                Arguments.of(640, new long[] {4_995_056L, 4_996_976L, 5_033_456L, 5_067_376L}),
                Arguments.of(928, new long[] {5_036_560L, 5_039_344L, 5_092_240L, 5_141_424L}));
    }

    static final int[] CLASSES = {7, 10, 67, 120};

    @ParameterizedTest(name = "exmobilevit-{0}")
    @MethodSource("counts")
    void parameterCountsAreTheAuthorsModels(int width, long[] expected) {
        for (int i = 0; i < CLASSES.length; i++) {
            for (String id : new String[] {"exmobilevit-" + width, "exmobilevit-" + width + "-fixedpool"}) {
                assertEquals(expected[i], ModelRegistry.parameterCount(id, CLASSES[i], 32),
                        id + " at " + CLASSES[i] + " classes");
            }
        }
        // bias-free classifier: each class adds the sum of the tap widths, the number in the name
        assertEquals(3L * width, expected[1] - expected[0]);
        assertEquals(57L * width, expected[2] - expected[1]);
    }

    @Test
    void exmobilevitIsTheGlobal928Form() {
        assertEquals(5_039_344L, ModelRegistry.parameterCount("exmobilevit", 10, 32));
        assertEquals(ModelDefinitionsTest.digest(build("exmobilevit-928", 32), 32),
                ModelDefinitionsTest.digest(build("exmobilevit", 32), 32));
        assertNotEquals(ModelDefinitionsTest.digest(build("exmobilevit-928", 32), 32),
                ModelDefinitionsTest.digest(build("exmobilevit-928-fixedpool", 32), 32));
    }

    @Test
    void forwardAtTheNative256AndAt32And64() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (Object[] c : new Object[][] {{"exmobilevit-928-fixedpool", 256}, {"exmobilevit-928", 256},
                {"exmobilevit-576-fixedpool", 32}, {"exmobilevit-640", 32}, {"exmobilevit-640-fixedpool", 64},
                {"exmobilevit-576", 64}}) {
                String id = (String) c[0];
                int r = (int) c[1];
                ModelRegistry.ModelSpec spec = ModelRegistry.spec(id, 10, r);
                Block block = ModelRegistry.build(spec);
                block.initialize(manager, DataType.FLOAT32, spec.inputShape(2));
                NDArray y = block.forward(store, new NDList(manager.randomNormal(spec.inputShape(2))), false)
                        .singletonOrThrow();
                assertEquals(new Shape(2, 10), y.getShape(), id + " at " + r);
                assertFalse(Float.isNaN(y.sum().getFloat()), id + " at " + r);
            }
        }
    }

    @Test
    void fixedWindowsAreTheAuthorsAt256AndProportionalElsewhere() {
        List<CornerAvgPool> pools = new ArrayList<>();
        collect(build("exmobilevit-928-fixedpool", 32), pools);
        assertEquals(2, pools.size(), "stage-3 and stage-4 taps");
        CornerAvgPool stage3 = pools.get(0);
        CornerAvgPool stage4 = pools.get(1);
        // 256 px: AvgPool2d(25) on 32×32, AvgPool2d(9) on 16×16
        assertEquals(25, stage3.window(32));
        assertEquals(9, stage4.window(16));
        // 224 px: 28×28 and 14×14; 64 px: 8×8 and 4×4; 32 px: 4×4 and 2×2
        assertEquals(22, stage3.window(28));
        assertEquals(8, stage4.window(14));
        assertEquals(6, stage3.window(8));
        assertEquals(2, stage4.window(4));
        assertEquals(3, stage3.window(4));
        assertEquals(1, stage4.window(2));
        assertEquals(1, stage3.window(1));
        List<CornerAvgPool> none = new ArrayList<>();
        collect(build("exmobilevit-928", 32), none);
        assertTrue(none.isEmpty(), "the global form has no corner windows");
    }

    @Test
    void theCornerWindowAveragesOnlyTheCorner() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int[] c : new int[][] {{25, 32, 32}, {9, 16, 16}}) {
                CornerAvgPool pool = new CornerAvgPool(c[0], c[1]);
                int side = c[2];
                int k = pool.window(side);
                NDArray map = manager.randomNormal(new Shape(2, 5, side, side));
                pool.initialize(manager, DataType.FLOAT32, map.getShape());
                NDArray before = pool.forward(store, new NDList(map), false).singletonOrThrow();
                assertEquals(new Shape(2, 5), before.getShape());
                // the mean of the top-left k×k window
                NDArray expected = map.get(new NDIndex(":, :, 0:{}, 0:{}", k, k)).mean(new int[] {3}).mean(new int[] {2});
                assertTrue(before.allClose(expected, 1e-6, 1e-6, false));
                // pixels outside the window (the last rows and columns) change nothing
                NDArray outside = map.duplicate();
                outside.set(new NDIndex(":, :, {}:, :", k), 100f);
                outside.set(new NDIndex(":, :, :, {}:", k), -100f);
                NDArray after = pool.forward(store, new NDList(outside), false).singletonOrThrow();
                assertTrue(after.contentEquals(before), "values outside the " + k + "×" + k + " corner changed the tap");
                // a pixel inside does
                NDArray inside = map.duplicate();
                inside.set(new NDIndex(":, :, {}, {}", k - 1, k - 1), 100f);
                assertFalse(pool.forward(store, new NDList(inside), false).singletonOrThrow().contentEquals(before));
                // a global average would see the outside change
                assertFalse(outside.mean(new int[] {3}).mean(new int[] {2}).allClose(map.mean(new int[] {3}).mean(new int[] {2})));
            }
        }
    }

    private static Block build(String id, int resolution) {
        return ModelRegistry.build(ModelRegistry.spec(id, 10, resolution));
    }

    private static void collect(Block block, List<CornerAvgPool> out) {
        if (block instanceof CornerAvgPool p) {
            out.add(p);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out);
        }
    }
}
