package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Which robustness suites to run on a job's final weights, and with what settings (issue 15, docs/robustness.md).
 * On a request every field but {@code suites} may be absent (defaults apply); on a plan and a job it is the
 * <em>resolved</em> form ({@code io.xscore.common.robustness.RobustnessSuites#resolve}): every default written out, a
 * settings object present exactly for each suite named. The resolved form is part of the job's identity, so the same
 * suites again name the same job and other suites another one. Schema {@code schemas/robustness-spec.v1.json}.
 *
 * @param suites        {@code low-resolution}, {@code corruptions}, {@code pgd}
 * @param images        the test images evaluated: a class-stratified subset of this size drawn with {@code seed}
 *                      (the whole split when it has no more)
 * @param seed          seeds the subset and every random perturbation, so a run can be replayed
 * @param lowResolution settings of the low-resolution (LR0.FM) suite
 * @param corruptions   settings of the common-corruption suite
 * @param pgd           settings of the PGD suite
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RobustnessSpec(
        List<String> suites,
        Integer images,
        Long seed,
        LowResolutionSettings lowResolution,
        CorruptionSettings corruptions,
        PgdSettings pgd) {

    public static final String LOW_RESOLUTION = "low-resolution";
    public static final String CORRUPTIONS = "corruptions";
    public static final String PGD = "pgd";
    public static final List<String> SUITES = List.of(LOW_RESOLUTION, CORRUPTIONS, PGD);

    public boolean runs(String suite) {
        return suites != null && suites.contains(suite);
    }

    /**
     * @param shorterSides the resolutions n: a test image's shorter side is brought to n and back to the model's input
     *                     size; n at or above the input size is skipped (and noted) by the trainer
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LowResolutionSettings(List<Integer> shorterSides) {
    }

    /**
     * @param names      corruption names as the reference code writes them (e.g. {@code gaussian_noise})
     * @param severities 1 to 5
     * @param baseline   the model of the same evaluation whose errors normalise mCE (default: the first model)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CorruptionSettings(List<String> names, List<Integer> severities, String baseline) {
    }

    /**
     * PGD-k on pixels in [0, 1], normalisation inside the model.
     *
     * @param norm             {@code linf} or {@code l2}
     * @param epsilons         radii on the [0, 1] pixel scale (ℓ∞: 4/255 = 0.0156862745…)
     * @param steps            k
     * @param relativeStepSize α = relativeStepSize · ε / k (2.5, Madry et al.'s convention)
     * @param randomStart      start from a seeded uniform point of the ε-ball
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PgdSettings(String norm, List<Double> epsilons, Integer steps, Double relativeStepSize,
                              Boolean randomStart) {
    }
}
