package io.xscore.trainer.protocol;

import io.xscore.common.protocol.ProtocolSpec;

/**
 * The learning rate of docs/benchmark.md §3, set once per epoch e = 0..E−1: linear warm-up
 * {@code lr_max·(e+1)/W} for e &lt; W, then cosine {@code lr_min + (lr_max−lr_min)·0.5·(1+cos(π·p))} with
 * {@code p = (e+1−W)/(E−W)}, so the last epoch runs at lr_min.
 */
public record LrSchedule(int epochs, int warmupEpochs, double lrMax, double lrMin) {

    public LrSchedule {
        if (epochs < 1 || warmupEpochs < 0 || warmupEpochs >= epochs && epochs > 1) {
            throw new IllegalArgumentException("bad schedule: epochs " + epochs + ", warm-up " + warmupEpochs);
        }
    }

    public static LrSchedule of(ProtocolSpec protocol, String model) {
        return new LrSchedule(protocol.epochs(), protocol.warmupEpochs(), protocol.lrMaxFor(model), protocol.lrMin());
    }

    public double lr(int epoch) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " outside 0.." + (epochs - 1));
        }
        if (epoch < warmupEpochs) {
            return lrMax * (epoch + 1) / warmupEpochs;
        }
        double p = (double) (epoch + 1 - warmupEpochs) / (epochs - warmupEpochs);
        return lrMin + (lrMax - lrMin) * 0.5 * (1 + Math.cos(Math.PI * p));
    }
}
