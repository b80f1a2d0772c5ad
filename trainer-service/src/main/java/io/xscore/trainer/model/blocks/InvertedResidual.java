package io.xscore.trainer.model.blocks;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.function.IntFunction;

/**
 * The inverted residual / MBConv block (MobileNetV2, EfficientNet, FBNet, MobileViT's MV2):
 * [1×1 expansion conv-BN-act] → k×k depthwise conv-BN-act (stride) → [squeeze-and-excitation] → 1×1 linear
 * projection conv-BN, with an identity shortcut (through {@link DropPath} when its probability is &gt; 0) when the
 * stride is 1 and the widths agree. Convolutions have no bias.
 */
public final class InvertedResidual {

    private int in;
    private int out;
    private int hidden;
    private int kernel = 3;
    private int stride = 1;
    private Activations act = Activations.RELU6;
    private IntFunction<Block> se;
    private float dropPath;
    private boolean alwaysExpand;

    private InvertedResidual() {
    }

    /** @param hidden the expanded (depthwise) width */
    public static InvertedResidual builder(int in, int out, int hidden) {
        InvertedResidual b = new InvertedResidual();
        b.in = in;
        b.out = out;
        b.hidden = hidden;
        return b;
    }

    public InvertedResidual kernel(int kernel) {
        this.kernel = kernel;
        return this;
    }

    public InvertedResidual stride(int stride) {
        this.stride = stride;
        return this;
    }

    public InvertedResidual activation(Activations act) {
        this.act = act;
        return this;
    }

    /** Squeeze-and-excitation on the hidden width, built by the function from that width. */
    public InvertedResidual se(IntFunction<Block> se) {
        this.se = se;
        return this;
    }

    public InvertedResidual dropPath(float dropPath) {
        this.dropPath = dropPath;
        return this;
    }

    /** Keep the 1×1 expansion even when hidden = in (timm's FBNet "ir" blocks with e = 1). */
    public InvertedResidual alwaysExpand(boolean alwaysExpand) {
        this.alwaysExpand = alwaysExpand;
        return this;
    }

    public Block build() {
        SequentialBlock body = new SequentialBlock();
        if (hidden != in || alwaysExpand) {
            body.add(Layers.convBnAct(hidden, 1, 1, 1, act.supplier()));
        }
        body.add(Layers.convBnAct(hidden, kernel, stride, hidden, act.supplier()));
        if (se != null) {
            body.add(se.apply(hidden));
        }
        body.add(Layers.convBn(out, 1, 1, 1));
        if (stride == 1 && in == out) {
            if (dropPath > 0) {
                body.add(new DropPath(dropPath));
            }
            return Layers.residual(body);
        }
        return body;
    }
}
