package io.xscore.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.UniformInitializer;
import java.util.List;

/**
 * ConvMixer (Trockman &amp; Kolter, "Patches Are All You Need?"), as docs/benchmark.md §4 describes it, in the style of
 * DJL's basic model zoo: a builder composing {@link SequentialBlock}s and {@link ParallelBlock}s.
 *
 * <pre>
 *   Conv2d(3 → dim, kernel = stride = patch) → GELU → BN
 *   depth × [ Residual(depthwise Conv2d(k×k, groups = dim, padding k/2) → GELU → BN),
 *             pointwise Conv2d(1×1) → GELU → BN ]
 *   global average pool → Linear(classes)
 * </pre>
 *
 * <p>Initialisation is PyTorch's default for {@code nn.Conv2d}/{@code nn.Linear} (weights and biases uniform in
 * ±1/√fan_in) and BatchNorm γ = 1, β = 0, so a DJL model starts from the same distribution as the reference code.
 * BatchNorm uses ε = 1e-5 and DJL momentum 0.9 (= PyTorch momentum 0.1).
 */
public final class ConvMixer {

    private ConvMixer() {
    }

    /**
     * Patch size from the input resolution: ≥192 px → 7, ≥128 → 5, ≥64 → 4, else 2. This matches the paper's
     * configurations (patch 7 at 224, 5 at 160) and keeps a sensible token grid at small resolutions (16×16 at 32 px).
     */
    public static int patchFor(int resolution) {
        if (resolution >= 192) {
            return 7;
        }
        if (resolution >= 128) {
            return 5;
        }
        if (resolution >= 64) {
            return 4;
        }
        return 2;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int dim = 512;
        private int depth = 8;
        private int kernel = 5;
        private int patch = 7;
        private int classes = 10;
        private int inChannels = 3;

        public Builder dim(int dim) {
            this.dim = dim;
            return this;
        }

        public Builder depth(int depth) {
            this.depth = depth;
            return this;
        }

        public Builder kernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder patch(int patch) {
            this.patch = patch;
            return this;
        }

        public Builder classes(int classes) {
            this.classes = classes;
            return this;
        }

        public Builder inChannels(int inChannels) {
            this.inChannels = inChannels;
            return this;
        }

        public SequentialBlock build() {
            if (dim < 1 || depth < 1 || kernel < 1 || kernel % 2 == 0 || patch < 1 || classes < 1) {
                throw new IllegalArgumentException("bad ConvMixer configuration: dim " + dim + ", depth " + depth
                        + ", kernel " + kernel + " (odd), patch " + patch + ", classes " + classes);
            }
            SequentialBlock net = new SequentialBlock();
            net.add(conv(new Shape(patch, patch), new Shape(patch, patch), new Shape(0, 0), 1,
                    inChannels * patch * patch));
            net.add(Activation.geluBlock());
            net.add(batchNorm());
            for (int i = 0; i < depth; i++) {
                SequentialBlock mixer = new SequentialBlock()
                        .add(conv(new Shape(kernel, kernel), new Shape(1, 1), new Shape(kernel / 2, kernel / 2), dim,
                                kernel * kernel))
                        .add(Activation.geluBlock())
                        .add(batchNorm());
                net.add(residual(mixer));
                net.add(conv(new Shape(1, 1), new Shape(1, 1), new Shape(0, 0), 1, dim));
                net.add(Activation.geluBlock());
                net.add(batchNorm());
            }
            net.add(Pool.globalAvgPool2dBlock());
            Linear head = Linear.builder().setUnits(classes).build();
            torchDefaultInit(head, dim);
            net.add(head);
            return net;
        }

        private Conv2d conv(Shape kernelShape, Shape stride, Shape padding, int groups, int fanIn) {
            Conv2d conv = Conv2d.builder()
                    .setKernelShape(kernelShape)
                    .setFilters(dim)
                    .optStride(stride)
                    .optPadding(padding)
                    .optGroups(groups)
                    .build();
            torchDefaultInit(conv, fanIn);
            return conv;
        }
    }

    /** A block computing {@code f(x) + x}. */
    public static Block residual(Block f) {
        return new ParallelBlock(ConvMixer::sum, List.of(f, Blocks.identityBlock()));
    }

    private static NDList sum(List<NDList> branches) {
        NDArray out = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
        return new NDList(out);
    }

    private static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** PyTorch's default: kaiming_uniform(a=√5) for weights = U(±1/√fan_in), and U(±1/√fan_in) for biases. */
    private static void torchDefaultInit(Block block, int fanIn) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        block.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        block.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
    }
}
