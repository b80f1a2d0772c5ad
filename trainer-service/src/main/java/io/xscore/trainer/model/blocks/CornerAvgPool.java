package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The average of the top-left window of a map, flattened: (N, C, H, W) → (N, C). This is what the ExMobileViT
 * authors' {@code nn.AvgPool2d(k)} (stride = kernel = k, no padding) returns on a map whose side is below 2k: one
 * output cell, the mean of the top-left k×k values, the rest of the map unused.
 *
 * <p>The window is a fraction {@code num/den} of the map's side, max(1, round(side·num/den)) per axis, so that the
 * authors' AvgPool2d(25) on the 32×32 map of a 256 px input is {@code new CornerAvgPool(25, 32)} and keeps covering
 * the same share of the map at other input sizes (at 32 px input, stage 3's 4×4 map gets a 3×3 window).
 */
public final class CornerAvgPool extends AbstractBlock {

    private final int num;
    private final int den;

    public CornerAvgPool(int num, int den) {
        if (num < 1 || den < num) {
            throw new IllegalArgumentException("window fraction " + num + "/" + den + " not in (0, 1]");
        }
        this.num = num;
        this.den = den;
    }

    /** The window side for a map side: max(1, round(side·num/den)). */
    public int window(long side) {
        return (int) Math.max(1, Math.round((double) side * num / den));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int wh = window(x.getShape().get(2));
        int ww = window(x.getShape().get(3));
        return new NDList(x.get(new NDIndex(":, :, 0:{}, 0:{}", wh, ww)).mean(new int[] {3}).mean(new int[] {2}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1))};
    }
}
