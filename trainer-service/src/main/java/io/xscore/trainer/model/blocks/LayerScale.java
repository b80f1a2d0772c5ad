package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/** Layer scale (CaiT / ConvNeXt): a learnable per-channel γ of shape (C, 1, 1), initialised to a small constant. */
public final class LayerScale extends AbstractBlock {

    private final int channels;
    private final Parameter gamma;

    public LayerScale(int channels, float init) {
        this.channels = channels;
        this.gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(channels, 1, 1)).optInitializer(new ConstantInitializer(init)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray g = store.getValue(gamma, x.getDevice(), training);
        return new NDList(x.mul(g));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        if (inputShapes[0].get(1) != channels) {
            throw new IllegalArgumentException("layer scale of " + channels + " channels got " + inputShapes[0]);
        }
        return inputShapes;
    }
}
