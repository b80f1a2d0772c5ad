package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.xscore.augment.RandomErasing;
import org.junit.jupiter.api.Test;

class ErasingMaskTest {

    @Test
    void randomErasingZeroesExactlyTheBoxOnTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(2, 3, 4, 4));
            RandomErasing.Box[] boxes = {new RandomErasing.Box(1, 2, 2, 1), null};
            float[] out = ErasingMask.erase(m, x, boxes).toFloatArray();
            int zeros = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 4; y++) {
                    for (int xx = 0; xx < 4; xx++) {
                        boolean inBox = y >= 1 && y < 3 && xx == 2;
                        assertEquals(inBox ? 0f : 1f, out[c * 16 + y * 4 + xx]);
                        zeros += inBox ? 1 : 0;
                    }
                }
            }
            assertEquals(6, zeros);
            for (int i = 48; i < 96; i++) {
                assertEquals(1f, out[i], "the second image is untouched");
            }
        }
    }
}
