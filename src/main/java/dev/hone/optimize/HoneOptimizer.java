package dev.hone.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Base of hone's optimizers: a learning rate the schedule sets each step, decoupled weight decay
 * that skips BatchNorm and bias parameters, and state that can be checkpointed.
 *
 * <p>Why not DJL's own optimizers: their state lives in private maps keyed by parameter ids that
 * change every run, so it cannot be saved, and resume would not be exact. Here state is keyed by
 * the parameter's path in the block (stable across processes) and written with the weights.
 * DJL's PyTorch engine zeroes gradients inside its fused updates; optimizers written here must do
 * the same ({@link #zeroGradient}), or gradients accumulate across steps.
 */
public abstract class HoneOptimizer extends Optimizer {
    private final Map<String, String> stableNames = new HashMap<>();
    private final Set<String> noDecay = new HashSet<>();
    private final Map<String, NDArray[]> state = new LinkedHashMap<>();
    private final Map<String, Long> steps = new HashMap<>();
    private final float weightDecay;
    private float learningRate;

    protected HoneOptimizer(float learningRate, float weightDecay) {
        super(new NoOptions());
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /**
     * Learns the block's parameter names and which parameters get no weight decay: those of rank
     * at most 1 (biases, BatchNorm scales and shifts), following common practice (e.g. timm), since
     * shrinking them regularizes nothing useful and can hurt.
     */
    public void bind(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            stableNames.put(param.getId(), p.getKey());
            if (param.isInitialized() && param.getArray().getShape().dimension() <= 1) {
                noDecay.add(param.getId());
            }
        }
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = (float) learningRate;
    }

    public float learningRate() {
        return learningRate;
    }

    public float weightDecay() {
        return weightDecay;
    }

    /**
     * Sets the momentum for the next steps (beta1 for Adam-like optimizers), so a
     * {@link MomentumSchedule} can cycle it as one-cycle training does (Smith and Topin 2018).
     * Optimizers without momentum ignore it.
     */
    public void setMomentum(double momentum) {
        // no momentum to set
    }

    /** A short description for the record, e.g. {@code sgd(nesterov, momentum=0.9)}. */
    public abstract String describe();

    /** How many state tensors each parameter keeps (momentum, second moment, ...). */
    protected abstract int stateSize();

    /**
     * Applies one update in place. Runs with autograd off (after the gradient collector closed).
     *
     * @param step 1-based count of updates of this parameter, for bias corrections
     * @param decay the decoupled weight decay for this parameter (0 for norms and biases)
     */
    protected abstract void step(NDArray weight, NDArray grad, NDArray[] state, long step, float lr, float decay);

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        String key = stableNames.getOrDefault(parameterId, parameterId);
        NDArray[] s = state.computeIfAbsent(key, k -> newState(weight));
        long t = steps.merge(key, 1L, Long::sum);
        float decay = noDecay.contains(parameterId) ? 0f : weightDecay;
        step(weight, grad, s, t, learningRate, decay);
        zeroGradient(weight, grad);
    }

    private NDArray[] newState(NDArray weight) {
        NDArray[] s = new NDArray[stateSize()];
        for (int i = 0; i < s.length; i++) {
            s[i] = weight.zerosLike();
        }
        return s;
    }

    /** Zeroes the gradient without creating tensors (a NaN gradient is reset too). */
    public static void zeroGradient(NDArray weight, NDArray grad) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            grad.muli(0);
        }
    }

    /**
     * Zeroes every trainable parameter's gradient in {@code block} without stepping, for gradients
     * left by backward passes that no step will consume (a probe that stopped, or an accumulated step
     * abandoned on a diverging loss).
     */
    public static void zeroGradients(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                try (NDArray g = w.getGradient()) {
                    zeroGradient(w, g);
                }
            }
        }
    }

    /**
     * Whether every trainable parameter's gradient in {@code block} is finite: one sum per gradient (a NaN or an
     * infinity anywhere makes its sum non-finite), about 0.5 ms for 6.5 million weights on 2 threads. A step on a
     * non-finite gradient would write NaN into the weights and the optimizer's moments.
     */
    public static boolean gradientsFinite(Block block) {
        double total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                try (NDArray g = w.getGradient(); NDArray sum = g.sum()) {
                    total += sum.getFloat();
                }
            }
        }
        return Double.isFinite(total);
    }

    /** Writes per-parameter state and step counts, keyed by stable parameter names. */
    public void saveState(DataOutputStream out) throws IOException {
        out.writeInt(state.size());
        for (Map.Entry<String, NDArray[]> e : state.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(steps.getOrDefault(e.getKey(), 0L));
            out.writeInt(e.getValue().length);
            for (NDArray a : e.getValue()) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * Restores state written by {@link #saveState}; {@link #bind} must have been called so that the
     * state lands on the right parameters.
     */
    public void loadState(DataInputStream in, NDManager manager) throws IOException {
        for (NDArray[] arrays : state.values()) {
            for (NDArray a : arrays) {
                a.close();
            }
        }
        state.clear();
        steps.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            steps.put(key, in.readLong());
            NDArray[] arrays = new NDArray[in.readInt()];
            for (int k = 0; k < arrays.length; k++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                arrays[k] = NDArray.decode(manager, bytes);
            }
            state.put(key, arrays);
        }
    }

    /** DJL's Optimizer wants a builder; hone's options live in the subclasses' constructors. */
    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}
