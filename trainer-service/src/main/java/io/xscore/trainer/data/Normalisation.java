package io.xscore.trainer.data;

import java.util.List;

/** Per-channel mean and standard deviation (RGB, on the 0..1 scale). */
public record Normalisation(float[] mean, float[] std) {

    public static Normalisation of(List<Double> mean, List<Double> std) {
        if (mean == null || std == null || mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("mean and std need three channels, got " + mean + " / " + std);
        }
        float[] m = new float[3];
        float[] s = new float[3];
        for (int c = 0; c < 3; c++) {
            m[c] = mean.get(c).floatValue();
            s[c] = std.get(c).floatValue();
            if (!(s[c] > 0)) {
                throw new IllegalArgumentException("std must be positive: " + std);
            }
        }
        return new Normalisation(m, s);
    }
}
