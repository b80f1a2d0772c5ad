package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

/**
 * Multiply-accumulate count of an initialised block, found by walking it: every {@link Conv2d} contributes
 * (output elements) × (input channels / groups) × kh × kw, every {@link Linear} (output elements) × (input
 * features), and blocks implementing {@link Counted} (attention) add their own matmuls. Element-wise operations,
 * normalisation, activations, pooling, the star product and re-sampling are not counted (the fvcore / thop
 * convention). The count is for the batch the block was initialised with: initialise with a batch of one to get
 * MACs per image.
 */
public final class MacCounter {

    private MacCounter() {
    }

    /** A block with multiply-accumulates that are not in its {@link Conv2d}/{@link Linear} children. */
    public interface Counted {
        long macs();
    }

    public static long count(Block block) {
        long total = 0;
        if (block instanceof Conv2d || block instanceof Linear) {
            Shape[] in = block.getInputShapes();
            Shape out = block.getOutputShapes(in)[0];
            Shape weight = block.getParameters().get("weight").getArray().getShape();
            long perOutput = weight.size() / weight.get(0);
            total += out.size() * perOutput;
        }
        if (block instanceof Counted counted) {
            total += counted.macs();
        }
        for (Pair<String, Block> child : block.getChildren()) {
            total += count(child.getValue());
        }
        return total;
    }
}
