package io.xscore.trainer.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.ChannelLayerNorm;
import io.xscore.trainer.model.blocks.DropPath;
import io.xscore.trainer.model.blocks.LayerScale;
import io.xscore.trainer.model.blocks.Layers;

/**
 * ConvNeXt (Liu et al.), torchvision's definition: 4×4 stride-4 patchify stem (conv with bias + channel LayerNorm),
 * stages of ConvNeXt blocks [7×7 depthwise conv (bias) → channel LayerNorm → 1×1 expansion ×4 (bias) → GELU → 1×1
 * projection (bias) → layer scale (1e-6) → stochastic depth, + identity], between stages channel LayerNorm + 2×2
 * stride-2 conv; global average pool, LayerNorm, linear head. All LayerNorms ε = 1e-6. The pointwise Linear layers of
 * the reference are 1×1 convolutions here (same parameters and arithmetic, no permutes). Benchmark configuration:
 * dims 32, 64, 128, 512, one block per stage; stochastic depth rising linearly to 0.1.
 */
public final class ConvNeXt {

    private ConvNeXt() {
    }

    public static SequentialBlock build(int classes, int[] dims, int[] depths, float stochasticDepth) {
        int total = 0;
        for (int d : depths) {
            total += d;
        }
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convPadded(dims[0], 4, 4, 0, true)).add(ChannelLayerNorm.of(1e-6f));
        int id = 0;
        for (int s = 0; s < dims.length; s++) {
            if (s > 0) {
                net.add(ChannelLayerNorm.of(1e-6f)).add(Layers.convPadded(dims[s], 2, 2, 0, true));
            }
            for (int i = 0; i < depths[s]; i++) {
                float p = total > 1 ? stochasticDepth * id / (total - 1) : 0f;
                net.add(block(dims[s], p));
                id++;
            }
        }
        net.add(Layers.globalPoolFlatten());
        net.add(ChannelLayerNorm.lastAxisNorm(1e-6f, 1));
        net.add(Layers.linear(classes));
        return net;
    }

    static Block block(int dim, float dropPath) {
        SequentialBlock body = new SequentialBlock()
                .add(Layers.conv(dim, 7, 1, dim, true))
                .add(ChannelLayerNorm.of(1e-6f))
                .add(Layers.conv(4 * dim, 1, 1, 1, true))
                .add(Activations.GELU.block())
                .add(Layers.conv(dim, 1, 1, 1, true))
                .add(new LayerScale(dim, 1e-6f));
        if (dropPath > 0) {
            body.add(new DropPath(dropPath));
        }
        return Layers.residual(body);
    }
}
