package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * Squeeze-and-excitation (Hu et al.): x · gate(W₂ act(W₁ GAP(x) + b₁) + b₂), both 1×1 convolutions with bias. The
 * reduced width, inner activation and gate vary by architecture (EfficientNet: in/4, SiLU, sigmoid; GhostNet:
 * make_divisible(c/4, 4), ReLU, hard-sigmoid; MobileOne: c/16, ReLU, sigmoid).
 */
public final class SqueezeExcite {

    private SqueezeExcite() {
    }

    public static Block of(int channels, int reduced, Activations inner, Activations gate) {
        SequentialBlock excite = new SequentialBlock()
                .add(LambdaBlock.singleton(x -> x.mean(new int[] {3}, true).mean(new int[] {2}, true), "squeeze"))
                .add(Layers.conv(reduced, 1, 1, 1, true))
                .add(inner.block())
                .add(Layers.conv(channels, 1, 1, 1, true))
                .add(gate.block());
        return new ParallelBlock(SqueezeExcite::scale, List.of(excite, Blocks.identityBlock()));
    }

    private static NDList scale(List<NDList> branches) {
        return new NDList(branches.get(1).singletonOrThrow().mul(branches.get(0).singletonOrThrow()));
    }
}
