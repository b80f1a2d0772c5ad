package io.xscore.trainer.model;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.InvertedResidual;
import io.xscore.trainer.model.blocks.Layers;
import io.xscore.trainer.model.blocks.PatchTransformer;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileViT (Mehta &amp; Rastegari, Apple cvnets). ExMobileViT, on the authors' own MobileViT-S, is {@link ExMobileViT}.
 *
 * <p>MobileViT: 3×3 stride-2 stem (BN, SiLU); layer 1 one MV2 block (inverted residual, expansion 4, SiLU); layer 2
 * three MV2 (first stride 2); layers 3-5 a stride-2 MV2 then a MobileViT block; 1×1 conv-BN-SiLU to the head width,
 * global average pool, dropout 0.1, linear classifier. MobileViT block: 3×3 conv-BN-SiLU, 1×1 conv to the
 * transformer width d (no norm, no bias), {@link PatchTransformer} (2×2 patches, L pre-norm layers, 4 heads, FFN 2d,
 * SiLU), 1×1 conv-BN-SiLU back, concatenation with the block input, 3×3 conv-BN-SiLU fusion.
 *
 * <ul>
 *   <li>{@link #S}: MobileViT-S, widths 16, 32, 64, 96, 128, 160, head 640, d = 144, 192, 240, L = 2, 4, 3.</li>
 *   <li>{@link #BUDGET}: the ≈ 2.5 M XS-like variant, widths 16, 32, 48, 64, 80, 112, head 448, d = 112, 144, 176,
 *   L = 2, 4, 3.</li>
 * </ul>
 *
 * <p>With patch 1 ({@link #build(Config, int, int)}, id {@code mobilevit-global}) each MobileViT block attends over
 * all H·W positions of its map, the attention pattern of the simplified MobileViT behind the benchmark's reference row
 * (whose other details, and its 4,667,562 parameters at 10 classes, this does not reproduce; docs/benchmark.md §7).
 */
public final class MobileViT {

    /** A MobileViT configuration: widths of stem and layers 1-5, head width, transformer widths and depths. */
    public record Config(int[] widths, int head, int[] dims, int[] depths) {
    }

    public static final Config S = new Config(new int[] {16, 32, 64, 96, 128, 160}, 640,
            new int[] {144, 192, 240}, new int[] {2, 4, 3});
    public static final Config BUDGET = new Config(new int[] {16, 32, 48, 64, 80, 112}, 448,
            new int[] {112, 144, 176}, new int[] {2, 4, 3});

    private static final int HEADS = 4;
    private static final int PATCH = 2;
    private static final int EXPANSION = 4;

    private MobileViT() {
    }

    public static SequentialBlock build(Config c, int classes) {
        return build(c, classes, PATCH);
    }

    /**
     * MobileViT with the given transformer patch size: 2 is cvnets' MobileViT; 1 makes every feature-map position a
     * token of one sequence, so each MobileViT block attends globally over all H·W positions (same parameters).
     */
    public static SequentialBlock build(Config c, int classes, int patch) {
        SequentialBlock net = new SequentialBlock();
        for (Block b : trunk(c, 0, 6, patch)) {
            net.add(b);
        }
        net.add(Layers.convBnAct(c.head(), 1, 1, 1, Activations.SILU.supplier()));
        net.add(Layers.globalPoolFlatten());
        net.add(Dropout.builder().optRate(0.1f).build());
        net.add(Layers.linear(classes));
        return net;
    }

    /** Stages [from, to) of the trunk: 0 = stem, 1..5 = layers 1-5. */
    static List<Block> trunk(Config c, int from, int to, int patch) {
        int[] w = c.widths();
        List<Block> blocks = new ArrayList<>();
        for (int stage = from; stage < to; stage++) {
            switch (stage) {
                case 0 -> blocks.add(Layers.convBnAct(w[0], 3, 2, 1, Activations.SILU.supplier()));
                case 1 -> blocks.add(mv2(w[0], w[1], 1));
                case 2 -> {
                    blocks.add(mv2(w[1], w[2], 2));
                    blocks.add(mv2(w[2], w[2], 1));
                    blocks.add(mv2(w[2], w[2], 1));
                }
                default -> {
                    blocks.add(mv2(w[stage - 1], w[stage], 2));
                    int d = c.dims()[stage - 3];
                    blocks.add(mobileVitBlock(w[stage], d, c.depths()[stage - 3], patch));
                }
            }
        }
        return blocks;
    }

    static Block mv2(int in, int out, int stride) {
        return InvertedResidual.builder(in, out, in * EXPANSION).stride(stride).activation(Activations.SILU).build();
    }

    static Block mobileVitBlock(int channels, int dim, int depth, int patch) {
        SequentialBlock global = new SequentialBlock()
                .add(Layers.convBnAct(channels, 3, 1, 1, Activations.SILU.supplier()))
                .add(Layers.conv(dim, 1, 1, 1, false))
                .add(new PatchTransformer(dim, 2 * dim, depth, HEADS, patch, 0.1f))
                .add(Layers.convBnAct(channels, 1, 1, 1, Activations.SILU.supplier()));
        return new SequentialBlock()
                .add(new ParallelBlock(Layers::concatChannels, List.of(Blocks.identityBlock(), global)))
                .add(Layers.convBnAct(channels, 3, 1, 1, Activations.SILU.supplier()));
    }
}
