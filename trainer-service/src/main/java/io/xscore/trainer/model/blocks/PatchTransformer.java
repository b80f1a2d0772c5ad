package io.xscore.trainer.model.blocks;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MobileViT's global representation (Mehta &amp; Rastegari, cvnets): a (B, d, H, W) map is unfolded into p×p patches,
 * (B·p², N = HW/p², d) — every pixel position inside a patch forms one sequence over the N patches — passed through
 * L pre-norm transformer layers and a final LayerNorm, and folded back. A map whose side is not a multiple of p is
 * first resized bilinearly to the next multiple and resized back afterwards, as cvnets does.
 *
 * <p>Transformer layer: x + Dropout(MHSA(LN(x))), then x + Dropout(W₂ SiLU(W₁ LN(x))), LayerNorm ε = 1e-5.
 */
public final class PatchTransformer extends AbstractBlock {

    private final int patch;
    private final SequentialBlock layers;

    public PatchTransformer(int dim, int ffn, int depth, int heads, int patch, float dropout) {
        this(cvnetsLayers(dim, ffn, depth, heads, dropout), patch);
    }

    /**
     * Unfolds into p×p patches, runs the given token layers ((B·p², N, d) → same shape) and folds back. With p = 1
     * every pixel is a token of one sequence: attention over all H·W positions of the map.
     */
    public PatchTransformer(SequentialBlock layers, int patch) {
        if (patch < 1) {
            throw new IllegalArgumentException("patch " + patch);
        }
        this.patch = patch;
        this.layers = addChildBlock("layers", layers);
    }

    /** cvnets: L pre-norm layers ({@link #transformerLayer}) and a final LayerNorm. */
    private static SequentialBlock cvnetsLayers(int dim, int ffn, int depth, int heads, float dropout) {
        SequentialBlock seq = new SequentialBlock();
        for (int i = 0; i < depth; i++) {
            seq.add(transformerLayer(dim, ffn, heads, dropout));
        }
        seq.add(ChannelLayerNorm.lastAxisNorm(1e-5f, 2));
        return seq;
    }

    /** Pre-norm transformer encoder layer with SiLU FFN (MobileViT). */
    public static Block transformerLayer(int dim, int ffn, int heads, float dropout) {
        SequentialBlock attention = new SequentialBlock()
                .add(ChannelLayerNorm.lastAxisNorm(1e-5f, 2))
                .add(new MultiHeadSelfAttention(dim, heads))
                .add(Dropout.builder().optRate(dropout).build());
        SequentialBlock mlp = new SequentialBlock()
                .add(ChannelLayerNorm.lastAxisNorm(1e-5f, 2))
                .add(Layers.linear(ffn))
                .add(Activations.SILU.block())
                .add(Layers.linear(dim))
                .add(Dropout.builder().optRate(dropout).build());
        return new SequentialBlock().add(Layers.residual(attention)).add(Layers.residual(mlp));
    }

    private int padded(long side) {
        return (int) ((side + patch - 1) / patch * patch);
    }

    private Shape tokenShape(Shape in) {
        long h = padded(in.get(2));
        long w = padded(in.get(3));
        return new Shape(in.get(0) * patch * patch, (h / patch) * (w / patch), in.get(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long b = x.getShape().get(0);
        long d = x.getShape().get(1);
        int h0 = (int) x.getShape().get(2);
        int w0 = (int) x.getShape().get(3);
        int h = padded(h0);
        int w = padded(w0);
        if (h != h0 || w != w0) {
            x = resize(x, h, w);
        }
        long nh = h / patch;
        long nw = w / patch;
        // (B, d, nh, p, nw, p) → (B, p, p, nh, nw, d) → (B·p², N, d)
        NDArray tokens = x.reshape(b, d, nh, patch, nw, patch).transpose(0, 3, 5, 2, 4, 1)
                .reshape(b * patch * patch, nh * nw, d);
        NDArray y = layers.forward(store, new NDList(tokens), training).singletonOrThrow();
        NDArray folded = y.reshape(b, patch, patch, nh, nw, d).transpose(0, 5, 3, 1, 4, 2).reshape(b, d, h, w);
        if (h != h0 || w != w0) {
            folded = resize(folded, h0, w0);
        }
        return new NDList(folded);
    }

    /** Bilinear resize of an NCHW map (half-pixel centres, no antialiasing: F.interpolate(align_corners=False)). */
    private static NDArray resize(NDArray nchw, int h, int w) {
        NDArray nhwc = nchw.transpose(0, 2, 3, 1);
        return NDImageUtils.resize(nhwc, w, h, Image.Interpolation.BILINEAR).transpose(0, 3, 1, 2);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        layers.initialize(manager, dataType, tokenShape(inputShapes[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
