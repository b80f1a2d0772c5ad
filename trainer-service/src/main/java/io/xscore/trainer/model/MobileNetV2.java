package io.xscore.trainer.model;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.InvertedResidual;
import io.xscore.trainer.model.blocks.Layers;

/**
 * MobileNetV2 (Sandler et al.), torchvision's definition: 3×3 stem (stride 2, 32 channels), inverted residuals with
 * linear bottlenecks and ReLU6 (t, c, n, s) = (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2)
 * (6,320,1,1), 1×1 conv to 1280, global average pool, dropout 0.2, linear head. Widths scaled by the width multiplier
 * and rounded to multiples of 8.
 */
public final class MobileNetV2 {

    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    private MobileNetV2() {
    }

    public static SequentialBlock build(int classes, double width) {
        int in = Layers.makeDivisible(32 * width, 8);
        int last = Layers.makeDivisible(1280 * Math.max(1.0, width), 8);
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convBnAct(in, 3, 2, 1, Activations.RELU6.supplier()));
        for (int[] s : SETTINGS) {
            int out = Layers.makeDivisible(s[1] * width, 8);
            for (int i = 0; i < s[2]; i++) {
                net.add(InvertedResidual.builder(in, out, in * s[0]).kernel(3).stride(i == 0 ? s[3] : 1)
                        .activation(Activations.RELU6).build());
                in = out;
            }
        }
        net.add(Layers.convBnAct(last, 1, 1, 1, Activations.RELU6.supplier()));
        net.add(Layers.globalPoolFlatten());
        net.add(Dropout.builder().optRate(0.2f).build());
        net.add(Layers.linear(classes));
        return net;
    }
}
