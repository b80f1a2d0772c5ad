package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Stochastic depth on a residual branch (torchvision {@code StochasticDepth(p, "row")}, timm {@code DropPath}): in
 * training each sample's branch output is zeroed with probability p and the survivors scaled by 1/(1−p); identity at
 * inference. Placed at the end of the residual branch, before the addition.
 */
public final class DropPath extends AbstractBlock {

    private final float probability;

    public DropPath(float probability) {
        if (probability < 0 || probability >= 1) {
            throw new IllegalArgumentException("drop-path probability must be in [0, 1): " + probability);
        }
        this.probability = probability;
    }

    public float probability() {
        return probability;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!training || probability == 0f) {
            return inputs;
        }
        float keep = 1f - probability;
        long[] maskShape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[0] = x.getShape().get(0);
        NDArray mask = x.getManager().randomUniform(0f, 1f, new Shape(maskShape)).add(Constants.of(x, keep)).floor();
        return new NDList(x.mul(mask).div(Constants.of(x, keep)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
