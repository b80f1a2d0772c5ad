package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import java.util.function.Supplier;

/**
 * Small factories for the layers every architecture of the zoo is made of (DJL basic-model-zoo style). Input channels
 * are inferred by DJL at initialisation, so only output channels are named. Initialisation is DJL's default (He-style
 * normal weights, zero biases; BatchNorm γ = 1, β = 0); BatchNorm ε = 1e-5 with PyTorch momentum 0.1 (DJL 0.9).
 */
public final class Layers {

    private Layers() {
    }

    /** k×k convolution with "same" padding k/2, the given stride and groups. */
    public static Conv2d conv(int out, int kernel, int stride, int groups, boolean bias) {
        return conv(out, kernel, kernel, stride, groups, bias);
    }

    /** kh×kw convolution with padding (kh/2, kw/2). */
    public static Conv2d conv(int out, int kh, int kw, int stride, int groups, boolean bias) {
        return Conv2d.builder()
                .setFilters(out)
                .setKernelShape(new Shape(kh, kw))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kh / 2, kw / 2))
                .optGroups(groups)
                .optBias(bias)
                .build();
    }

    /** A convolution with an explicit padding (patchify stems, downsampling layers). */
    public static Conv2d convPadded(int out, int kernel, int stride, int padding, boolean bias) {
        return Conv2d.builder()
                .setFilters(out)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(bias)
                .build();
    }

    public static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** Conv (no bias) → BN. */
    public static SequentialBlock convBn(int out, int kernel, int stride, int groups) {
        return new SequentialBlock().add(conv(out, kernel, stride, groups, false)).add(batchNorm());
    }

    /** Conv (no bias) → BN → activation. */
    public static SequentialBlock convBnAct(int out, int kernel, int stride, int groups, Supplier<Block> act) {
        return convBn(out, kernel, stride, groups).add(act.get());
    }

    public static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    /** {@code f(x) + x}. */
    public static Block residual(Block f) {
        return new ParallelBlock(Layers::sum, List.of(f, Blocks.identityBlock()));
    }

    /** The sum of the branches' single outputs. */
    public static NDList sum(List<NDList> branches) {
        NDArray out = branches.get(0).singletonOrThrow();
        for (int i = 1; i < branches.size(); i++) {
            out = out.add(branches.get(i).singletonOrThrow());
        }
        return new NDList(out);
    }

    /** Concatenation of the branches' single outputs along the channel axis. */
    public static NDList concatChannels(List<NDList> branches) {
        NDList all = new NDList();
        for (NDList b : branches) {
            all.add(b.singletonOrThrow());
        }
        return new NDList(ai.djl.ndarray.NDArrays.concat(all, 1));
    }

    /** Global average pool and flatten: (N, C, H, W) → (N, C). */
    public static Block globalPoolFlatten() {
        return ai.djl.nn.LambdaBlock.singleton(x -> x.mean(new int[] {3}).mean(new int[] {2}), "globalAvgPool");
    }

    /** Global average pool keeping the dimensions: (N, C, H, W) → (N, C, 1, 1). */
    public static Block globalPool() {
        return ai.djl.nn.LambdaBlock.singleton(x -> x.mean(new int[] {3}, true).mean(new int[] {2}, true),
                "globalAvgPool");
    }

    /** torchvision / TF {@code _make_divisible}: round to a multiple of {@code divisor}, never below 90 %. */
    public static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * v) {
            rounded += divisor;
        }
        return rounded;
    }
}
