package io.xscore.trainer.training;

/**
 * Where a run's time went, accumulated over all training steps (wall time; PyTorch on CPU is synchronous, on a GPU
 * the loss read-back in the forward phase synchronises each step): data = waiting for the batch (built on CPU threads
 * and prefetched while the previous step trains; without data threads the whole crop/resize/augment/normalise), the
 * NDArray upload, RandomErasing and CutMix; forward = forward pass, loss and its read-back,
 * predictions; attack = generating the adversarial examples of robust protocols (PGD, inference mode); backward = gradient computation; optimizer = the Adam update. Evaluation is timed separately.
 */
public final class PhaseTimes {

    long dataNanos;
    long forwardNanos;
    long attackNanos;
    long backwardNanos;
    long optimizerNanos;
    long steps;
    long trainImages;
    long evalNanos;
    long evalImages;

    public double dataSeconds() {
        return dataNanos / 1e9;
    }

    public double forwardSeconds() {
        return forwardNanos / 1e9;
    }

    /** Time spent in the inner attack of robust protocols (0 for standard training). */
    public double attackSeconds() {
        return attackNanos / 1e9;
    }

    public double backwardSeconds() {
        return backwardNanos / 1e9;
    }

    public double optimizerSeconds() {
        return optimizerNanos / 1e9;
    }

    public double evalSeconds() {
        return evalNanos / 1e9;
    }

    public long steps() {
        return steps;
    }

    public long trainImages() {
        return trainImages;
    }

    public long evalImages() {
        return evalImages;
    }

    public double trainSeconds() {
        return (dataNanos + attackNanos + forwardNanos + backwardNanos + optimizerNanos) / 1e9;
    }

    @Override
    public String toString() {
        double total = trainSeconds();
        String attack = attackNanos == 0 ? "" : String.format(", attack %.1f %%", 100 * attackSeconds() / total);
        return String.format("data %.1f %%, forward %.1f %%, backward %.1f %%, optimizer %.1f %%%s of %.2f s (%d steps)",
                100 * dataSeconds() / total, 100 * forwardSeconds() / total, 100 * backwardSeconds() / total,
                100 * optimizerSeconds() / total, attack, total, steps);
    }
}
