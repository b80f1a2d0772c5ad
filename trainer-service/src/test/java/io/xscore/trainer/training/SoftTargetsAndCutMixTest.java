package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftTargetsAndCutMixTest {

    @Test
    void labelSmoothingPutsTheRightMassOnEachClass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray t = SoftTargets.smooth(SoftTargets.labels(manager, new int[] {3, 0}), 10, 0.05);
            assertEquals(new Shape(2, 10), t.getShape());
            float[] v = t.toFloatArray();
            for (int row = 0; row < 2; row++) {
                double sum = 0;
                for (int k = 0; k < 10; k++) {
                    double expected = (k == (row == 0 ? 3 : 0)) ? 0.95 + 0.005 : 0.005;
                    assertEquals(expected, v[row * 10 + k], 1e-7);
                    sum += v[row * 10 + k];
                }
                assertEquals(1.0, sum, 1e-6);
            }
        }
    }

    @Test
    void crossEntropyOnSoftTargetsMatchesTheFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {2f, 0f, -1f}, new Shape(1, 3));
            NDArray targets = SoftTargets.smooth(SoftTargets.labels(manager, new int[] {0}), 3, 0.3);
            double z = Math.exp(2) + Math.exp(0) + Math.exp(-1);
            double[] logp = {2 - Math.log(z), -Math.log(z), -1 - Math.log(z)};
            double[] t = {0.8, 0.1, 0.1};
            double expected = -(t[0] * logp[0] + t[1] * logp[1] + t[2] * logp[2]);
            assertEquals(expected, SoftTargets.crossEntropy(logits, targets).getFloat(), 1e-5);
        }
    }

    @Test
    void boxAreaAndLambdaAgree() {
        Random rng = new Random(1);
        for (int i = 0; i < 1000; i++) {
            double lambda = rng.nextDouble();
            CutMix.Box box = CutMix.box(32, 32, lambda, rng.nextInt(32), rng.nextInt(32));
            assertTrue(box.y1() >= 0 && box.y2() <= 32 && box.x1() >= 0 && box.x2() <= 32 && box.y1() <= box.y2());
            assertEquals(1 - box.area() / 1024.0, box.lambda(), 1e-12);
            assertTrue(box.lambda() >= lambda - 1e-12, "clipping only shrinks the box");
        }
        // centred box, no clipping: side √(1−λ)·32 = 16 for λ = 0.75
        CutMix.Box centred = CutMix.box(32, 32, 0.75, 16, 16);
        assertEquals(new CutMix.Box(8, 24, 8, 24, 0.75), centred);
        // clipped at the corner: only a quarter remains
        assertEquals(1 - 64 / 1024.0, CutMix.box(32, 32, 0.75, 0, 0).lambda(), 1e-12);
    }

    @Test
    void mixedBatchHasPixelsFromTheBoxAndTargetsThatSumToOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int n = 8;
            float[] data = new float[n * 3 * 16 * 16];
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(data, i * 768, (i + 1) * 768, i);
            }
            int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
            CutMix cutMix = new CutMix(1.0, 42);
            for (int trial = 0; trial < 20; trial++) {
                CutMix.Mixed mixed = cutMix.apply(manager, manager.create(data, new Shape(n, 3, 16, 16)), labels, 10, 0.05);
                CutMix.Box box = mixed.box();
                float[] img = mixed.images().toFloatArray();
                float[] targets = mixed.targets().toFloatArray();
                for (int i = 0; i < n; i++) {
                    int partner = mixed.permutation()[i];
                    int fromPartner = 0;
                    for (int p = 0; p < 256; p++) {
                        float v = img[i * 768 + p];
                        int y = p / 16;
                        int x = p % 16;
                        boolean inBox = y >= box.y1() && y < box.y2() && x >= box.x1() && x < box.x2();
                        assertEquals(inBox ? partner : i, v, 0f);
                        if (inBox) {
                            fromPartner++;
                        }
                    }
                    assertEquals(1 - box.lambda(), fromPartner / 256.0, 1e-9);
                    double sum = 0;
                    for (int k = 0; k < 10; k++) {
                        sum += targets[i * 10 + k];
                    }
                    assertEquals(1.0, sum, 1e-5);
                    double lambda = box.lambda();
                    double expectedOwn = (partner == i ? 1.0 : lambda) * 0.95 + 0.005;
                    assertEquals(expectedOwn, targets[i * 10 + i], 1e-5);
                    assertEquals(lambda >= 0.5 ? i : partner, mixed.dominantLabels()[i]);
                }
            }
        }
    }
}
