package io.xscore.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Label smoothing and the cross-entropy on soft targets. With smoothing ε over K classes a label y becomes
 * {@code (1−ε)·onehot(y) + ε/K}; the loss is {@code −Σ_k t_k·log softmax(z)_k}, averaged over the batch. Since the
 * cross-entropy is linear in the target, CutMix's {@code λ·CE(y_a) + (1−λ)·CE(y_b)} equals the CE against the mixed
 * target {@code λ·t_a + (1−λ)·t_b}.
 */
public final class SoftTargets {

    private SoftTargets() {
    }

    /** Smoothed one-hot targets (N, K), float32, on the labels' manager and device. */
    public static NDArray smooth(NDArray labels, int classes, double epsilon) {
        float off = (float) (epsilon / classes);
        float on = (float) (1 - epsilon) + off;
        return labels.toType(DataType.INT64, false).oneHot(classes, DataType.FLOAT32).muli(on - off).addi(off);
    }

    /** Mean cross-entropy of logits (N, K) against soft targets (N, K): a scalar. */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }

    /** Labels as an int64 array on a manager (CutMix's hard labels before smoothing). */
    public static NDArray labels(NDManager manager, int[] labels) {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i];
        }
        return manager.create(l);
    }
}
