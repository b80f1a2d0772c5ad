package io.xscore.dataset.preprocess;

import io.xscore.common.shard.ImageShard;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-channel mean and standard deviation of uint8 pixels on the 0..1 scale, from exact integer sums (so the result
 * does not depend on the order shards are added in), rounded to 4 decimals.
 */
final class PixelStats {

    private final long[] sum;
    private final long[] sumSquares;
    private long perChannel;

    PixelStats(int channels) {
        sum = new long[channels];
        sumSquares = new long[channels];
    }

    void add(ImageShard shard) {
        byte[] pixels = shard.pixels();
        int channels = sum.length;
        for (int c = 0; c < channels; c++) {
            long s = 0;
            long q = 0;
            for (int i = c; i < pixels.length; i += channels) {
                int v = pixels[i] & 0xff;
                s += v;
                q += v * v;
            }
            sum[c] += s;
            sumSquares[c] += q;
        }
        perChannel += pixels.length / channels;
    }

    List<Double> mean() {
        List<Double> mean = new ArrayList<>();
        for (long s : sum) {
            mean.add(round(perChannel == 0 ? 0 : s / (255.0 * perChannel)));
        }
        return mean;
    }

    List<Double> std() {
        List<Double> std = new ArrayList<>();
        for (int c = 0; c < sum.length; c++) {
            if (perChannel == 0) {
                std.add(0.0);
                continue;
            }
            double m = (double) sum[c] / perChannel;
            double variance = Math.max(0, (double) sumSquares[c] / perChannel - m * m);
            std.add(round(Math.sqrt(variance) / 255.0));
        }
        return std;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
