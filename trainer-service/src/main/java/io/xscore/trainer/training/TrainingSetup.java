package io.xscore.trainer.training;

import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;

/**
 * Everything one run needs. {@code train} and {@code test} are already cut to the protocol's subsets.
 *
 * @param jobId      keys the checkpoint
 * @param dataset    catalog id: selects the {@code paper} augmentation pipeline
 * @param resolution training (and test) resolution in pixels
 * @param robustness the resolved robustness suites to run on the final weights, or null
 * @param fullTest   the whole test split, from which the suites draw their images (null without suites)
 */
public record TrainingSetup(String jobId, String model, String dataset, ProtocolSpec protocol, long seed, int resolution, int classes,
                            ImageSet train, ImageSet test, Normalisation normalisation, double heartbeatSeconds,
                            RobustnessSpec robustness, ImageSet fullTest) {

    /** A run without robustness suites. */
    public TrainingSetup(String jobId, String model, String dataset, ProtocolSpec protocol, long seed, int resolution,
                         int classes, ImageSet train, ImageSet test, Normalisation normalisation,
                         double heartbeatSeconds) {
        this(jobId, model, dataset, protocol, seed, resolution, classes, train, test, normalisation, heartbeatSeconds,
                null, null);
    }
}
