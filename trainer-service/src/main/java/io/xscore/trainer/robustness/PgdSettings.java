package io.xscore.trainer.robustness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One projected-gradient-descent attack (PGD, Madry et al. 2018, arXiv:1706.06083): the norm of the threat model, its
 * radius {@code epsilon} on pixels scaled to [0, 1] (not on normalised model inputs), the number of steps, the step size
 * (also on the [0, 1] pixel scale, measured in the same norm), whether the attack starts at a random point of the ball,
 * and the seed of that random start.
 *
 * <p>{@code stepSize} is used only when the attack takes steps ({@code steps > 0} and {@code epsilon > 0}); there it must
 * be positive and finite. An attack that takes no steps ignores it and may give 0.
 *
 * <p>This is PGD only; it is not AutoAttack (no APGD, no FAB, no Square, no ensemble) and its numbers are not
 * comparable with AutoAttack's.
 */
public record PgdSettings(Norm norm, double epsilon, int steps, double stepSize, boolean randomStart, long seed) {

    /** The norm that bounds the perturbation δ = x_adv − x. */
    public enum Norm {
        /** max_i |δ_i| ≤ ε: steps along sign(∇), projection by clipping each coordinate. */
        LINF,
        /** ‖δ‖₂ ≤ ε per example: steps along ∇/‖∇‖₂, projection by rescaling δ onto the ball. */
        L2;

        String label() {
            return this == LINF ? "linf" : "l2";
        }
    }

    /**
     * The step-size rule α = 2.5·ε/k: k steps can travel 2.5 radii, enough to reach the boundary from any start. It is
     * the default of the Madry lab's {@code robustness} library; the 2018 paper itself gives fixed step sizes.
     */
    public static final double MADRY_STEP_FACTOR = 2.5;

    /** Default ℓ∞ radii on [0, 1] pixels: 1/255, 2/255, 4/255 and 8/255 (8/255 is the usual CIFAR-10 threat model). */
    public static final List<Double> LINF_DEFAULT_EPSILONS = List.of(1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0);

    /**
     * Default ℓ2 radii on [0, 1] pixels for small (32 px) images: 0.125, 0.25, 0.5 and 1.0 (0.5 is the usual CIFAR-10 ℓ2
     * threat model; for comparison, 8/255 on every coordinate of a 3×32×32 image has ℓ2 norm ≈ 1.74).
     */
    public static final List<Double> L2_DEFAULT_EPSILONS = List.of(0.125, 0.25, 0.5, 1.0);

    /** The default number of steps (PGD-10). */
    public static final int DEFAULT_STEPS = 10;

    public PgdSettings {
        if (norm == null) {
            throw new IllegalArgumentException("norm is required (LINF or L2)");
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0 (on [0,1] pixels), got " + epsilon);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (Double.isNaN(stepSize) || Double.isInfinite(stepSize) || stepSize < 0) {
            throw new IllegalArgumentException("stepSize must be finite and >= 0, got " + stepSize);
        }
        // the parameters, not takesSteps(): the fields are assigned only after this constructor body
        if (steps > 0 && epsilon > 0 && stepSize == 0) {
            throw new IllegalArgumentException("stepSize must be > 0 for an attack with steps > 0 and epsilon > 0, got 0");
        }
    }

    /** k steps of α = 2.5·ε/k ({@link #MADRY_STEP_FACTOR}), with a random start. For k = 0, α = 0 (unused). */
    public static PgdSettings madry(Norm norm, double epsilon, int steps, long seed) {
        double alpha = steps > 0 ? MADRY_STEP_FACTOR * epsilon / steps : 0;
        return new PgdSettings(norm, epsilon, steps, alpha, true, seed);
    }

    /** PGD-10 at ε ∈ {1, 2, 4, 8}/255 in ℓ∞, α = 2.5·ε/10, random start. */
    public static List<PgdSettings> linfDefaults(long seed) {
        return defaults(Norm.LINF, LINF_DEFAULT_EPSILONS, seed);
    }

    /** PGD-10 at ε ∈ {0.125, 0.25, 0.5, 1.0} in ℓ2 (for images of about 32 px), α = 2.5·ε/10, random start. */
    public static List<PgdSettings> l2Defaults(long seed) {
        return defaults(Norm.L2, L2_DEFAULT_EPSILONS, seed);
    }

    private static List<PgdSettings> defaults(Norm norm, List<Double> epsilons, long seed) {
        List<PgdSettings> out = new ArrayList<>();
        for (double e : epsilons) {
            out.add(madry(norm, e, DEFAULT_STEPS, seed));
        }
        return List.copyOf(out);
    }

    /** The same attack at another radius, the step size scaled with it (α/ε kept). */
    public PgdSettings withEpsilon(double newEpsilon) {
        double alpha = epsilon > 0 ? stepSize * newEpsilon / epsilon : stepSize;
        return new PgdSettings(norm, newEpsilon, steps, alpha, randomStart, seed);
    }

    /** Whether the attack moves the input at all: ε > 0 and at least one step or a random start. */
    public boolean perturbs() {
        return epsilon > 0 && (steps > 0 || randomStart);
    }

    boolean takesSteps() {
        return steps > 0 && epsilon > 0;
    }

    /** E.g. {@code pgd-linf-10(eps=0.0314, step=0.0078, random-start)}. */
    public String description() {
        return String.format(Locale.ROOT, "pgd-%s-%d(eps=%.4f, step=%.4f%s)", norm.label(), steps, epsilon, stepSize,
                randomStart ? ", random-start" : "");
    }
}
