package io.xscore.common.messaging;

/**
 * The planner's estimate of a job's cost, used to publish an evaluation's jobs longest first.
 *
 * @param macsPerImage  multiply-accumulates of one forward pass at the protocol's resolution
 * @param trainImages   training images per epoch
 * @param epochs        epochs
 * @param trainingMacs  the cost: forward + backward ≈ 3 × forward, so 3 × macsPerImage × trainImages × epochs
 * @param seconds       the estimate in seconds on the reference device, if the planner has a rate for it; else null
 */
public record CostEstimate(long macsPerImage, long trainImages, int epochs, double trainingMacs, Double seconds) {
}
