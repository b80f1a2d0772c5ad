package io.xscore.trainer.model;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.ChannelLayerNorm;
import io.xscore.trainer.model.blocks.CornerAvgPool;
import io.xscore.trainer.model.blocks.Layers;
import io.xscore.trainer.model.blocks.NarrowSelfAttention;
import io.xscore.trainer.model.blocks.PatchTransformer;
import java.util.List;

/**
 * ExMobileViT as published (Yang et al., arXiv 2309.01310; the authors' code EmPasLab/ExMobileVIT at 9835cb2,
 * {@code models/ExMobileViT_{576,640,928}.py} and {@code models/basic_block.py}).
 *
 * <p>Base network, the authors' MobileViT-S (the {@code vit-pytorch} MobileViT, not cvnets): 3×3 stride-2 stem
 * (16, BN, SiLU); MV2 16→32; MV2 32→64 stride 2 and two MV2 64→64; then three stages of a stride-2 MV2 and a
 * MobileViT block: 64→96 (d 144, 2 layers, FFN 2d), 96→128 (d 192, 4 layers, FFN 4d), 128→160 (d 240, 3 layers,
 * FFN 4d). MV2 = inverted residual, expansion 4, SiLU, BN. MobileViT block: 3×3 conv-BN-SiLU, 1×1 conv-BN-SiLU to d,
 * 2×2-patch transformer (pre-norm LayerNorm, attention of 4 heads × 8 dimensions with a bias-free qkv projection
 * ({@link NarrowSelfAttention}), SiLU FFN, no final LayerNorm, no dropout), 1×1 conv-BN-SiLU back to C, concatenation
 * [transformer branch, block input], 3×3 conv-BN-SiLU fusion.
 *
 * <p>ExShortcuts: three taps, each a 1×1 conv-BN-SiLU (bias-free conv) then an average pool: on stage 3's output (96
 * channels, 32×32 at 256 px), stage 4's (128, 16×16) and stage 5's (160, 8×8; this tap is the head conv). The pooled
 * vectors are concatenated in that order into a bias-free Linear(Σ widths, classes). Tap widths: 576 = 32/64/480,
 * 640 = 32/128/480, 928 = 128/160/640.
 *
 * <p>Pooling. The authors pool stage 3 with {@code AvgPool2d(25)} and stage 4 with {@code AvgPool2d(9)} (stride =
 * kernel): on 32×32 and 16×16 maps each returns one value, the mean of the top-left 25×25 or 9×9 window only;
 * stage 5's {@code AvgPool2d(ih/32, stride 1)} is a global average at input sizes that are multiples of 32.
 * {@link Pooling#CORNER} reproduces this with the window as the same fraction of the map (25/32, 9/16: exactly the
 * authors' windows at 256 px, proportionally smaller maps at other sizes, at least 1×1; see {@link CornerAvgPool})
 * and a global last tap. {@link Pooling#GLOBAL} averages all three maps globally, what the paper's text describes.
 *
 * <p>Not reproduced: at inputs whose maps are not a multiple of 2 the authors' {@code rearrange} fails, while the
 * {@link PatchTransformer} here resizes the map to the next multiple and back (cvnets' behaviour); initialisation is
 * DJL's default, not the authors' Kaiming / truncated normal.
 */
public final class ExMobileViT {

    /** Output widths of the three taps (stage 3, stage 4, stage 5 / head). */
    public record Taps(int stage3, int stage4, int head) {
        public int total() {
            return stage3 + stage4 + head;
        }
    }

    public static final Taps W576 = new Taps(32, 64, 480);
    public static final Taps W640 = new Taps(32, 128, 480);
    public static final Taps W928 = new Taps(128, 160, 640);

    /** How the stage-3 and stage-4 taps are pooled. */
    public enum Pooling {
        /** Global average of every tap. */
        GLOBAL,
        /** The authors' code: top-left window of 25/32 (stage 3) and 9/16 (stage 4) of the map; last tap global. */
        CORNER
    }

