package io.xscore.trainer.robustness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.xscore.trainer.data.Normalisation;
import java.util.SplittableRandom;

/**
 * PGD (Madry et al. 2018, arXiv:1706.06083) against a trained DJL model: maximises the cross-entropy of the true label
 * within an ℓ∞ or ℓ2 ball of radius ε around each image, on pixels in [0, 1].
 *
 * <p><b>Where ε lives.</b> The model was trained on normalised inputs (x − mean)/std. The attack works on [0, 1]
 * pixels and applies the normalisation inside the differentiated function, as NDArray ops, so the gradient is taken
 * with respect to the pixels and ε, the step size and the [0, 1] box are all on the pixel scale.
 *
 * <p><b>One step.</b> With g = ∇ₓ CE(f((x − mean)/std), y) (the loss is summed over the batch, so each example's
 * gradient is its own): ℓ∞: x ← Π(x + α·sign(g)); ℓ2: x ← Π(x + α·g/‖g‖₂) per example (a zero gradient gives no
 * step). Π subtracts the clean image x₀, projects δ onto the ε-ball (ℓ∞: clip every coordinate to [−ε, ε]; ℓ2:
 * δ·min(1, ε/‖δ‖₂)) and then clips x₀ + δ to [0, 1]. Clipping after the ball never leaves the ball (each coordinate
 * moves towards x₀ ∈ [0, 1]), so the result lies in both sets; for ℓ∞ it is the exact projection onto their
 * intersection, for ℓ2 a feasible point that need not be the nearest one (the usual PGD implementation).
 *
 * <p><b>Random start.</b> ℓ∞: δ uniform in [−ε, ε] per coordinate; ℓ2: δ uniform in the ℓ2 ball (a Gaussian direction,
 * radius ε·u^(1/d)); then clipped to [0, 1]. The draws come from a {@link SplittableRandom} seeded per example by
 * (settings seed, the example's index in the evaluated set), with Box–Muller for the Gaussians, all in Java: a run is
 * replayable bit for bit whatever the batch size, the device or PyTorch's global generator (which training re-seeds).
 *
 * <p><b>Success is kept.</b> An example counts as fooled as soon as the clean image, the random start or any iterate is
 * misclassified; it is then frozen at that point and is what {@link BatchResult#adversarialPixels()} returns. Because
 * later iterates only depend on earlier ones, the iterates of a k-step attack are the first k of a k'-step attack with
 * the same ε, step size and seed (k < k'), so more steps never fool fewer examples.
 *
 * <p><b>The model is not changed.</b> The forward pass is {@code block.forward(store, x, false)}: BatchNorm uses its
 * running statistics and does not update them, dropout and drop path are off. During an attack every model parameter
 * that requires a gradient is switched to {@code requires_grad = false} (restored in a {@code finally}), so backward
 * computes the gradient of the input only: nothing is accumulated into the parameters' {@code .grad}, which the
 * training step's Adam would otherwise read, and the backward pass is cheaper. No optimiser is involved.
 *
 * <p><b>Memory.</b> Every batch runs in a sub-manager of the given manager that is closed at the end of the call; DJL
 * constants of the differentiated function are arrays on it, never scalar overloads (see
 * {@link io.xscore.trainer.model.blocks.Constants}).
 *
 * <p><b>Threads.</b> DJL's PyTorch engine allows one {@link GradientCollector} per JVM at a time, and the parameter
 * switch above is visible to anyone using the same block: do not attack while the same JVM trains, and use one
 * attack at a time.
 */
public final class PgdAttack {

    private static final float TINY = 1e-12f;

    private final Block block;
    private final ParameterStore store;
    private final NDManager manager;
    private final Normalisation normalisation;
    private long gradientSteps;

    /**
     * @param block         the trained model, initialised (the forward pass runs in inference mode)
     * @param store         the parameter store the model was trained or evaluated with
     * @param manager       a manager on the model's device; each batch runs in a sub-manager of it
     * @param normalisation the dataset's per-channel mean and std on the 0..1 scale, as in training
     */
    public PgdAttack(Block block, ParameterStore store, NDManager manager, Normalisation normalisation) {
        if (block == null || store == null || manager == null || normalisation == null) {
            throw new IllegalArgumentException("block, store, manager and normalisation are required");
        }
        if (normalisation.mean().length != 3 || normalisation.std().length != 3) {
            throw new IllegalArgumentException("normalisation needs three channels");
        }
        this.block = block;
        this.store = store;
        this.manager = manager;
        this.normalisation = normalisation;
    }

    /**
     * What one attack did to one batch, per example in batch order.
     *
     * @param cleanCorrect       the clean image is classified correctly
     * @param adversarialCorrect neither the clean image nor any point the attack visited is misclassified (for ε = 0 or
     *                           an attack that does not perturb: {@code cleanCorrect})
     * @param adversarialPixels  NCHW in [0, 1]: the first misclassified point for a fooled example, the last iterate
     *                           otherwise (the clean pixels when nothing was run)
     */
    public record BatchResult(boolean[] cleanCorrect, boolean[] adversarialCorrect, float[] adversarialPixels) {
    }

