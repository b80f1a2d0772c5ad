package io.xscore.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.Layers;
import io.xscore.trainer.model.blocks.RepBranches;
import io.xscore.trainer.model.blocks.SqueezeExcite;
import java.util.List;

/**
 * GhostNet in its V3 form (Liu et al., GhostNetV3; reference code {@code ghostnetv3.py}, truncated as docs/benchmark.md §4
 * says) at training time.
 *
 * <ul>
 *   <li>Ghost module: a primary 1×1 conv producing ⌈out/2⌉ channels, then a cheap 3×3 depthwise conv producing as
 *   many more, concatenated; each conv is a re-parameterisable {@link RepBranches} (3 conv-BN branches + 1×1 scale
 *   branch + BN identity where shapes allow), ReLU after both in the first module of a bottleneck, none in the
 *   second.</li>
 *   <li>From the third bottleneck on, the expanding ghost module is gated by DFC attention (GhostNetV2): 2×2 average
 *   pool, 1×1 conv-BN, 1×5 and 5×1 depthwise conv-BN, sigmoid, nearest up-sampling, multiplied in.</li>
 *   <li>Bottleneck: ghost (expand) → [stride-2 depthwise k×k re-parameterisable conv] → [SE 0.25, ReLU,
 *   hard-sigmoid] → ghost (project), plus an identity or depthwise-separable conv shortcut.</li>
 *   <li>Stages (k, expansion, out, SE, stride): (3,16,16,-,1) (3,48,24,-,2) (3,72,24,-,1) (5,72,40,.25,2)
 *   (5,120,40,.25,1) (3,240,80,-,2) (3,184,80,-,1) (3,240,160,.25,1) (5,720,192,.25,1); 16-channel 3×3 stem
 *   (stride 2), 1×1 conv-BN-ReLU to 720, global average pool, 1×1 conv (bias) to 1280, ReLU, linear head.</li>
 * </ul>
 */
public final class GhostNet {

    /** k, expansion, out, SE (0/1), stride. */
    private static final int[][] CONFIG = {
        {3, 16, 16, 0, 1}, {3, 48, 24, 0, 2}, {3, 72, 24, 0, 1}, {5, 72, 40, 1, 2}, {5, 120, 40, 1, 1},
        {3, 240, 80, 0, 2}, {3, 184, 80, 0, 1}, {3, 240, 160, 1, 1}, {5, 720, 192, 1, 1}};
    private static final int BRANCHES = 3;

    private GhostNet() {
    }

    public static SequentialBlock build(int classes) {
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convBnAct(16, 3, 2, 1, Activations.RELU.supplier()));
        int in = 16;
        for (int id = 0; id < CONFIG.length; id++) {
            int[] c = CONFIG[id];
            net.add(bottleneck(in, c[1], c[2], c[0], c[4], c[3] == 1, id > 1));
            in = c[2];
        }
        int last = CONFIG[CONFIG.length - 1][1];
        net.add(Layers.convBnAct(last, 1, 1, 1, Activations.RELU.supplier()));
        net.add(Layers.globalPool());
        net.add(Layers.conv(1280, 1, 1, 1, true));
        net.add(Activations.RELU.block());
        net.add(Blocks.batchFlattenBlock());
        net.add(Layers.linear(classes));
        return net;
    }

    static Block bottleneck(int in, int mid, int out, int kernel, int stride, boolean se, boolean dfc) {
        SequentialBlock body = new SequentialBlock();
        body.add(dfc ? dfcGhost(in, mid) : ghost(in, mid, true));
        if (stride > 1) {
            body.add(new RepBranches(mid, mid, kernel, stride, mid, BRANCHES));
        }
        if (se) {
            body.add(SqueezeExcite.of(mid, Layers.makeDivisible(mid * 0.25, 4), Activations.RELU,
                    Activations.HARD_SIGMOID));
        }
        body.add(ghost(mid, out, false));
        Block shortcut = in == out && stride == 1 ? Blocks.identityBlock() : new SequentialBlock()
                .add(Layers.convBn(in, kernel, stride, in))
                .add(Layers.convBn(out, 1, 1, 1));
        return new ParallelBlock(Layers::sum, List.of(body, shortcut));
    }

    /** Ghost module: primary 1×1 and cheap 3×3 depthwise re-parameterisable convs, outputs concatenated. */
    static Block ghost(int in, int out, boolean relu) {
        if (out % 2 != 0) {
            throw new IllegalArgumentException("ghost module width must be even: " + out);
        }
        int init = out / 2;
        SequentialBlock primary = new SequentialBlock().add(new RepBranches(in, init, 1, 1, 1, BRANCHES));
        SequentialBlock cheap = new SequentialBlock().add(new RepBranches(init, init, 3, 1, init, BRANCHES));
        if (relu) {
            primary.add(Activations.RELU.block());
            cheap.add(Activations.RELU.block());
        }
        return primary.add(new ParallelBlock(Layers::concatChannels, List.of(Blocks.identityBlock(), cheap)));
    }

    /** Ghost module gated by DFC attention (GhostNetV2's decoupled fully connected attention). */
    static Block dfcGhost(int in, int out) {
        SequentialBlock attention = new SequentialBlock()
                .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Layers.convBn(out, 1, 1, 1))
                .add(Layers.conv(out, 1, 5, 1, out, false)).add(Layers.batchNorm())
                .add(Layers.conv(out, 5, 1, 1, out, false)).add(Layers.batchNorm());
        return new ParallelBlock(GhostNet::gate, List.of(ghost(in, out, true), attention));
    }

    private static NDList gate(List<NDList> branches) {
        NDArray features = branches.get(0).singletonOrThrow();
        NDArray attention = Activations.SIGMOID.apply(branches.get(1).singletonOrThrow());
        Shape s = features.getShape();
        return new NDList(features.mul(nearest(attention, s.get(2), s.get(3))));
    }

    /** Nearest-neighbour up-sampling of an NCHW map to h×w (PyTorch "nearest": source = ⌊dst·in/out⌋). */
    static NDArray nearest(NDArray x, long h, long w) {
        long h0 = x.getShape().get(2);
        long w0 = x.getShape().get(3);
        if (h0 == h && w0 == w) {
            return x;
        }
        NDManager m = x.getManager();
        NDArray rows = selection(m, h, h0);
        NDArray cols = selection(m, w, w0).transpose();
        return rows.matMul(x).matMul(cols);
    }

    /** The (out × in) 0/1 matrix picking source index ⌊i·in/out⌋ for every output index i. */
    private static NDArray selection(NDManager m, long out, long in) {
        float[] data = new float[(int) (out * in)];
        for (int i = 0; i < out; i++) {
            data[(int) (i * in + Math.min(in - 1, (long) Math.floor(i * (double) in / out)))] = 1f;
        }
        return m.create(data, new Shape(out, in));
    }
}
