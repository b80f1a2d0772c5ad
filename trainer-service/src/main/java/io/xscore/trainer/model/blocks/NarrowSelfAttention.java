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
 * Multi-head self-attention over tokens (B, N, D) whose heads are narrower than D, as in the ExMobileViT authors'
 * code (EmPasLab/ExMobileVIT, {@code models/basic_block.py}, itself the {@code vit-pytorch} MobileViT): one qkv
 * projection Linear(D, 3·h·d_h) <b>without</b> bias, softmax(q·kᵀ/√d_h)·v per head, output projection
 * Linear(h·d_h, D) with bias. Parameters 4·D·h·d_h + D. With the authors' 4 heads of 8 the attention works in 32
 * dimensions whatever D is. MACs add the two attention matmuls, 2·N²·h·d_h per sequence.
 */
public final class NarrowSelfAttention extends AbstractBlock implements MacCounter.Counted {

    private final int heads;
    private final int headDim;
    private final Linear qkv;
    private final Linear proj;

    public NarrowSelfAttention(int dim, int heads, int headDim) {
        this.heads = heads;
        this.headDim = headDim;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * heads * headDim).optBias(false).build());
        this.proj = addChildBlock("proj", Layers.linear(dim));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray t = qkv.forward(store, new NDList(x), training).singletonOrThrow()
                .reshape(b, n, 3, heads, headDim).transpose(2, 0, 3, 1, 4);
        NDArray q = t.get(0);
        NDArray k = t.get(1);
        NDArray v = t.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
        NDArray attention = scores.mul(Constants.of(scores, (float) (1.0 / Math.sqrt(headDim)))).softmax(-1);
        NDArray out = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, (long) heads * headDim);
        return proj.forward(store, new NDList(out), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes);
        Shape in = inputShapes[0];
        proj.initialize(manager, dataType, new Shape(in.get(0), in.get(1), (long) heads * headDim));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public long macs() {
        Shape s = getInputShapes()[0];
        return 2L * s.get(0) * s.get(1) * s.get(1) * heads * headDim;
    }
}
