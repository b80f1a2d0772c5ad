package io.xscore.trainer.training;

import java.util.List;
import java.util.Map;

/**
 * The state of a run after {@code epochsDone} complete epochs: every parameter of the model (trainable weights and
 * BatchNorm running statistics) by name, the optimiser state (Adam moments and step), the per-epoch history and the
 * accumulated timings. No RNG state is needed: the data order, augmentation and CutMix generators of epoch e are
 * derived from (job seed, e) at the start of the epoch, so a resumed run draws exactly what a straight run draws.
 *
 * @param fingerprint identifies job, model, dataset, seed, resolved protocol and data sizes; a checkpoint whose
 *                    fingerprint differs from the job's is ignored
 */
public record Checkpoint(String jobId, String fingerprint, int epochsDone, Map<String, float[]> parameters,
                         Adam.State optimizer, List<Double> trainLosses, List<Double> trainAccuracies,
                         List<Double> testAccuracies, double trainSeconds, long trainImagesSeen,
                         double epochSecondsSum, double wallSeconds) {
}
