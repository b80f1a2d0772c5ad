package io.xscore.trainer.model.blocks;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.LayerNorm;

/**
 * LayerNorm over the channels of an NCHW feature map (ConvNeXt's {@code LayerNorm2d}): permute to NHWC, normalise the
 * last axis with a learnable γ, β of shape (C), permute back.
 */
public final class ChannelLayerNorm {

    private ChannelLayerNorm() {
    }

    public static Block of(float epsilon) {
        return new SequentialBlock()
                .add(LambdaBlock.singleton(x -> x.transpose(0, 2, 3, 1), "toNHWC"))
                .add(lastAxisNorm(epsilon, 3))
                .add(LambdaBlock.singleton(x -> x.transpose(0, 3, 1, 2), "toNCHW"));
    }

    /** LayerNorm over the last axis ({@code axis}) of arrays of rank axis + 1: tokens, NHWC maps, vectors. */
    public static LayerNorm lastAxisNorm(float epsilon, int axis) {
        return LayerNorm.builder().axis(axis).optEpsilon(epsilon).build();
    }
}