    /**
     * Runs one attack on one batch.
     *
     * @param settings   the attack
     * @param pixels01   n × 3 × height × width floats in [0, 1] (NCHW, not normalised)
     * @param labels     n true labels
     * @param firstIndex the index of the batch's first example in the evaluated set; example i's random start is drawn
     *                   from (seed, firstIndex + i), so results do not depend on how a set is cut into batches
     */
    public BatchResult attack(PgdSettings settings, float[] pixels01, int[] labels, int height, int width,
                              long firstIndex) {
        int n = labels.length;
        checkBatch(pixels01, n, height, width);
        Shape shape = new Shape(n, 3, height, width);
        boolean gradMode = JniUtils.isGradMode();
        FrozenParameters frozen = FrozenParameters.of(block);
        try (NDManager sub = manager.newSubManager()) {
            JniUtils.setGradMode(false);
            Batch batch = new Batch(sub, pixels01, labels, shape);
            NDArray cleanLogits = batch.logits(batch.x0);
            batch.checkLabels(cleanLogits);
            boolean[] clean = batch.correct(cleanLogits);
            boolean[] correct = clean.clone();
            if (!settings.perturbs()) {
                return new BatchResult(clean, correct, pixels01.clone());
            }
            NDArray x = batch.x0;
            if (settings.randomStart()) {
                NDArray start = batch.project(settings, sub.create(randomStart(settings, pixels01, n, firstIndex), shape));
                // an example misclassified clean is fooled at x₀ already and stays there
                x = NDArrays.where(batch.mask(correct), start, x);
            }
            int steps = settings.takesSteps() ? settings.steps() : 0;
            for (int step = 0; ; step++) {
                if (step == steps || noneLeft(correct)) {
                    // the last iterate (or the random start) still has to be checked
                    markFooled(correct, batch.correct(batch.logits(x)));
                    break;
                }
                NDArray g = batch.inputGradient(x, correct);
                gradientSteps++;
                NDArray moved = batch.project(settings, x.add(direction(settings, g, n).mul(settings.stepSize())));
                // examples fooled by x stay at x; the others move (a selection, not arithmetic: no rounding off the ball)
                x = NDArrays.where(batch.mask(correct), moved, x);
            }
            return new BatchResult(clean, correct, x.toFloatArray());
        } finally {
            JniUtils.setGradMode(gradMode);
            frozen.close();
        }
    }

    /** Gradient steps (forward + backward of a batch) this attack has taken so far, over all calls. */
    public long gradientSteps() {
        return gradientSteps;
    }

    /** Per example: whether it is classified correctly after the attack (see {@link BatchResult#adversarialCorrect()}). */
    public boolean[] correct(PgdSettings settings, float[] pixels01, int[] labels, int height, int width,
                             long firstIndex) {
        return attack(settings, pixels01, labels, height, width, firstIndex).adversarialCorrect();
    }

    /** The adversarial images of one batch (NCHW, [0, 1]), e.g. for a preview; see {@link BatchResult#adversarialPixels()}. */
    public float[] adversarialPixels(PgdSettings settings, float[] pixels01, int[] labels, int height, int width) {
        return attack(settings, pixels01, labels, height, width, 0).adversarialPixels();
    }

    private static boolean noneLeft(boolean[] correct) {
        for (boolean c : correct) {
            if (c) {
                return false;
            }
        }
        return true;
    }

    /** An example still correct that the new point misclassifies is fooled from now on. */
    private static void markFooled(boolean[] correct, boolean[] now) {
        for (int i = 0; i < correct.length; i++) {
            correct[i] &= now[i];
        }
    }

    private static NDArray direction(PgdSettings settings, NDArray g, int n) {
        if (settings.norm() == PgdSettings.Norm.LINF) {
            return g.sign();
        }
        NDArray norms = g.reshape(n, -1).square().sum(new int[] {1}).sqrt().maximum(TINY).reshape(n, 1, 1, 1);
        return g.div(norms);
    }

