package io.xscore.trainer.model.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.xscore.trainer.model.OneTorchThread;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: DJL's {@code NDArray.mul(Number)} (and div, minimum, ...) wraps the constant in a tensor over a Java
 * direct buffer and closes it at once; autograd keeps the native tensor, but the buffer may be garbage-collected and
 * its memory reused before backward, which then reads garbage (ExMobileViT once got gradients of 1e35 and NaN). The
 * blocks keep their constants alive until the step's manager closes. Here a garbage collection and a flood of small
 * direct allocations run between forward and backward, and the gradient must equal the undisturbed one.
 */
@ExtendWith(OneTorchThread.class)
class ConstantsSurviveGcTest {

    private static float[] inputGradient(Function<NDArray, NDArray> op, Shape shape, boolean disturb) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = manager.randomNormal(shape).mul(manager.create(4f));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(x);
                if (disturb) {
                    disturbNativeMemory();
                }
                gc.backward(y.mul(manager.arange((float) y.getShape().size()).reshape(y.getShape())).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** Frees unreachable direct buffers and fills freed native memory with huge values. */
    private static void disturbNativeMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            List<ByteBuffer> flood = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4);
                b.putFloat(0, 1e30f);
                flood.add(b);
            }
            flood.clear();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"attention", "hard-sigmoid", "relu6", "drop-path"})
    void gradientsDoNotDependOnGarbageCollection(String which) {
        Shape shape = "attention".equals(which) ? new Shape(2, 6, 8) : new Shape(2, 3, 4, 4);
        Function<NDArray, NDArray> op = switch (which) {
            case "attention" -> x -> {
                Block b = new MultiHeadSelfAttention(8, 2);
                b.initialize(x.getManager(), DataType.FLOAT32, x.getShape());
                return b.forward(new ParameterStore(x.getManager(), false), new NDList(x), true).singletonOrThrow();
            };
            case "hard-sigmoid" -> Activations.HARD_SIGMOID::apply;
            case "relu6" -> Activations.RELU6::apply;
            default -> x -> {
                Block b = new DropPath(0.5f);
                return b.forward(new ParameterStore(x.getManager(), false), new NDList(x), true).singletonOrThrow();
            };
        };
        float[] calm = inputGradient(op, shape, false);
        for (int run = 0; run < 3; run++) {
            assertArrayEquals(calm, inputGradient(op, shape, true), which + ", run " + run);
        }
    }
}
