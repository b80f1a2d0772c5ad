package io.xscore.trainer.model;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.InvertedResidual;
import io.xscore.trainer.model.blocks.Layers;
import io.xscore.trainer.model.blocks.SqueezeExcite;
import java.util.List;

/**
 * EfficientNet (Tan &amp; Le) as torchvision defines it: 3×3 stem (stride 2, 32 channels, BN, SiLU), MBConv stages
 * (1×1 expansion, k×k depthwise, squeeze-and-excitation with max(1, in/4) channels, SiLU and a sigmoid gate, linear
 * 1×1 projection; stochastic depth rising linearly to 0.2 over the blocks), 1×1 head conv (BN, SiLU), global
 * average pool, dropout 0.2, linear classifier.
 *
 * <p>{@link #truncated()} is the benchmark's ≈ 2.57 M configuration (docs/benchmark.md §4, reference code
 * {@code EfficientNet_B0_2M}): B0 up to 80 channels, then 80→192 (k5, ×3) and 192→256 (k3, ×1), head 4 × 256 = 1024.
 */
public final class EfficientNet {

    /** One MBConv stage: expansion ratio, kernel, stride of its first block, output channels, repeats. */
    public record Stage(int expand, int kernel, int stride, int out, int repeats) {
    }

    /** EfficientNet-B0's seven stages. */
    public static final List<Stage> B0 = List.of(new Stage(1, 3, 1, 16, 1), new Stage(6, 3, 2, 24, 2),
            new Stage(6, 5, 2, 40, 2), new Stage(6, 3, 2, 80, 3), new Stage(6, 5, 1, 112, 3),
            new Stage(6, 5, 2, 192, 4), new Stage(6, 3, 1, 320, 1));

    private EfficientNet() {
    }

    public static List<Stage> truncated() {
        return List.of(B0.get(0), B0.get(1), B0.get(2), B0.get(3), new Stage(6, 5, 1, 192, 3),
                new Stage(6, 3, 1, 256, 1));
    }

    /**
     * @param depth  depth multiplier: each stage repeats ceil(repeats × depth) times
     * @param head   width of the 1×1 head conv
     */
    public static SequentialBlock build(List<Stage> stages, double depth, int head, int classes) {
        int total = 0;
        for (Stage s : stages) {
            total += repeats(s, depth);
        }
        int in = 32;
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convBnAct(in, 3, 2, 1, Activations.SILU.supplier()));
        int blockId = 0;
        for (Stage s : stages) {
            for (int i = 0; i < repeats(s, depth); i++) {
                int squeeze = Math.max(1, in / 4);
                net.add(InvertedResidual.builder(in, s.out(), in * s.expand()).kernel(s.kernel())
                        .stride(i == 0 ? s.stride() : 1).activation(Activations.SILU)
                        .se(c -> SqueezeExcite.of(c, squeeze, Activations.SILU, Activations.SIGMOID))
                        .dropPath(0.2f * blockId / total).build());
                in = s.out();
                blockId++;
            }
        }
        net.add(Layers.convBnAct(head, 1, 1, 1, Activations.SILU.supplier()));
        net.add(Layers.globalPoolFlatten());
        net.add(Dropout.builder().optRate(0.2f).build());
        net.add(Layers.linear(classes));
        return net;
    }

    private static int repeats(Stage s, double depth) {
        return (int) Math.ceil(s.repeats() * depth);
    }
}
