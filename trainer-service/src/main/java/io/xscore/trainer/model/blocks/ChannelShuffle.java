package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/** ShuffleNet's channel shuffle: (N, g·c, H, W) → view (N, g, c, H, W) → swap g and c → (N, c·g, H, W). */
public final class ChannelShuffle {

    private ChannelShuffle() {
    }

    public static Block of(int groups) {
        return LambdaBlock.singleton(x -> shuffle(x, groups), "channelShuffle");
    }

    public static NDArray shuffle(NDArray x, int groups) {
        Shape s = x.getShape();
        long c = s.get(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException(c + " channels do not split into " + groups + " groups");
        }
        return x.reshape(s.get(0), groups, c / groups, s.get(2), s.get(3)).transpose(0, 2, 1, 3, 4).reshape(s);
    }
}
