package io.xscore.trainer.robustness;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.training.Adam;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small models and separable images for the PGD tests. */
final class RobustnessFixtures {

    /** Non-trivial per-channel normalisation: a missing or misplaced (x − mean)/std changes the gradient. */
    static final Normalisation NORMALISATION = Normalisation.of(List.of(0.4, 0.5, 0.6), List.of(0.2, 0.25, 0.3));

    private RobustnessFixtures() {
    }

    /** Images and labels, NCHW in [0, 1]. */
    record Images(float[] pixels, int[] labels, int size) {
        int count() {
            return labels.length;
        }

        /** Examples [from, from + n) as their own batch. */
        Images slice(int from, int n) {
            int d = 3 * size * size;
            float[] p = new float[n * d];
            System.arraycopy(pixels, from * d, p, 0, n * d);
            int[] l = new int[n];
            System.arraycopy(labels, from, l, 0, n);
            return new Images(p, l, size);
        }
    }

    /**
     * Class i % 2: class 0 is brighter in the top half, class 1 in the bottom half, around 0.5, by a contrast drawn
     * per image from [0.25, 1.75]·{@code contrast} (so that examples have different margins), with uniform noise of
     * ±0.1 per value; about 2 % of the values are exactly 0 or 1, so that the [0, 1] clipping
     * is exercised.
     */
    static Images images(int count, int size, double contrast, long seed) {
        Random rng = new Random(seed);
        float[] pixels = new float[count * 3 * size * size];
        int[] labels = new int[count];
        int k = 0;
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
            double imageContrast = contrast * (0.25 + 1.5 * rng.nextDouble());
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    boolean bright = (y < size / 2) == (labels[i] == 0);
                    for (int x = 0; x < size; x++) {
                        double v = 0.5 + (bright ? imageContrast / 2 : -imageContrast / 2) + (rng.nextDouble() - 0.5) * 0.2;
                        double r = rng.nextDouble();
                        pixels[k++] = r < 0.01 ? 0f : r < 0.02 ? 1f : (float) Math.max(0, Math.min(1, v));
                    }
                }
            }
        }
        return new Images(pixels, labels, size);
    }

    /** A linear classifier on the flattened normalised image, its weight and bias given as arrays. */
    static Block linear(NDManager manager, int classes, int size, float[] weight, float[] bias) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                p.getValue().getArray().set(p.getKey().endsWith("weight") ? weight : bias);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return block;
    }

    /**
     * Two classes, logit₀ = −logit₁ = scale·(Σ top-half z − Σ bottom-half z) on the normalised image z: classifies
     * {@link #images} by which half is brighter.
     */
    static Block topVersusBottom(NDManager manager, int size, float scale) {
        int d = 3 * size * size;
        float[] weight = new float[2 * d];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int j = (c * size + y) * size + x;
                    float w = y < size / 2 ? scale : -scale;
                    weight[j] = w;
                    weight[d + j] = -w;
                }
            }
        }
        return linear(manager, 2, size, weight, new float[2]);
    }

    /** A trained zoo model: ConvMixer-32/2 trained with Adam on {@link #images} (normalised with {@link #NORMALISATION}). */
    static Block trainedConvMixer(NDManager manager, ParameterStore store, int size, int steps, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        ModelRegistry.ModelSpec spec = ModelRegistry.spec("convmixer-32-2", 2, size);
        Block block = ModelRegistry.build(spec);
        block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.put(p.getKey(), p.getValue());
            }
        }
        Adam adam = new Adam(manager, trainable, 0.9, 0.999, 1e-8);
        int batch = 32;
        for (int step = 0; step < steps; step++) {
            Images data = images(batch, size, 0.3, seed * 1000 + step);
            trainStep(manager, block, store, data, adam);
        }
        return block;
    }

    /** One Adam step (lr 0.01) on a batch; BatchNorm in training mode. */
    static void trainStep(NDManager manager, Block block, ParameterStore store, Images data, Adam adam) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = normalised(sub, data);
            float[] oneHot = new float[data.count() * 2];
            for (int i = 0; i < data.count(); i++) {
                oneHot[i * 2 + data.labels()[i]] = 1;
            }
            NDArray target = sub.create(oneHot, new Shape(data.count(), 2));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = block.forward(store, new NDList(x), true).singletonOrThrow();
                gc.backward(logits.logSoftmax(1).mul(target).sum().neg().div(sub.create((float) data.count())));
            }
            adam.step(0.01);
        }
    }

    private static NDArray normalised(NDManager sub, Images data) {
        int d = data.size() * data.size();
        float[] z = data.pixels().clone();
        for (int i = 0; i < z.length; i++) {
            int c = (i / d) % 3;
            z[i] = (z[i] - NORMALISATION.mean()[c]) / NORMALISATION.std()[c];
        }
        return sub.create(z, new Shape(data.count(), 3, data.size(), data.size()));
    }

    /** Every parameter (weights and BatchNorm running statistics) as floats, by name. */
    static Map<String, float[]> parameters(Block block) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** The accumulated gradient of every trainable parameter, by name. */
    static Map<String, float[]> parameterGradients(Block block) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    out.put(p.getKey(), g.toFloatArray());
                }
            }
        }
        return out;
    }

    /** max |a − b| over all values. */
    static double maxAbsDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** Per example: ‖a − b‖₂ in double. */
    static double[] l2Distances(float[] a, float[] b, int n) {
        int d = a.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * d; j < (i + 1) * d; j++) {
                double v = (double) a[j] - b[j];
                s += v * v;
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }

    static double percent(boolean[] correct) {
        int c = 0;
        for (boolean b : correct) {
            c += b ? 1 : 0;
        }
        return 100.0 * c / correct.length;
    }
}
