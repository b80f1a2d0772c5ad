package io.xscore.trainer.robustness;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's parameters kept out of an attack's backward pass: while an attack differentiates with respect to its input,
 * the parameters' {@code requires_grad} is off, so backward fills no parameter gradient that a later optimiser step
 * (Adam reads {@code .grad}) would see. Used by the PGD suite and by adversarial training's inner attack.
 */
public final class FrozenParameters implements AutoCloseable {

    private final List<Parameter> switched;

    private FrozenParameters(List<Parameter> switched) {
        this.switched = switched;
    }

    /** Switches off requires_grad on every parameter of {@code block} that has it, until {@link #close}. */
    public static FrozenParameters of(Block block) {
        List<Parameter> switched = new ArrayList<>();
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                if (array.hasGradient()) {
                    array.setRequiresGradient(false);
                    switched.add(p.getValue());
                }
            }
        } catch (RuntimeException e) {
            switched.forEach(p -> p.getArray().setRequiresGradient(true));
            throw e;
        }
        return new FrozenParameters(switched);
    }

    /** Switches requires_grad back on for the parameters that had it. */
    @Override
    public void close() {
        for (Parameter p : switched) {
            p.getArray().setRequiresGradient(true);
        }
    }
}
