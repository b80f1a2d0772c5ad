package io.xscore.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Set;

/**
 * Robust training of a protocol (non-paper only): every training batch is attacked by PGD and the model is trained on
 * the result (docs/robustness.md, "Robust training").
 *
 * <ul>
 *   <li>{@code at}, classic adversarial training (Madry et al. 2018, arXiv:1706.06083):
 *       {@code L = CE(f(x'), t)};</li>
 *   <li>{@code trades} (Zhang et al. 2019, arXiv:1901.08573):
 *       {@code L = CE(f(x), t) + β·KL(softmax f(x) ‖ softmax f(x'))}, the gradient flowing through both branches.</li>
 * </ul>
 *
 * x' is PGD within the {@code norm} ball of radius {@code epsilon} on [0, 1] pixels, {@code steps} steps of size
 * α, run with the model in inference mode. The inner attack maximises either the training cross-entropy against the
 * batch's targets ({@code innerMaximises = ce}: classic AT, and TRADES in the form of the robust-generalisation study,
 * arXiv:2508.14079) or {@code KL(softmax f(x) ‖ softmax f(x'))} ({@code kl}: the original TRADES).
 *
 * @param method           {@code at} or {@code trades}
 * @param norm             {@code linf} (the only norm implemented for training)
 * @param epsilon          radius on [0, 1] pixels (e.g. 4/255)
 * @param steps            PGD steps k
 * @param relativeStepSize r in α = r·ε/k; ignored when {@code stepSize} is given
 * @param stepSize         α on [0, 1] pixels; {@link Protocols} fills it in from {@code relativeStepSize}, so a
 *                         resolved protocol records the step the trainer takes
 * @param randomStart      {@code none} (start at x), {@code uniform} (uniform in the ε-ball, as Madry et al.) or
 *                         {@code gaussian} (x + 0.001·N(0, 1), as the original TRADES code)
 * @param beta             TRADES' weight of the KL term; null for {@code at}
 * @param innerMaximises   {@code ce} or {@code kl} ({@code kl} only for {@code trades})
 * @param description      which form this is and where its numbers come from (part of the definition)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdversarialTraining(
        String method,
        String norm,
        double epsilon,
        int steps,
        Double relativeStepSize,
        Double stepSize,
        String randomStart,
        Double beta,
        String innerMaximises,
        String description) {

    public static final String AT = "at";
    public static final String TRADES = "trades";
    public static final String LINF = "linf";
    public static final String CE = "ce";
    public static final String KL = "kl";
    public static final String START_NONE = "none";
    public static final String START_UNIFORM = "uniform";
    public static final String START_GAUSSIAN = "gaussian";

    /** σ of the {@code gaussian} random start on [0, 1] pixels: TRADES' {@code 0.001 * torch.randn}. */
    public static final double GAUSSIAN_START_SIGMA = 0.001;

    private static final int MAX_STEPS = 1000;

    public AdversarialTraining {
        if (!Set.of(AT, TRADES).contains(method)) {
            throw new IllegalArgumentException("adversarialTraining.method must be 'at' or 'trades', got " + method);
        }
        if (!LINF.equals(norm)) {
            throw new IllegalArgumentException("adversarialTraining.norm must be 'linf', got " + norm);
        }
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("adversarialTraining.epsilon must be in [0, 1] (pixels), got " + epsilon);
        }
        if (steps < 0 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("adversarialTraining.steps must be in 0.." + MAX_STEPS + ", got " + steps);
        }
        checkNonNegative("relativeStepSize", relativeStepSize);
        checkNonNegative("stepSize", stepSize);
        if (steps > 0 && epsilon > 0 && positive(stepSize) == null && positive(relativeStepSize) == null) {
            throw new IllegalArgumentException("adversarialTraining: a positive stepSize or relativeStepSize is "
                    + "required for steps > 0 and epsilon > 0");
        }
        if (!Set.of(START_NONE, START_UNIFORM, START_GAUSSIAN).contains(randomStart)) {
            throw new IllegalArgumentException("adversarialTraining.randomStart must be 'none', 'uniform' or "
                    + "'gaussian', got " + randomStart);
        }
        if (!Set.of(CE, KL).contains(innerMaximises)) {
            throw new IllegalArgumentException("adversarialTraining.innerMaximises must be 'ce' or 'kl', got "
                    + innerMaximises);
        }
        if (TRADES.equals(method)) {
            if (beta == null || !(beta >= 0) || beta.isInfinite()) {
                throw new IllegalArgumentException("adversarialTraining.beta must be finite and >= 0 for trades, got "
                        + beta);
            }
        } else {
            if (beta != null) {
                throw new IllegalArgumentException("adversarialTraining.beta applies to trades only");
            }
            if (KL.equals(innerMaximises)) {
                throw new IllegalArgumentException("adversarialTraining.innerMaximises 'kl' applies to trades only");
            }
        }
    }

    /**
     * The same settings with {@code stepSize} given: α = relativeStepSize·ε/k when only the relative size is set (0 for
     * an attack that takes no steps).
     */
    public AdversarialTraining resolved() {
        if (stepSize != null) {
            return this;
        }
        double alpha = steps > 0 && relativeStepSize != null ? relativeStepSize * epsilon / steps : 0.0;
        return new AdversarialTraining(method, norm, epsilon, steps, relativeStepSize, alpha, randomStart, beta,
                innerMaximises, description);
    }

    /** α on [0, 1] pixels (as {@link #resolved()} gives it). */
    public double effectiveStepSize() {
        return resolved().stepSize();
    }

    /** Whether x' can differ from x: ε > 0 and at least one step or a random start. */
    public boolean perturbs() {
        return epsilon > 0 && (steps > 0 || !START_NONE.equals(randomStart));
    }

    public boolean trades() {
        return TRADES.equals(method);
    }

    private static void checkNonNegative(String name, Double value) {
        if (value != null && (!(value >= 0) || value.isInfinite())) {
            throw new IllegalArgumentException("adversarialTraining." + name + " must be finite and >= 0, got " + value);
        }
    }

    private static Double positive(Double value) {
        return value != null && value > 0 ? value : null;
    }
}