    /** The random start x₀ + δ before projection (the projection clips it to [0, 1]). */
    static float[] randomStart(PgdSettings settings, float[] pixels01, int n, long firstIndex) {
        int d = pixels01.length / n;
        float[] out = new float[pixels01.length];
        double eps = settings.epsilon();
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = new SplittableRandom(mix(settings.seed(), firstIndex + i));
            int base = i * d;
            if (settings.norm() == PgdSettings.Norm.LINF) {
                for (int j = 0; j < d; j++) {
                    out[base + j] = (float) (pixels01[base + j] + eps * (2 * rng.nextDouble() - 1));
                }
            } else {
                double[] dir = new double[d];
                double sq = 0;
                for (int j = 0; j < d; j += 2) {
                    // Box–Muller: two standard normals from two uniforms (1 − u avoids log 0)
                    double r = Math.sqrt(-2 * Math.log(1 - rng.nextDouble()));
                    double t = 2 * Math.PI * rng.nextDouble();
                    dir[j] = r * Math.cos(t);
                    if (j + 1 < d) {
                        dir[j + 1] = r * Math.sin(t);
                    }
                }
                for (double v : dir) {
                    sq += v * v;
                }
                double radius = eps * Math.pow(rng.nextDouble(), 1.0 / d);
                double scale = sq > 0 ? radius / Math.sqrt(sq) : 0;
                for (int j = 0; j < d; j++) {
                    out[base + j] = (float) (pixels01[base + j] + scale * dir[j]);
                }
            }
        }
        return out;
    }

    /** SplitMix64's finaliser over seed and index: independent-looking streams for neighbouring indices. */
    private static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }


    private static void checkBatch(float[] pixels01, int n, int height, int width) {
        if (n == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
        }
        long expected = (long) n * 3 * height * width;
        if (pixels01 == null || pixels01.length != expected) {
            throw new IllegalArgumentException("pixels01 must hold n*3*h*w = " + expected + " floats (NCHW), got "
                    + (pixels01 == null ? "null" : pixels01.length));
        }
    }

    /** One batch's arrays, all on the batch's sub-manager. */
    private final class Batch {
        private final NDManager sub;
        private final NDArray x0;
        private final NDArray mean;
        private final NDArray std;
        private final int[] labels;
        private final int n;
        private NDArray oneHot;

        Batch(NDManager sub, float[] pixels01, int[] labels, Shape shape) {
            this.sub = sub;
            this.n = labels.length;
            this.labels = labels;
            this.x0 = sub.create(pixels01, shape);
            // arrays of the sub-manager (not scalar overloads): alive until after backward, see Constants
            this.mean = sub.create(normalisation.mean(), new Shape(1, 3, 1, 1));
            this.std = sub.create(normalisation.std(), new Shape(1, 3, 1, 1));
        }

        NDArray logits(NDArray x) {
            return block.forward(store, new NDList(x.sub(mean).div(std)), false).singletonOrThrow();
        }

        boolean[] correct(NDArray logits) {
            long[] predicted = logits.argMax(1).toLongArray();
            boolean[] out = new boolean[n];
            for (int i = 0; i < n; i++) {
                out[i] = predicted[i] == labels[i];
            }
            return out;
        }

        /**
         * ∇ₓ of the summed cross-entropy at x; as a side effect, examples that x misclassifies are marked in
         * {@code correct} (the forward pass of the gradient is also the check of the current iterate).
         */
        NDArray inputGradient(NDArray x, boolean[] correct) {
            NDArray leaf = x.duplicate();
            leaf.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = logits(leaf);
                NDArray loss = logits.logSoftmax(1).mul(oneHot(logits)).sum().neg();
                collector.backward(loss);
                markFooled(correct, correct(logits));
            }
            return leaf.getGradient();
        }

        void checkLabels(NDArray logits) {
            long classes = logits.getShape().get(1);
            for (int label : labels) {
                if (label < 0 || label >= classes) {
                    throw new IllegalArgumentException("label " + label + " outside 0.." + (classes - 1));
                }
            }
        }

        private NDArray oneHot(NDArray logits) {
            if (oneHot == null) {
                int classes = Math.toIntExact(logits.getShape().get(1));
                float[] values = new float[n * classes];
                for (int i = 0; i < n; i++) {
                    values[i * classes + labels[i]] = 1;
                }
                oneHot = sub.create(values, new Shape(n, classes));
            }
            return oneHot;
        }

        /** True for examples still correct (they move), false for fooled ones (frozen); broadcasts over NCHW. */
        NDArray mask(boolean[] correct) {
            // DJL's where does not broadcast the condition
            return sub.create(correct.clone(), new Shape(n, 1, 1, 1)).broadcast(x0.getShape());
        }

        /** Π: δ = x − x₀ onto the ε-ball, then x₀ + δ clipped to [0, 1]. */
        NDArray project(PgdSettings settings, NDArray x) {
            NDArray delta = x.sub(x0);
            float eps = (float) settings.epsilon();
            if (settings.norm() == PgdSettings.Norm.LINF) {
                delta = delta.clip(-eps, eps);
            } else {
                NDArray norms = delta.reshape(n, -1).square().sum(new int[] {1}).sqrt().reshape(n, 1, 1, 1);
                // δ / max(1, ‖δ‖/ε) = δ·min(1, ε/‖δ‖)
                delta = delta.div(norms.div(eps).maximum(1f));
            }
            return x0.add(delta).clip(0f, 1f);
        }
    }
}
