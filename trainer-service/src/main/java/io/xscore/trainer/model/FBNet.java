package io.xscore.trainer.model;

import ai.djl.nn.SequentialBlock;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.InvertedResidual;
import io.xscore.trainer.model.blocks.Layers;

/**
 * FBNet-C (Wu et al.), timm's {@code fbnetc_100} definition (the reference code's model): 3×3 stride-2 stem of 16
 * channels, inverted residual blocks with ReLU (1×1 expansion always present, k×k depthwise, linear 1×1 projection,
 * identity shortcut at stride 1 and equal widths, no SE), 1×1 conv-BN-ReLU to 1984, global average pool, linear head.
 * Blocks (expansion, kernel, stride, out):
 * <pre>
 *   e1 k3 s1 16 | e6 k3 s2 24, e1 k3 24 ×2 | e6 k5 s2 32, e3 k5 32, e6 k5 32, e6 k3 32 |
 *   e6 k5 s2 64, e3 k5 64, e6 k5 64 ×2 | e6 k5 112 ×3, e3 k5 112 | e6 k5 s2 184 ×4 | e6 k3 352
 * </pre>
 * The width multiplier scales every width (stem, blocks, head) with rounding to multiples of 8 (timm's
 * {@code round_channels}); 1.0 is the reference (≈ 3.61 M at 10 classes), {@link #BUDGET_WIDTH} the ≈ 2.5 M variant.
 */
public final class FBNet {

    /** Width multiplier of the ≈ 2.5 M variant {@code fbnet-2.5m}. */
    public static final double BUDGET_WIDTH = 0.8;

    /** expansion, kernel, stride, out. */
    private static final int[][] BLOCKS = {
        {1, 3, 1, 16},
        {6, 3, 2, 24}, {1, 3, 1, 24}, {1, 3, 1, 24},
        {6, 5, 2, 32}, {3, 5, 1, 32}, {6, 5, 1, 32}, {6, 3, 1, 32},
        {6, 5, 2, 64}, {3, 5, 1, 64}, {6, 5, 1, 64}, {6, 5, 1, 64},
        {6, 5, 1, 112}, {6, 5, 1, 112}, {6, 5, 1, 112}, {3, 5, 1, 112},
        {6, 5, 2, 184}, {6, 5, 1, 184}, {6, 5, 1, 184}, {6, 5, 1, 184},
        {6, 3, 1, 352}};

    private FBNet() {
    }

    public static SequentialBlock build(int classes, double width) {
        int in = Layers.makeDivisible(16 * width, 8);
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convBnAct(in, 3, 2, 1, Activations.RELU.supplier()));
        for (int[] b : BLOCKS) {
            int out = Layers.makeDivisible(b[3] * width, 8);
            net.add(InvertedResidual.builder(in, out, Layers.makeDivisible(in * b[0], 8)).kernel(b[1]).stride(b[2])
                    .activation(Activations.RELU).alwaysExpand(true).build());
            in = out;
        }
        net.add(Layers.convBnAct(Layers.makeDivisible(1984 * width, 8), 1, 1, 1, Activations.RELU.supplier()));
        net.add(Layers.globalPoolFlatten());
        net.add(Layers.linear(classes));
        return net;
    }
}
