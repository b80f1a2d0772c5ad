package io.xscore.scoring.xscore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Normalisation anchors: for each dataset the accuracy (%) that maps to 0 ({@code min}) and the one that maps to 1
 * ({@code max}). Anchors are an explicit input of the calculation so that a scale can be either
 * {@link #SCALE_RECOMPUTED recomputed} from the models being scored or fixed (the paper's reference anchors,
 * {@link #SCALE_REFERENCE}), under which a model better than every reference model gets Â &gt; 1.
 *
 * @param scale  the name of the scale these anchors define ({@code recomputed} or {@code reference})
 * @param ranges dataset → (min, max)
 */
public record Anchors(String scale, Map<String, Range> ranges) {

    public static final String SCALE_RECOMPUTED = "recomputed";
    public static final String SCALE_REFERENCE = "reference";

    public Anchors {
        ranges = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    }

    /** The anchors of one dataset. {@code max − min} may be 0 (then nothing can be normalised on it). */
    public record Range(double min, double max) {
        public Range {
            if (!Double.isFinite(min) || !Double.isFinite(max) || max < min) {
                throw new IllegalArgumentException("invalid anchor range [" + min + ", " + max + "]");
            }
        }

        public double width() {
            return max - min;
        }

        /** Â = (a − min) / (max − min); the caller checks {@link #width()} &gt; 0 first. */
        public double normalise(double accuracy) {
            return (accuracy - min) / (max - min);
        }
    }

    /** Column minima and maxima of the table (the paper's anchors when the table is the reference table). */
    public static Anchors recomputed(AccuracyTable table) {
        Map<String, Range> ranges = new LinkedHashMap<>();
        for (String dataset : table.datasets()) {
            double[] column = table.column(dataset);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double a : column) {
                min = Math.min(min, a);
                max = Math.max(max, a);
            }
            ranges.put(dataset, new Range(min, max));
        }
        return new Anchors(SCALE_RECOMPUTED, ranges);
    }

    /**
     * The paper's fixed anchors: the column minima and maxima of the reference table, under the scale name
     * {@code reference}. They never move when new models are scored.
     */
    public static Anchors reference(AccuracyTable referenceTable) {
        return new Anchors(SCALE_REFERENCE, recomputed(referenceTable).ranges());
    }

    /** These anchors restricted to the given datasets (in that order); a dataset without anchors is left out. */
    public Anchors restrictedTo(java.util.List<String> datasets) {
        Map<String, Range> out = new LinkedHashMap<>();
        for (String d : datasets) {
            if (ranges.containsKey(d)) {
                out.put(d, ranges.get(d));
            }
        }
        return new Anchors(scale, out);
    }

    public Range range(String dataset) {
        return ranges.get(dataset);
    }
}
