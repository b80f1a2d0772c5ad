package io.xscore.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba) exactly as {@code torch.optim.Adam} without weight decay or AMSGrad, with its state (first and
 * second moments, step count) held explicitly so that it can be exported and restored for checkpoints; DJL's own
 * Adam keeps its state private. No weight decay is the paper's protocol (docs/benchmark.md §3: weight decay 0);
 * {@code ProtocolSpec.weightDecay} is recorded and must be 0, and {@link TrainingLoop} refuses a job with another value.
 *
 * <pre>
 *   t ← t+1;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   θ ← θ − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
 * </pre>
 * Moments live in the long-lived manager given at construction; all temporaries of a step live in a sub-manager
 * that is closed before {@link #step} returns. Gradients are zeroed after the update.
 */
public final class Adam {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, Parameter> parameters;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final NDManager manager;
    private long step;

    /** @param parameters the trainable parameters by their unique path name (the keys of exported state) */
    public Adam(NDManager manager, Map<String, Parameter> parameters, double beta1, double beta2, double epsilon) {
        this.manager = manager;
        this.parameters = new LinkedHashMap<>(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.parameters.forEach((name, p) -> {
            NDArray w = p.getArray();
            m.put(name, manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            v.put(name, manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        });
    }

    /** Applies one update at learning rate {@code lr} from the gradients accumulated on the parameters. */
    public void step(double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager sub = manager.newSubManager()) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray weight = e.getValue().getArray();
                NDArray g = temp(sub, weight.getGradient());
                NDArray mp = m.get(e.getKey());
                NDArray vp = v.get(e.getKey());
                mp.muli(beta1).addi(temp(sub, g.mul(1 - beta1)));
                vp.muli(beta2).addi(temp(sub, g.square()).muli(1 - beta2));
                NDArray denom = temp(sub, vp.sqrt()).divi(bc2Sqrt).addi(epsilon);
                weight.subi(temp(sub, mp.div(denom)).muli(stepSize));
                JniUtils.zeroGrad((PtNDArray) weight);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static NDArray temp(NDManager sub, NDArray array) {
        array.attach(sub);
        return array;
    }

    /** The state for a checkpoint: step count and the moments by parameter name, as float arrays. */
    public State exportState() {
        Map<String, float[]> ms = new LinkedHashMap<>();
        Map<String, float[]> vs = new LinkedHashMap<>();
        m.forEach((k, a) -> ms.put(k, a.toFloatArray()));
        v.forEach((k, a) -> vs.put(k, a.toFloatArray()));
        return new State(step, ms, vs);
    }

    /** Restores a state exported from an optimiser over the same parameters. */
    public void importState(State state) {
        for (String name : parameters.keySet()) {
            float[] ms = state.m().get(name);
            float[] vs = state.v().get(name);
            if (ms == null || vs == null || ms.length != m.get(name).size() || vs.length != ms.length) {
                throw new IllegalArgumentException("optimizer state does not match parameter " + name);
            }
            m.get(name).set(ms);
            v.get(name).set(vs);
        }
        step = state.step();
    }

    /** Serialisable optimiser state. */
    public record State(long step, Map<String, float[]> m, Map<String, float[]> v) {
    }
}
