package io.xscore.common.robustness;

import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.RobustnessSpec.CorruptionSettings;
import io.xscore.common.messaging.RobustnessSpec.LowResolutionSettings;
import io.xscore.common.messaging.RobustnessSpec.PgdSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The robustness suites' defaults and the rules a request's {@link RobustnessSpec} must meet beyond its schema (which
 * already bounds sizes and ranges). {@link #resolve} writes every default out, so that the resolved form, carried on
 * the plan and the jobs and hashed into the job id, says exactly what runs.
 */
public final class RobustnessSuites {

    /** The robust-generalization study evaluated 1,000 test images per dataset. */
    public static final int DEFAULT_IMAGES = 1000;
    public static final long DEFAULT_SEED = 0;
    /** LR0.FM's resolutions. */
    public static final List<Integer> DEFAULT_SHORTER_SIDES = List.of(16, 32, 64, 128);
    public static final List<Integer> DEFAULT_SEVERITIES = List.of(1, 2, 3, 4, 5);
    public static final String DEFAULT_NORM = "linf";
    /** ℓ∞ radii 1, 2, 4 and 8 / 255. */
    public static final List<Double> DEFAULT_LINF_EPSILONS = List.of(1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0);
    /** ℓ2 radii on [0, 1] pixels, for images of tens of pixels (larger images usually take larger ones). */
    public static final List<Double> DEFAULT_L2_EPSILONS = List.of(0.125, 0.25, 0.5, 1.0);
    public static final int DEFAULT_STEPS = 10;
    /** α = 2.5 ε / k (Madry et al. 2018). */
    public static final double DEFAULT_RELATIVE_STEP = 2.5;

    private RobustnessSuites() {
    }

    /** A request's suites break a rule; {@code field} is the JSON path below the request, e.g. {@code robustness.corruptions.names[2]}. */
    public static final class InvalidSuitesException extends IllegalArgumentException {
        private final String field;

        public InvalidSuitesException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * The resolved form of {@code spec}: defaults written out, settings present exactly for the suites named.
     *
     * @param models               the evaluation's models (the corruption baseline must be one of them)
     * @param availableCorruptions the corruptions the platform can generate, in their order (the default set)
     * @throws InvalidSuitesException when settings are given for a suite that is not named, a corruption is unknown or
     *                                the baseline is not a model of the evaluation
     */
    public static RobustnessSpec resolve(RobustnessSpec spec, List<String> models, List<String> availableCorruptions) {
        if (spec == null) {
            return null;
        }
        List<String> suites = spec.suites() == null ? List.of() : spec.suites();
        if (suites.isEmpty()) {
            throw new InvalidSuitesException("robustness.suites", "names no suite; choose from " + RobustnessSpec.SUITES);
        }
        for (int i = 0; i < suites.size(); i++) {
            if (!RobustnessSpec.SUITES.contains(suites.get(i))) {
                throw new InvalidSuitesException("robustness.suites[" + i + "]",
                        "unknown suite '" + suites.get(i) + "'; choose from " + RobustnessSpec.SUITES);
            }
        }
        requireNamed(spec.lowResolution() != null, suites, RobustnessSpec.LOW_RESOLUTION, "lowResolution");
        requireNamed(spec.corruptions() != null, suites, RobustnessSpec.CORRUPTIONS, "corruptions");
        requireNamed(spec.pgd() != null, suites, RobustnessSpec.PGD, "pgd");
        List<String> ordered = RobustnessSpec.SUITES.stream().filter(suites::contains).toList();

        LowResolutionSettings lr = null;
        if (ordered.contains(RobustnessSpec.LOW_RESOLUTION)) {
            List<Integer> sides = spec.lowResolution() == null || spec.lowResolution().shorterSides() == null
                    ? DEFAULT_SHORTER_SIDES : sortedDistinct(spec.lowResolution().shorterSides());
            lr = new LowResolutionSettings(sides);
        }
        CorruptionSettings corruptions = null;
        if (ordered.contains(RobustnessSpec.CORRUPTIONS)) {
            CorruptionSettings given = spec.corruptions() == null
                    ? new CorruptionSettings(null, null, null) : spec.corruptions();
            List<String> names = given.names() == null ? List.copyOf(availableCorruptions) : given.names();
            for (int i = 0; i < names.size(); i++) {
                if (!availableCorruptions.contains(names.get(i))) {
                    throw new InvalidSuitesException("robustness.corruptions.names[" + i + "]", "unknown corruption '"
                            + names.get(i) + "'; the platform generates " + availableCorruptions);
                }
            }
            names = availableCorruptions.stream().filter(names::contains).toList();
            List<Integer> severities = given.severities() == null ? DEFAULT_SEVERITIES
                    : sortedDistinct(given.severities());
            String baseline = given.baseline() == null ? models.get(0) : given.baseline();
            if (!models.contains(baseline)) {
                throw new InvalidSuitesException("robustness.corruptions.baseline", "'" + baseline
                        + "' is not a model of this evaluation; mCE is relative to one of " + models);
            }
            corruptions = new CorruptionSettings(names, severities, baseline);
        }
        PgdSettings pgd = null;
        if (ordered.contains(RobustnessSpec.PGD)) {
            PgdSettings given = spec.pgd() == null ? new PgdSettings(null, null, null, null, null) : spec.pgd();
            String norm = given.norm() == null ? DEFAULT_NORM : given.norm();
            List<Double> epsilons = given.epsilons() == null
                    ? ("l2".equals(norm) ? DEFAULT_L2_EPSILONS : DEFAULT_LINF_EPSILONS)
                    : given.epsilons().stream().distinct().sorted().toList();
            if ("linf".equals(norm) && epsilons.stream().anyMatch(e -> e > 1.0)) {
                throw new InvalidSuitesException("robustness.pgd.epsilons",
                        "an ℓ∞ radius is on the [0, 1] pixel scale and cannot exceed 1 (4/255 is 0.0157)");
            }
            pgd = new PgdSettings(norm, epsilons, given.steps() == null ? DEFAULT_STEPS : given.steps(),
                    given.relativeStepSize() == null ? DEFAULT_RELATIVE_STEP : given.relativeStepSize(),
                    given.randomStart() == null ? Boolean.TRUE : given.randomStart());
        }
        return new RobustnessSpec(ordered, spec.images() == null ? DEFAULT_IMAGES : spec.images(),
                spec.seed() == null ? DEFAULT_SEED : spec.seed(), lr, corruptions, pgd);
    }

    private static void requireNamed(boolean given, List<String> suites, String suite, String field) {
        if (given && !suites.contains(suite)) {
            throw new InvalidSuitesException("robustness." + field, "settings for suite '" + suite
                    + "', which robustness.suites does not name");
        }
    }

    private static List<Integer> sortedDistinct(List<Integer> values) {
        return new ArrayList<>(new LinkedHashSet<>(values)).stream().sorted().toList();
    }
}
