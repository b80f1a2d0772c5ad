package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.function.Supplier;

/** The activations of the zoo, as blocks (no parameters) and as array functions. */
public enum Activations {
    RELU("ReLU"), RELU6("ReLU6"), SILU("SiLU/Swish"), GELU("GELU"), HARD_SWISH("hard-swish"), SIGMOID("sigmoid"),
    HARD_SIGMOID("hard-sigmoid");

    private final String label;

    Activations(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public NDArray apply(NDArray x) {
        return switch (this) {
            case RELU -> Activation.relu(x);
            case RELU6 -> relu6(x);
            case SILU -> x.mul(Activation.sigmoid(x));
            case GELU -> Activation.gelu(x);
            case HARD_SWISH -> x.mul(hardSigmoid(x));
            case SIGMOID -> Activation.sigmoid(x);
            case HARD_SIGMOID -> hardSigmoid(x);
        };
    }

    public Block block() {
        return LambdaBlock.singleton(this::apply, name().toLowerCase());
    }

    /** A supplier of fresh blocks, for builders that need one per use. */
    public Supplier<Block> supplier() {
        return this::block;
    }

    /** min(relu(x), 6), as DJL's {@code Activation.relu6} but with a constant that outlives backward. */
    public static NDArray relu6(NDArray x) {
        return Activation.relu(x).minimum(Constants.of(x, 6f));
    }

    /** relu6(x + 3) / 6. */
    public static NDArray hardSigmoid(NDArray x) {
        return relu6(x.add(Constants.of(x, 3f))).div(Constants.of(x, 6f));
    }
}
