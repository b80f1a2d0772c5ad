package io.xscore.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.ChannelShuffle;
import io.xscore.trainer.model.blocks.Layers;
import java.util.List;

/**
 * ShuffleNetV2 (Ma et al.), torchvision's definition with the benchmark's stages: 3×3 stem (stride 2, 24 channels),
 * 3×3 max pool (stride 2), stages of 192, 360, 600 channels repeated 4, 8, 4 times, 1×1 conv to 1024, global
 * average pool, linear head. A stride-1 unit splits the channels in halves and transforms one (1×1 conv-BN-ReLU,
 * 3×3 depthwise conv-BN, 1×1 conv-BN-ReLU); a stride-2 unit transforms the whole input in two branches; the halves
 * are concatenated and channel-shuffled with 2 groups (the reference code omitted the shuffle; here it is done).
 */
public final class ShuffleNetV2 {

    private ShuffleNetV2() {
    }

    public static SequentialBlock build(int classes, int[] repeats, int[] channels, int head) {
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convBnAct(24, 3, 2, 1, Activations.RELU.supplier()));
        net.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int in = 24;
        for (int s = 0; s < repeats.length; s++) {
            for (int i = 0; i < repeats[s]; i++) {
                net.add(unit(in, channels[s], i == 0 ? 2 : 1));
                in = channels[s];
            }
        }
        net.add(Layers.convBnAct(head, 1, 1, 1, Activations.RELU.supplier()));
        net.add(Layers.globalPoolFlatten());
        net.add(Layers.linear(classes));
        return net;
    }

    static Block unit(int in, int out, int stride) {
        int half = out / 2;
        Block main = new SequentialBlock()
                .add(Layers.convBnAct(half, 1, 1, 1, Activations.RELU.supplier()))
                .add(Layers.convBn(half, 3, stride, half))
                .add(Layers.convBnAct(half, 1, 1, 1, Activations.RELU.supplier()));
        ParallelBlock halves;
        if (stride == 1) {
            Block passed = LambdaBlock.singleton(x -> x.split(2, 1).get(0), "firstHalf");
            Block transformed = new SequentialBlock()
                    .add(LambdaBlock.singleton(x -> x.split(2, 1).get(1), "secondHalf")).add(main);
            halves = new ParallelBlock(Layers::concatChannels, List.of(passed, transformed));
        } else {
            Block side = new SequentialBlock()
                    .add(Layers.convBn(in, 3, stride, in))
                    .add(Layers.convBnAct(half, 1, 1, 1, Activations.RELU.supplier()));
            halves = new ParallelBlock(Layers::concatChannels, List.of(side, main));
        }
        return new SequentialBlock().add(halves).add(ChannelShuffle.of(2));
    }
}
