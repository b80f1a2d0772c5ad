package io.xscore.trainer.training;

import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;

/**
 * Everything one run needs. {@code train} and {@code test} are already cut to the protocol's subsets.
 *
 * @param jobId      keys the checkpoint
 * @param dataset    catalog id: selects the {@code paper} augmentation pipeline
 * @param resolution training (and test) resolution in pixels
 */
public record TrainingSetup(String jobId, String model, String dataset, ProtocolSpec protocol, long seed, int resolution, int classes,
                            ImageSet train, ImageSet test, Normalisation normalisation, double heartbeatSeconds) {
}