    static final int[] WIDTHS = {16, 32, 64, 96, 128, 160};
    static final int[] DIMS = {144, 192, 240};
    static final int[] DEPTHS = {2, 4, 3};
    /** FFN width as a multiple of d per stage ({@code int(dims[i]*2)}, {@code *4}, {@code *4} in the authors' code). */
    static final int[] FFN_RATIOS = {2, 4, 4};
    static final int HEADS = 4;
    static final int HEAD_DIM = 8;
    static final int PATCH = 2;

    private ExMobileViT() {
    }

    public static SequentialBlock build(Taps taps, Pooling pooling, int classes) {
        Block stage5 = new SequentialBlock()
                .add(stage(5))
                .add(Layers.convBnAct(taps.head(), 1, 1, 1, Activations.SILU.supplier()))
                .add(Layers.globalPoolFlatten());
        Block stage4 = new SequentialBlock()
                .add(stage(4))
                .add(new ParallelBlock(Layers::concatChannels,
                        List.of(tap(taps.stage4(), pooling == Pooling.CORNER ? new CornerAvgPool(9, 16) : null),
                                stage5)));
        SequentialBlock net = new SequentialBlock()
                .add(Layers.convBnAct(WIDTHS[0], 3, 2, 1, Activations.SILU.supplier()))
                .add(MobileViT.mv2(WIDTHS[0], WIDTHS[1], 1))
                .add(MobileViT.mv2(WIDTHS[1], WIDTHS[2], 2))
                .add(MobileViT.mv2(WIDTHS[2], WIDTHS[2], 1))
                .add(MobileViT.mv2(WIDTHS[2], WIDTHS[2], 1))
                .add(stage(3))
                .add(new ParallelBlock(Layers::concatChannels,
                        List.of(tap(taps.stage3(), pooling == Pooling.CORNER ? new CornerAvgPool(25, 32) : null),
                                stage4)));
        net.add(Linear.builder().setUnits(classes).optBias(false).build());
        return net;
    }

    /** Stage 3, 4 or 5: stride-2 MV2 then the MobileViT block. */
    static Block stage(int stage) {
        int i = stage - 3;
        return new SequentialBlock()
                .add(MobileViT.mv2(WIDTHS[stage - 1], WIDTHS[stage], 2))
                .add(mobileVitBlock(WIDTHS[stage], DIMS[i], DEPTHS[i], FFN_RATIOS[i] * DIMS[i]));
    }

    /** 1×1 conv-BN-SiLU to the tap width, then the corner window or (null) a global average, flattened. */
    static Block tap(int width, CornerAvgPool corner) {
        return new SequentialBlock()
                .add(Layers.convBnAct(width, 1, 1, 1, Activations.SILU.supplier()))
                .add(corner != null ? corner : Layers.globalPoolFlatten());
    }

    static Block mobileVitBlock(int channels, int dim, int depth, int ffn) {
        SequentialBlock layers = new SequentialBlock();
        for (int l = 0; l < depth; l++) {
            SequentialBlock attention = new SequentialBlock()
                    .add(ChannelLayerNorm.lastAxisNorm(1e-5f, 2))
                    .add(new NarrowSelfAttention(dim, HEADS, HEAD_DIM));
            SequentialBlock mlp = new SequentialBlock()
                    .add(ChannelLayerNorm.lastAxisNorm(1e-5f, 2))
                    .add(Layers.linear(ffn))
                    .add(Activations.SILU.block())
                    .add(Layers.linear(dim));
            layers.add(Layers.residual(attention)).add(Layers.residual(mlp));
        }
        SequentialBlock global = new SequentialBlock()
                .add(Layers.convBnAct(channels, 3, 1, 1, Activations.SILU.supplier()))
                .add(Layers.convBnAct(dim, 1, 1, 1, Activations.SILU.supplier()))
                .add(new PatchTransformer(layers, PATCH))
                .add(Layers.convBnAct(channels, 1, 1, 1, Activations.SILU.supplier()));
        return new SequentialBlock()
                .add(new ParallelBlock(Layers::concatChannels, List.of(global, Blocks.identityBlock())))
                .add(Layers.convBnAct(channels, 3, 1, 1, Activations.SILU.supplier()));
    }
}
