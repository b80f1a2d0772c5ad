package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StepsPerEpochTest {

    @Test
    void aSingleLeftoverImageJoinsThePreviousBatch() {
        assertEquals(219, TrainingLoop.stepsPerEpoch(7_009, 32), "HAM10000: 218 batches of 32 and one of 33");
        assertEquals(220, TrainingLoop.stepsPerEpoch(7_010, 32), "a leftover of two is its own batch");
        assertEquals(1_563, TrainingLoop.stepsPerEpoch(50_000, 32));
        assertEquals(2, TrainingLoop.stepsPerEpoch(64, 32));
        assertEquals(1, TrainingLoop.stepsPerEpoch(1, 32));
        assertEquals(1, TrainingLoop.stepsPerEpoch(33, 32), "33 images: one batch of 33");
    }
}
