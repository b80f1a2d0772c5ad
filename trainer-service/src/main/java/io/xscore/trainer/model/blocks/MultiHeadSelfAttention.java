package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over tokens (B, N, D) as in ViT / MobileViT: one qkv projection Linear(D, 3D) with bias,
 * softmax(q·kᵀ/√d_h)·v per head, output projection Linear(D, D) with bias (4D² + 4D parameters, like
 * {@code torch.nn.MultiheadAttention}). Its MACs add the two attention matmuls, 2·N²·D per sequence, to the
 * projections the {@link MacCounter} finds in its children.
 */
public final class MultiHeadSelfAttention extends AbstractBlock implements MacCounter.Counted {

    private final int dim;
    private final int heads;
    private final Linear qkv;
    private final Linear proj;

    public MultiHeadSelfAttention(int dim, int heads) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not divisible by " + heads + " heads");
        }
        this.dim = dim;
        this.heads = heads;
        this.qkv = addChildBlock("qkv", Layers.linear(3 * dim));
        this.proj = addChildBlock("proj", Layers.linear(dim));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        int dh = dim / heads;
        NDArray t = qkv.forward(store, new NDList(x), training).singletonOrThrow()
                .reshape(b, n, 3, heads, dh).transpose(2, 0, 3, 1, 4);
        NDArray q = t.get(0);
        NDArray k = t.get(1);
        NDArray v = t.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
        NDArray attention = scores.mul(Constants.of(scores, (float) (1.0 / Math.sqrt(dh)))).softmax(-1);
        NDArray out = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim);
        return proj.forward(store, new NDList(out), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes);
        proj.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public long macs() {
        Shape s = getInputShapes()[0];
        return 2L * s.get(0) * s.get(1) * s.get(1) * dim;
    }
}
