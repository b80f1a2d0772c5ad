package io.xscore.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.xscore.common.protocol.AdversarialTraining;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.blocks.Constants;

/**
 * The training loss of one step: standard, classic adversarial training or TRADES (docs/robustness.md, "Robust
 * training"). With t the batch's training targets (label-smoothed, CutMix-mixed) and x the batch as trained on
 * (after RandomErasing and CutMix):
 *
 * <pre>
 *   standard: L = CE(f(x), t)
 *   at:       L = CE(f(x'), t)                                     (Madry et al. 2018, arXiv:1706.06083)
 *   trades:   L = CE(f(x), t) + β·KL(softmax f(x) ‖ softmax f(x'))  (Zhang et al. 2019, arXiv:1901.08573)
 * </pre>
 *
 * where x' = {@link AdversarialExamples} of the batch (computed first, with the model in inference mode and without
 * touching parameters or their gradients), KL is summed over classes and averaged over the batch, and CE is
 * {@link SoftTargets#crossEntropy}. The training forwards run in training mode (BatchNorm batch statistics, updated
 * running statistics; for TRADES once for x and once for x', as separate batches), and the gradient flows through
 * both branches of the KL, as in the TRADES code. x' itself is a constant of the step.
 *
 * <p>The accuracy the step reports is that of the forward it trains on: f(x') for {@code at}, f(x) for standard and
 * {@code trades}.
 */
final class RobustTraining {

    private final AdversarialTraining settings;
    private final AdversarialExamples examples;
    private final Block block;
    private final ParameterStore store;

    /** One step's loss (a scalar in the open gradient collector) and the logits whose predictions it reports. */
    record Loss(NDArray loss, NDArray logits, NDArray kl) {
    }

    /** @param settings null: standard training */
    RobustTraining(AdversarialTraining settings, Block block, ParameterStore store, Normalisation normalisation) {
        this.settings = settings;
        this.examples = settings == null ? null : new AdversarialExamples(settings, block, store, normalisation);
        this.block = block;
        this.store = store;
    }

    static RobustTraining of(ProtocolSpec protocol, Block block, ParameterStore store, Normalisation normalisation) {
        return new RobustTraining(protocol.adversarialTraining(), block, store, normalisation);
    }

    boolean adversarial() {
        return settings != null;
    }

    /**
     * x' for the batch, or null for standard training. Call before opening the step's gradient collector.
     *
     * @param seed seeds the attack's random start for this batch
     */
    NDArray adversarialExamples(NDManager manager, NDArray images, NDArray targets, long seed) {
        return settings == null ? null : examples.generate(manager, images, targets, seed);
    }

    /** The step's loss, built inside the open gradient collector; {@code adversarial} as given by the call above. */
    Loss loss(NDArray images, NDArray adversarial, NDArray targets) {
        if (settings == null) {
            NDArray logits = forward(images);
            return new Loss(SoftTargets.crossEntropy(logits, targets), logits, null);
        }
        if (!settings.trades()) {
            NDArray logits = forward(adversarial);
            return new Loss(SoftTargets.crossEntropy(logits, targets), logits, null);
        }
        NDArray clean = forward(images);
        NDArray robust = forward(adversarial);
        NDArray kl = klDivergence(clean, robust);
        // β as an array of the step's manager, not a scalar overload: it must live until backward (see Constants)
        NDArray loss = SoftTargets.crossEntropy(clean, targets).add(kl.mul(Constants.of(kl, settings.beta().floatValue())));
        return new Loss(loss, clean, kl);
    }

    /** Batch mean of KL(softmax p ‖ softmax q) = Σ_k p_k·(log p_k − log q_k), differentiable in both. */
    static NDArray klDivergence(NDArray logitsP, NDArray logitsQ) {
        NDArray logP = logitsP.logSoftmax(1);
        return logP.exp().mul(logP.sub(logitsQ.logSoftmax(1))).sum(new int[] {1}).mean();
    }

    private NDArray forward(NDArray x) {
        return block.forward(store, new NDList(x), true).singletonOrThrow();
    }
}
