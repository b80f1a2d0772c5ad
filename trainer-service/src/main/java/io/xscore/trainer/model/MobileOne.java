package io.xscore.trainer.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.Layers;
import io.xscore.trainer.model.blocks.RepBranches;
import io.xscore.trainer.model.blocks.SqueezeExcite;

/**
 * MobileOne (Vasu et al., Apple ml-mobileone) at training time: every layer is a re-parameterisable
 * {@link RepBranches} (k conv-BN branches + 1×1 scale branch + BN identity where shapes allow) followed by ReLU. Stem:
 * 3×3 stride-2 block (one branch) to min(64, 64·w₀) channels; stages of [3×3 depthwise block (stride 2 first), 1×1
 * pointwise block] repeated 2, 8, 10, 1 times with widths 64·w₀, 128·w₁, 256·w₂, 512·w₃; global average pool;
 * linear head. S0: widths (0.75, 1, 1, 2), no SE, {@link #S0_BRANCHES} conv branches. {@link RepBranches#fuse}
 * gives the single-conv inference form of each layer (the same for any number of branches).
 */
public final class MobileOne {

    /**
     * Conv branches of S0: 2, as in the benchmark's reference code (≈ 2.16 M train-time parameters at 10 classes);
     * Apple's published S0 trains with 4 (4.28 M train-time), which {@link #build} also builds. Both fuse to the same
     * inference network.
     */
    public static final int S0_BRANCHES = 2;

    private static final int[] BLOCKS = {2, 8, 10, 1};
    private static final int[] BASE = {64, 128, 256, 512};

    private MobileOne() {
    }

    public static SequentialBlock s0(int classes) {
        return build(classes, new double[] {0.75, 1.0, 1.0, 2.0}, S0_BRANCHES, false);
    }

    public static SequentialBlock build(int classes, double[] widths, int branches, boolean se) {
        int in = Math.min(64, (int) (64 * widths[0]));
        SequentialBlock net = new SequentialBlock();
        net.add(layer(3, in, 3, 2, 1, 1, false));
        for (int s = 0; s < BLOCKS.length; s++) {
            int planes = (int) (BASE[s] * widths[s]);
            int seBlocks = !se ? 0 : s == 2 ? BLOCKS[s] / 2 : s == 3 ? BLOCKS[s] : 0;
            for (int i = 0; i < BLOCKS[s]; i++) {
                boolean useSe = i >= BLOCKS[s] - seBlocks;
                net.add(layer(in, in, 3, i == 0 ? 2 : 1, in, branches, useSe));
                net.add(layer(in, planes, 1, 1, 1, branches, useSe));
                in = planes;
            }
        }
        net.add(Layers.globalPoolFlatten());
        net.add(Layers.linear(classes));
        return net;
    }

    /** One MobileOne block: re-parameterisable conv → [SE (c/16, ReLU, sigmoid)] → ReLU. */
    static Block layer(int in, int out, int kernel, int stride, int groups, int branches, boolean se) {
        SequentialBlock block = new SequentialBlock().add(new RepBranches(in, out, kernel, stride, groups, branches));
        if (se) {
            block.add(SqueezeExcite.of(out, (int) (out * 0.0625), Activations.RELU, Activations.SIGMOID));
        }
        return block.add(Activations.RELU.block());
    }
}
