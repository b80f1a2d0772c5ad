package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The re-parameterisable multi-branch convolution of MobileOne (Vasu et al.) and GhostNetV3 (after RepVGG): at
 * training time the sum of {@code branches} k×k conv-BN branches, a 1×1 conv-BN "scale" branch (when k &gt; 1) and a
 * BN-only identity branch (when input and output channels agree and the stride is 1); every branch has the same
 * stride and groups. {@link #fuse(NDManager)} folds all of them into one k×k convolution with bias that gives the
 * same output in inference mode (BatchNorm with running statistics).
 */
public final class RepBranches extends AbstractBlock {

    private final int out;
    private final int kernel;
    private final int stride;
    private final int groups;
    private final List<SequentialBlock> convs = new ArrayList<>();
    private final SequentialBlock scale;
    private final BatchNorm skip;

    /**
     * @param in input channels (decides whether the identity branch exists)
     */
    public RepBranches(int in, int out, int kernel, int stride, int groups, int branches) {
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.groups = groups;
        for (int i = 0; i < branches; i++) {
            convs.add(addChildBlock("conv" + i, Layers.convBn(out, kernel, stride, groups)));
        }
        scale = kernel > 1 ? addChildBlock("scale", Layers.convBn(out, 1, stride, groups)) : null;
        skip = in == out && stride == 1 ? addChildBlock("skip", Layers.batchNorm()) : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray sum = null;
        for (Pair<String, Block> child : getChildren()) {
            NDArray y = child.getValue().forward(store, inputs, training).singletonOrThrow();
            sum = sum == null ? y : sum.add(y);
        }
        return new NDList(sum);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return convs.get(0).getOutputShapes(inputShapes);
    }

    /** The single k×k convolution (with bias) equal to this block in inference mode, initialised on the manager. */
    public Conv2d fuse(NDManager manager) {
        Shape in = getInputShapes()[0];
        int inPerGroup = (int) in.get(1) / groups;
        int k2 = kernel * kernel;
        float[] weight = new float[out * inPerGroup * k2];
        float[] bias = new float[out];
        for (SequentialBlock branch : convs) {
            addConvBn(branch, kernel, weight, bias, inPerGroup);
        }
        if (scale != null) {
            addConvBn(scale, 1, weight, bias, inPerGroup);
        }
        if (skip != null) {
            float[][] s = scaleShift(skip);
            int centre = (kernel / 2) * kernel + kernel / 2;
            for (int o = 0; o < out; o++) {
                weight[(o * inPerGroup + o % inPerGroup) * k2 + centre] += s[0][o];
                bias[o] += s[1][o];
            }
        }
        Conv2d fused = Layers.conv(out, kernel, stride, groups, true);
        fused.initialize(manager, DataType.FLOAT32, in);
        fused.getParameters().get("weight").getArray().set(weight);
        fused.getParameters().get("bias").getArray().set(bias);
        return fused;
    }

    private void addConvBn(SequentialBlock convBn, int k, float[] weight, float[] bias, int inPerGroup) {
        float[] w = convBn.getChildren().get(0).getValue().getParameters().get("weight").getArray().toFloatArray();
        float[][] s = scaleShift((BatchNorm) convBn.getChildren().get(1).getValue());
        int k2 = kernel * kernel;
        int offset = kernel / 2 - k / 2;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < inPerGroup; i++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        weight[(o * inPerGroup + i) * k2 + (y + offset) * kernel + x + offset] +=
                                w[((o * inPerGroup + i) * k + y) * k + x] * s[0][o];
                    }
                }
            }
            bias[o] += s[1][o];
        }
    }

    /** BatchNorm in inference mode as y = a·x + c: a = γ/√(var+ε), c = β − μ·a. */
    private static float[][] scaleShift(BatchNorm bn) {
        PairList<String, Parameter> p = bn.getParameters();
        float[] gamma = p.get("gamma").getArray().toFloatArray();
        float[] beta = p.get("beta").getArray().toFloatArray();
        float[] mean = p.get("runningMean").getArray().toFloatArray();
        float[] var = p.get("runningVar").getArray().toFloatArray();
        float[] a = new float[gamma.length];
        float[] c = new float[gamma.length];
        for (int i = 0; i < gamma.length; i++) {
            a[i] = (float) (gamma[i] / Math.sqrt(var[i] + 1e-5));
            c[i] = beta[i] - mean[i] * a[i];
        }
        return new float[][] {a, c};
    }
}
