package io.xscore.trainer.model;

import ai.djl.nn.SequentialBlock;

/**
 * TinyNet as docs/benchmark.md §4 evaluates it: the EfficientNet-B0 definition ({@link EfficientNet#B0}: MBConv with SE
 * 0.25, Swish, stochastic depth 0.2, dropout 0.2) with depth multiplier 0.5 (stage repeats 1,1,1,2,2,2,1), width 1.0
 * and the 1280-channel head.
 */
public final class TinyNet {

    private TinyNet() {
    }

    public static SequentialBlock build(int classes) {
        return EfficientNet.build(EfficientNet.B0, 0.5, 1280, classes);
    }
}
