package io.xscore.trainer.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.DropPath;
import io.xscore.trainer.model.blocks.Layers;
import java.util.List;

/**
 * StarNet (Ma et al., "Rewrite the Stars"), the reference implementation's structure: 3×3 stride-2 stem (conv with
 * bias, BN, ReLU6) to 32 channels; four stages, each a 3×3 stride-2 conv-BN down-sampler to base·2^i channels and
 * blocks [7×7 depthwise conv-BN → two 1×1 convs f₁, f₂ to 4× width → star ReLU6(f₁)·f₂ → 1×1 conv-BN g → 7×7
 * depthwise conv → stochastic depth, + identity]; BN, global average pool, linear head. Convolutions have biases. S1:
 * base 24, depths 2, 2, 8, 3, MLP ratio 4.
 */
public final class StarNet {

    private StarNet() {
    }

    public static SequentialBlock s1(int classes) {
        return build(classes, 24, new int[] {2, 2, 8, 3}, 4, 0f);
    }

    public static SequentialBlock build(int classes, int base, int[] depths, int mlpRatio, float dropPathRate) {
        int total = 0;
        for (int d : depths) {
            total += d;
        }
        SequentialBlock net = new SequentialBlock();
        net.add(convBn(32, 3, 2, 1)).add(Activations.RELU6.block());
        int id = 0;
        int dim = 32;
        for (int s = 0; s < depths.length; s++) {
            dim = base << s;
            net.add(convBn(dim, 3, 2, 1));
            for (int i = 0; i < depths[s]; i++) {
                float p = total > 1 ? dropPathRate * id / (total - 1) : 0f;
                net.add(block(dim, mlpRatio, p));
                id++;
            }
        }
        net.add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        net.add(Layers.globalPoolFlatten());
        net.add(Layers.linear(classes));
        return net;
    }

    static Block block(int dim, int mlpRatio, float dropPath) {
        Block star = new ParallelBlock(StarNet::star, List.of(Layers.conv(mlpRatio * dim, 1, 1, 1, true),
                Layers.conv(mlpRatio * dim, 1, 1, 1, true)));
        SequentialBlock body = new SequentialBlock()
                .add(convBn(dim, 7, 1, dim))
                .add(star)
                .add(convBn(dim, 1, 1, 1))
                .add(Layers.conv(dim, 7, 1, dim, true));
        if (dropPath > 0) {
            body.add(new DropPath(dropPath));
        }
        return Layers.residual(body);
    }

    /** The star operation ReLU6(f₁(x)) · f₂(x). */
    private static NDList star(List<NDList> branches) {
        return new NDList(Activations.RELU6.apply(branches.get(0).singletonOrThrow())
                .mul(branches.get(1).singletonOrThrow()));
    }

    private static SequentialBlock convBn(int out, int kernel, int stride, int groups) {
        return new SequentialBlock().add(Layers.conv(out, kernel, stride, groups, true)).add(Layers.batchNorm());
    }
}
