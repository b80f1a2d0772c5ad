package io.xscore.scoring.xscore;

import java.util.Locale;

/**
 * Divisor of the variance V over the datasets: {@link #SAMPLE} divides by D − 1 (the paper's reference code and the
 * default), {@link #POPULATION} divides by D.
 */
public enum VarianceDivisor {
    SAMPLE,
    POPULATION;

    /** The name used in messages and configuration: {@code sample} or {@code population}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VarianceDivisor parse(String text) {
        for (VarianceDivisor d : values()) {
            if (d.wireName().equalsIgnoreCase(text.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("variance divisor must be 'sample' or 'population', got '" + text + "'");
    }
}
