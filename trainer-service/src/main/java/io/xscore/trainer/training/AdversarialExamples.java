package io.xscore.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.xscore.common.protocol.AdversarialTraining;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.robustness.FrozenParameters;
import java.util.SplittableRandom;

/**
 * The inner maximisation of robust training: ℓ∞ PGD (Madry et al. 2018, arXiv:1706.06083) on one training batch,
 * giving the x' that {@link RobustTraining} trains on.
 *
 * <p><b>Pixels.</b> The batch arrives normalised, z = (x − mean)/std, after RandomErasing and CutMix. The attack works
 * on x = z·std + mean in [0, 1] and normalises inside the differentiated function, so ε and α are on the pixel scale
 * (as in the robustness suites' {@code PgdAttack}); the result is normalised again for the training forward. Erased
 * regions are 0 in z, i.e. the dataset mean in x, and CutMix pastes pixels of the same batch, so x lies in [0, 1].
 *
 * <p><b>Objective.</b> {@code ce}: the cross-entropy against the batch's training targets t (label-smoothed and
 * CutMix-mixed: the loss the training step minimises); {@code kl}: KL(p ‖ softmax f(x')) with p = softmax f(x)
 * computed once at the clean batch (only its f(x') part has a gradient, so −Σ p·log softmax f(x') is differentiated).
 * Both are summed over the batch, so each example's gradient is its own.
 *
 * <p><b>Step.</b> x ← clip(x + α·sign(∇), max(x₀ − ε, 0), min(x₀ + ε, 1)): the exact projection onto the ε-ball
 * intersected with the [0, 1] box. k steps; the last iterate is x' (no early stop, no best-iterate selection: as in the
 * training code of Madry et al. and TRADES). Start: x₀, or x₀ + U(−ε, ε) ({@code uniform}), or x₀ + 0.001·N(0, 1)
 * ({@code gaussian}, TRADES), projected; the draws come from a Java generator seeded per batch by the caller, so a run
 * resumed at any batch draws the same start.
 *
 * <p><b>The model is not changed.</b> Forward passes are {@code forward(..., false)}: BatchNorm uses and keeps its
 * running statistics, dropout and drop path are off. While the attack runs every parameter that requires a gradient is
 * switched to {@code requires_grad = false} (restored in a {@code finally}): backward computes the input gradient only
 * and nothing is accumulated into the parameters' {@code .grad}, which Adam reads after the training step. It must run
 * while no other {@link GradientCollector} is open (DJL allows one at a time): before the training step's.
 */
final class AdversarialExamples {

    private final AdversarialTraining settings;
    private final double stepSize;
    private final Block block;
    private final ParameterStore store;
    private final Normalisation normalisation;

    AdversarialExamples(AdversarialTraining settings, Block block, ParameterStore store, Normalisation normalisation) {
        this.settings = settings;
        this.stepSize = settings.effectiveStepSize();
        this.block = block;
        this.store = store;
        this.normalisation = normalisation;
    }

    /**
     * x' for a batch, normalised like {@code images} and attached to {@code manager}; {@code images} itself when the
     * settings do not perturb (ε = 0, or no step and no random start).
     *
     * @param images  the training batch (N, 3, H, W), normalised
     * @param targets the batch's training targets (N, K), used by the {@code ce} objective
     * @param seed    seeds the random start of this batch
     */
    NDArray generate(NDManager manager, NDArray images, NDArray targets, long seed) {
        if (!settings.perturbs()) {
            return images;
        }
        boolean gradMode = JniUtils.isGradMode();
        FrozenParameters frozen = FrozenParameters.of(block);
        try {
            JniUtils.setGradMode(false);
            NDArray mean = manager.create(normalisation.mean(), new Shape(1, 3, 1, 1)).toDevice(images.getDevice(), false);
            NDArray std = manager.create(normalisation.std(), new Shape(1, 3, 1, 1)).toDevice(images.getDevice(), false);
            NDArray x0 = images.mul(std).add(mean);
            float eps = (float) settings.epsilon();
            NDArray lower = x0.sub(eps).maximum(0f);
            NDArray upper = x0.add(eps).minimum(1f);
            NDArray aim = AdversarialTraining.KL.equals(settings.innerMaximises())
                    ? logits(images).softmax(1) : targets;
            NDArray x = start(manager, x0, seed).maximum(lower).minimum(upper);
            for (int step = 0; step < settings.steps(); step++) {
                NDArray g = inputGradient(x, aim, mean, std);
                x = x.add(g.sign().mul((float) stepSize)).maximum(lower).minimum(upper);
            }
            return x.sub(mean).div(std);
        } finally {
            JniUtils.setGradMode(gradMode);
            frozen.close();
        }
    }

    private NDArray logits(NDArray normalised) {
        return block.forward(store, new NDList(normalised), false).singletonOrThrow();
    }

    /** ∇ₓ of −Σ aim·log softmax f((x − mean)/std): the summed CE against the targets, or the KL's x'-dependent part. */
    private NDArray inputGradient(NDArray x, NDArray aim, NDArray mean, NDArray std) {
        NDArray leaf = x.duplicate();
        leaf.setRequiresGradient(true);
        try (GradientCollector collector = x.getManager().getEngine().newGradientCollector()) {
            // mean and std are arrays of the step's manager, alive until after backward (see Constants)
            NDArray loss = logits(leaf.sub(mean).div(std)).logSoftmax(1).mul(aim).sum().neg();
            collector.backward(loss);
        }
        return leaf.getGradient();
    }

    private NDArray start(NDManager manager, NDArray x0, long seed) {
        String kind = settings.randomStart();
        if (AdversarialTraining.START_NONE.equals(kind)) {
            return x0;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] noise = new float[Math.toIntExact(x0.size())];
        if (AdversarialTraining.START_UNIFORM.equals(kind)) {
            double eps = settings.epsilon();
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (eps * (2 * rng.nextDouble() - 1));
            }
        } else {
            double sigma = AdversarialTraining.GAUSSIAN_START_SIGMA;
            for (int i = 0; i < noise.length; i += 2) {
                // Box–Muller: two standard normals from two uniforms (1 − u avoids log 0)
                double r = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
                double t = 2 * Math.PI * rng.nextDouble();
                noise[i] = (float) (sigma * r * Math.cos(t));
                if (i + 1 < noise.length) {
                    noise[i + 1] = (float) (sigma * r * Math.sin(t));
                }
            }
        }
        return x0.add(manager.create(noise, x0.getShape()).toDevice(x0.getDevice(), false));
    }

}
