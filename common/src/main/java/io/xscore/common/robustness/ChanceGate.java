package io.xscore.common.robustness;

import java.util.function.DoubleUnaryOperator;

/**
 * The factor g(ε) by which LR0.FM's improved relative robustness Γ = γ · g(ε) damps γ when the clean accuracy is
 * close to chance: ε = A_HR − A_random, g(0) = 0, g → 1 as ε grows, with sharpness α (the paper uses α = 200).
 *
 * <p>The paper's closed form of g (its Eq. 1) could not be confirmed from the text available to us, so the form is a
 * named, replaceable value: {@link #PROVISIONAL} is our reading and every result computed with it must say so (its
 * {@link #name()} is recorded with the result). See docs/robustness.md.
 *
 * @param name recorded with every Γ computed through this gate
 * @param form g(ε) for ε &gt; 0; the gate is 0 for ε ≤ 0 whatever the form
 */
public record ChanceGate(String name, DoubleUnaryOperator form) {

    /** LR0.FM's sharpness constant, "a middle value" in the paper's discussion. */
    public static final double LR0FM_ALPHA = 200;

    /** g(ε) = 1 − e^(−αε) with α = 200: our reading, UNCONFIRMED against the paper's Eq. 1. */
    public static final ChanceGate PROVISIONAL = exponential(LR0FM_ALPHA);

    public ChanceGate {
        if (name == null || name.isBlank() || form == null) {
            throw new IllegalArgumentException("a chance gate needs a name and a form");
        }
    }

    /** g(ε) = 1 − e^(−αε): 0 at chance, 1 − e^(−2) ≈ 0.86 at ε = 2/α, within 10⁻⁴ of 1 from ε ≈ 9.2/α. */
    public static ChanceGate exponential(double alpha) {
        requirePositive(alpha);
        return new ChanceGate("1-exp(-" + alpha + "*eps) (provisional)", eps -> -Math.expm1(-alpha * eps));
    }

    /** g(ε) = 1 − 2/(1 + e^(αε)) = tanh(αε/2): a logistic alternative, equally UNCONFIRMED. */
    public static ChanceGate logistic(double alpha) {
        requirePositive(alpha);
        return new ChanceGate("tanh(" + alpha + "*eps/2) (provisional)", eps -> Math.tanh(alpha * eps / 2));
    }

    /** g(ε), 0 for ε ≤ 0 (at or below chance nothing is left to be robust about). */
    public double at(double epsilon) {
        if (Double.isNaN(epsilon)) {
            throw new IllegalArgumentException("ε is NaN");
        }
        return epsilon <= 0 ? 0 : form.applyAsDouble(epsilon);
    }

    private static void requirePositive(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("α must be positive and finite, got " + alpha);
        }
    }
}
