package io.xscore.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OneTorchThread.class)
class GhostNetTest {

    @Test
    void dfcGateUpsamplesLikePyTorchNearest() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // F.interpolate(x, size=7, mode="nearest") on a 3-wide map picks columns ⌊i·3/7⌋ = 0,0,0,1,1,2,2
            NDArray x = manager.create(new float[] {1, 2, 3}).reshape(1, 1, 1, 3);
            float[] up = GhostNet.nearest(x, 1, 7).toFloatArray();
            assertArrayEquals(new float[] {1, 1, 1, 2, 2, 3, 3}, up);
            NDArray y = manager.create(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2);
            assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                    GhostNet.nearest(y, 4, 4).toFloatArray());
        }
    }
}
