package io.xscore.dataset.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.synthetic.ImageGenerator;
import io.xscore.dataset.synthetic.ShapesGenerator;
import io.xscore.dataset.synthetic.TexturesGenerator;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticSourceTest {

    static SyntheticSource source(String id) {
        ImageGenerator generator = id.equals("synthetic-shapes") ? new ShapesGenerator() : new TexturesGenerator();
        return new SyntheticSource(DatasetCatalog.find(id).orElseThrow(), generator);
    }

    @ParameterizedTest
    @ValueSource(strings = {"synthetic-shapes", "synthetic-textures"})
    void sameBytesEveryTimeAndIndependentOfSlicing(String id) throws IOException {
        SplitReader first = source(id).open(Split.TEST);
        SplitReader second = source(id).open(Split.TEST);
        ImageShard whole = first.slice(0, 200);
        ImageShard again = second.slice(0, 200);
        assertArrayEquals(whole.labels(), again.labels());
        assertArrayEquals(whole.pixels(), again.pixels());
        ImageShard part = second.slice(150, 200);
        assertArrayEquals(Arrays.copyOfRange(whole.pixels(), 150 * whole.imageBytes(), 200 * whole.imageBytes()),
                part.pixels());
        // Train and test differ.
        ImageShard train = source(id).open(Split.TRAIN).slice(0, 200);
        assertFalse(Arrays.equals(whole.pixels(), train.pixels()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"synthetic-shapes", "synthetic-textures"})
    void geometryAndBalancedClasses(String id) throws IOException {
        for (Split split : Split.values()) {
            SplitReader reader = source(id).open(split);
            int expected = split == Split.TRAIN ? 5_000 : 1_000;
            assertEquals(expected, reader.count());
            assertEquals(32, reader.height());
            assertEquals(32, reader.width());
            assertEquals(3, reader.channels());
            ImageShard all = reader.slice(0, reader.count());
            int[] counts = new int[10];
            for (short label : all.labels()) {
                counts[label]++;
            }
            int[] balanced = new int[10];
            Arrays.fill(balanced, expected / 10);
            assertArrayEquals(balanced, counts);
        }
    }

    /**
     * Classes are learnable: a nearest-centroid classifier on translation- and phase-invariant features
     * (autocorrelation of the grey image at small offsets) fitted on train scores far above chance (10 %) on test.
     */
    @ParameterizedTest
    @ValueSource(strings = {"synthetic-shapes", "synthetic-textures"})
    void classesAreDistinct(String id) throws IOException {
        ImageShard train = source(id).open(Split.TRAIN).slice(0, 5_000);
        ImageShard test = source(id).open(Split.TEST).slice(0, 1_000);
        double[][] centroids = new double[10][];
        int[] counts = new int[10];
        for (int i = 0; i < train.count(); i++) {
            double[] f = features(train, i);
            int label = train.labels()[i];
            if (centroids[label] == null) {
                centroids[label] = new double[f.length];
            }
            for (int k = 0; k < f.length; k++) {
                centroids[label][k] += f[k];
            }
            counts[label]++;
        }
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < centroids[c].length; k++) {
                centroids[c][k] /= counts[c];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            double[] f = features(test, i);
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double d = 0;
                for (int k = 0; k < f.length; k++) {
                    d += (f[k] - centroids[c][k]) * (f[k] - centroids[c][k]);
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            if (best == test.labels()[i]) {
                correct++;
            }
        }
        double accuracy = correct / (double) test.count();
        System.out.printf("%s nearest-centroid test accuracy %.3f%n", id, accuracy);
        assertTrue(accuracy > 0.4, id + " nearest-centroid accuracy " + accuracy);
    }

    private static final int MAX_OFFSET = 5;

    /** Normalised autocorrelation of the mean-centred grey image at offsets (dx, dy) in [-5, 5] x [0, 5]. */
    static double[] features(ImageShard shard, int index) {
        int h = shard.height();
        int w = shard.width();
        int base = index * shard.imageBytes();
        double[] grey = new double[h * w];
        double mean = 0;
        for (int p = 0; p < h * w; p++) {
            int o = base + 3 * p;
            grey[p] = (shard.pixels()[o] & 0xff) + (shard.pixels()[o + 1] & 0xff) + (shard.pixels()[o + 2] & 0xff);
            mean += grey[p];
        }
        mean /= h * w;
        double energy = 1e-9;
        for (int p = 0; p < h * w; p++) {
            grey[p] -= mean;
            energy += grey[p] * grey[p];
        }
        double[] f = new double[(2 * MAX_OFFSET + 1) * (MAX_OFFSET + 1)];
        int k = 0;
        for (int dy = 0; dy <= MAX_OFFSET; dy++) {
            for (int dx = -MAX_OFFSET; dx <= MAX_OFFSET; dx++) {
                double sum = 0;
                for (int y = 0; y + dy < h; y++) {
                    for (int x = Math.max(0, -dx); x < w && x + dx < w; x++) {
                        sum += grey[y * w + x] * grey[(y + dy) * w + x + dx];
                    }
                }
                f[k++] = sum / energy;
            }
        }
        return f;
    }
}
