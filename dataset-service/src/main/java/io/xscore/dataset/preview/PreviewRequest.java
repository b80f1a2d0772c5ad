package io.xscore.dataset.preview;

import io.xscore.augment.Corruptions;
import io.xscore.common.robustness.RobustnessSuites;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.support.problem.ProblemException;

/**
 * A checked preview request: which image (index in the full split), at which size, under which perturbation. Built
 * by {@link #parse} from the query parameters as sent (strings), so that every malformed or out-of-range value is a
 * 400 problem naming the parameter; {@code size} may still be unset (the split's native size is filled in by
 * {@link Previews}, which knows it).
 *
 * @param index       the image's index in the full split (the suite's per-image seeds use this index)
 * @param size        the model's input size, or {@code null} for the split's native (stored) size
 * @param perturbation {@link Perturbation}
 * @param shorterSide n of the low-resolution transform ({@code low-resolution} only)
 * @param corruption  a name of {@link Corruptions#NAMES} ({@code corruption} only)
 * @param severity    1–5 ({@code corruption} only)
 * @param seed        the suite's seed ({@code corruption} only; default {@link RobustnessSuites#DEFAULT_SEED})
 * @param scale       nearest-neighbour magnification of the output for viewing, 1–{@value #MAX_SCALE}
 */
public record PreviewRequest(int index, Integer size, Perturbation perturbation, Integer shorterSide,
                             String corruption, Integer severity, long seed, int scale) {

    /** The perturbations a preview can show. */
    public enum Perturbation {
        /** The test transform: largest centred square, bilinear resize to the model's size. */
        CLEAN("clean"),
        /** LR0.FM: the native image's shorter side to n and back up to the model's size. */
        LOW_RESOLUTION("low-resolution"),
        /** A common corruption of the test image at a severity, seeded as the suite seeds it. */
        CORRUPTION("corruption"),
        /** A PGD adversarial example of a job: not available yet (it needs the job's stored final weights). */
        ADVERSARIAL("adversarial");

        private final String id;

        Perturbation(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** Smallest model size (the trainers' smallest input resolution). */
    public static final int MIN_SIZE = 8;
    /** Largest model size (the trainers' largest input resolution). */
    public static final int MAX_SIZE = 512;
    public static final int MAX_SCALE = 16;
    /** Largest side of the PNG, after {@code scale}. */
    public static final int MAX_OUTPUT_SIDE = 1024;

    /** Parses and checks the parameters as sent; a {@code null} is a parameter that was not sent. */
    public static PreviewRequest parse(String index, String size, String perturbation, String shorterSide,
                                       String corruption, String severity, String seed, String scale) {
        int i = integer("index", index, 0, Integer.MAX_VALUE, "an integer >= 0");
        Integer s = size == null ? null : integer("size", size, MIN_SIZE, MAX_SIZE,
                "an integer in [" + MIN_SIZE + ", " + MAX_SIZE + "]");
        Perturbation p = perturbation(perturbation);
        Integer n = null;
        String name = null;
        Integer level = null;
        long suiteSeed = RobustnessSuites.DEFAULT_SEED;
        onlyFor(p, Perturbation.LOW_RESOLUTION, "shorterSide", shorterSide);
        onlyFor(p, Perturbation.CORRUPTION, "corruption", corruption);
        onlyFor(p, Perturbation.CORRUPTION, "severity", severity);
        onlyFor(p, Perturbation.CORRUPTION, "seed", seed);
        if (p == Perturbation.LOW_RESOLUTION) {
            n = integer("shorterSide", required("shorterSide", shorterSide, p), 1, MAX_SIZE - 1,
                    "an integer >= 1 and below size");
            if (s != null && n >= s) {
                throw ProblemException.badRequest("shorterSide", "shorterSide must be below size (" + s
                        + "): the suite skips n >= the model's size; got " + n);
            }
        }
        if (p == Perturbation.CORRUPTION) {
            name = required("corruption", corruption, p);
            if (!Corruptions.NAMES.contains(name)) {
                throw ProblemException.badRequest("corruption", "corruption must be one of " + Corruptions.NAMES
                        + ("frost".equals(name) ? " ('frost' needs the reference's photographs; 'frost-procedural' is"
                                + " the generated stand-in)" : "") + "; got " + DatasetException.quoted(name));
            }
            level = integer("severity", required("severity", severity, p), 1, 5, "an integer in [1, 5]");
            if (seed != null) {
                suiteSeed = longValue("seed", seed);
            }
        }
        int times = scale == null ? 1 : integer("scale", scale, 1, MAX_SCALE, "an integer in [1, " + MAX_SCALE + "]");
        if (s != null) {
            checkOutputSide(s, times);
        }
        return new PreviewRequest(i, s, p, n, name, level, suiteSeed, times);
    }

    /** This request at the split's native size when no size was sent, checked against that size. */
    public PreviewRequest withDefaultSize(int nativeSize) {
        if (size != null) {
            return this;
        }
        int s = Math.max(MIN_SIZE, Math.min(MAX_SIZE, nativeSize));
        if (shorterSide != null && shorterSide >= s) {
            throw ProblemException.badRequest("shorterSide", "shorterSide must be below size, which defaults to the"
                    + " split's native size " + s + "; got " + shorterSide);
        }
        checkOutputSide(s, scale);
        return new PreviewRequest(index, s, perturbation, shorterSide, corruption, severity, seed, scale);
    }

    private static void checkOutputSide(int size, int scale) {
        if ((long) size * scale > MAX_OUTPUT_SIDE) {
            throw ProblemException.badRequest("scale", "size × scale must be at most " + MAX_OUTPUT_SIDE
                    + " px; got " + size + " × " + scale);
        }
    }

    private static Perturbation perturbation(String value) {
        if (value == null) {
            return Perturbation.CLEAN;
        }
        for (Perturbation p : Perturbation.values()) {
            if (p.id().equals(value)) {
                return p;
            }
        }
        throw ProblemException.badRequest("perturbation", "perturbation must be clean, low-resolution, corruption or"
                + " adversarial; got " + DatasetException.quoted(value));
    }

    private static void onlyFor(Perturbation p, Perturbation owner, String field, String value) {
        if (value != null && p != owner) {
            throw ProblemException.badRequest(field, field + " applies only to perturbation=" + owner.id()
                    + ", not to " + p.id());
        }
    }

    private static String required(String field, String value, Perturbation p) {
        if (value == null) {
            throw ProblemException.badRequest(field, field + " is required with perturbation=" + p.id());
        }
        return value;
    }

    private static int integer(String field, String value, int min, int max, String expected) {
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest(field, field + " must be " + expected + "; got "
                + DatasetException.quoted(value));
    }

    private static long longValue(String field, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(field, field + " must be a 64-bit integer; got "
                    + DatasetException.quoted(value));
        }
    }
}
