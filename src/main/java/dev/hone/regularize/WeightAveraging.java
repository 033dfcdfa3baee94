package dev.hone.regularize;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import java.util.ArrayList;
import java.util.List;

/**
 * An average of the weights along the training path: an exponential moving average (EMA) or SWA's
 * uniform average over the last part of training.
 *
 * <p>Averaging iterates lands nearer the centre of the flat region that SGD's noise makes it circle
 * around, which tends to generalise better than the last iterate (Polyak and Juditsky 1992; SWA, Izmailov
 * et al. 2018, arXiv:1803.05407; EMA as in the EfficientNet and timm recipes). It costs one copy of the
 * weights and a few element-wise operations per step and does not change training itself, so the caller
 * evaluates the average on the validation split ({@link #swapIn}, evaluate, {@link #swapOut}) and keeps
 * it ({@link #copyInto}) only if it helps.
 *
 * <p>Every parameter is averaged, BatchNorm's running mean and variance included (DJL keeps them as
 * parameters, so {@code getParameters()} lists them), as timm's EMA does. SWA's paper instead recomputes
 * the statistics with a pass over training data, and so does the caller before it compares an average
 * (train/FinalChoices, with loop/PreciseBatchNorm); the averaged statistics remain where they cannot be
 * recomputed (no time left, no DJL BatchNorm). A TorchScript network lists only its
 * trainable parameters, not its buffers, so there the running statistics stay the live model's.
 *
 * <p>The average is updated at {@link Event#AFTER_STEP} and lives in its own {@link NDManager} on the
 * model's device until {@link #close}. It is not part of the checkpoint: a resumed run restarts the
 * average from the resumed epoch, and so does a divergence back-off that re-runs an epoch (the
 * abandoned steps must not stay in it), which this technique notices when the step counter goes back
 * at {@link Event#EPOCH_START}.
 */
public final class WeightAveraging implements Technique, AutoCloseable {
    /** Bounds of {@link #emaDecay}: below 0.9 the average is the last few steps, above 0.9999 it barely moves. */
    static final double MIN_DECAY = 0.9;
    static final double MAX_DECAY = 0.9999;
    /** The EMA's half-life as a share of the planned steps. */
    static final double HALF_LIFE_FRACTION = 0.03;

    private final String name;
    private final Model model;
    private final double decay;
    private final long startStep;
    private final NDManager manager;
    private final List<String> names = new ArrayList<>();
    private final List<NDArray> average = new ArrayList<>();
    private List<NDArray> swappedOut;
    private long count;
    private long nextStep;

    private WeightAveraging(String name, Model model, double decay, long startStep) {
        this.name = name;
        this.model = model;
        this.decay = decay;
        this.startStep = startStep;
        this.manager = NDManager.newBaseManager(model.getNDManager().getDevice());
        manager.setName(name + "-average");
    }

    /**
     * An exponential moving average, {@code avg = decay * avg + (1 - decay) * w} after every step,
     * started from the weights after the first step.
     *
     * @param decay in (0, 1); {@link #emaDecay} derives one from the planned steps
     */
    public static WeightAveraging ema(Model model, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in (0, 1): " + decay);
        }
        return new WeightAveraging("ema", model, decay, 0);
    }

    /**
     * SWA: the arithmetic mean of the weights after each of the last {@code startFraction} of the
     * {@code totalSteps} planned steps.
     *
     * @param startFraction the averaged share of training, in (0, 1]; the paper averages over roughly
     *     the last quarter
     */
    public static WeightAveraging swa(Model model, long totalSteps, double startFraction) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("SWA needs at least one planned step: " + totalSteps);
        }
        if (!(startFraction > 0 && startFraction <= 1)) {
            throw new IllegalArgumentException("SWA's averaged fraction must be in (0, 1]: " + startFraction);
        }
        long averaged = Math.max(1, Math.round(startFraction * totalSteps));
        return new WeightAveraging("swa", model, Double.NaN, totalSteps - averaged);
    }

    /**
     * The EMA decay whose half-life is {@value #HALF_LIFE_FRACTION} of the planned steps:
     * {@code 0.5^(1 / (0.03 * totalSteps))}, clamped to [0.9, 0.9999].
     *
     * <p>Why: the EMA weighs the last {@code 1 / (1 - decay)} steps, about 1.44 half-lives, so it spans
     * the last ~4% of training, where the learning rate is low and the weights circle the minimum;
     * and the weights of the start, 33 half-lives back, keep a weight of 2^-33, so the average needs no
     * bias correction. A fixed decay such as timm's 0.9998 would instead span 5,000 steps: more than a
     * whole short run, or a sliver of a long one. Below 0.9 the average is the last handful of
     * iterates; 0.9999 (a 6,900-step half-life) is what ImageNet recipes (EfficientNet, timm) use for
     * runs of hundreds of thousands of steps.
     */
    public static double emaDecay(long totalSteps) {
        double halfLife = HALF_LIFE_FRACTION * Math.max(1, totalSteps);
        return Math.min(MAX_DECAY, Math.max(MIN_DECAY, Math.pow(0.5, 1 / halfLife)));
    }

    /** In place: {@code average = decay * average + (1 - decay) * current}. */
    public static void emaUpdate(NDArray average, NDArray current, float decay) {
        try (NDArray update = current.mul(1f - decay)) {
            average.muli(decay).addi(update);
        }
    }

    /** Whether at least one step has been averaged (SWA: whether its window has begun). */
    public boolean hasAverage() {
        return count > 0;
    }

    /** How many steps the average holds since it (re)started. */
    public long averagedSteps() {
        return count;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.AFTER_STEP || event == Event.EPOCH_START;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        if (event == Event.EPOCH_START) {
            if (state.globalStep() < nextStep) {
                restart();
            }
            return;
        }
        long step = state.globalStep(); // the step just taken, counted from 0
        nextStep = step + 1;
        // SWA's start is a share of the schedule: after a budget re-plan it follows the schedule's position; a skipped
        // step left the weights where the last one did, which the average already holds
        if (state.scheduleStep() >= startStep && !state.stepSkipped()) {
            update();
        }
    }

    /** Folds the model's current weights into the average. */
    void update() {
        ParameterList parameters = model.getBlock().getParameters();
        if (count == 0) {
            for (Pair<String, Parameter> p : parameters) {
                names.add(p.getKey());
                NDArray copy = p.getValue().getArray().duplicate();
                copy.attach(manager);
                average.add(copy);
            }
        } else {
            // EMA: a fixed decay. SWA: the running mean, avg_n+1 = n/(n+1) avg_n + 1/(n+1) w
            float d = (float) (Double.isNaN(decay) ? (double) count / (count + 1) : decay);
            int i = 0;
            for (Pair<String, Parameter> p : parameters) {
                emaUpdate(average.get(i++), p.getValue().getArray(), d);
            }
        }
        count++;
    }

    private void restart() {
        for (NDArray a : average) {
            a.close();
        }
        average.clear();
        names.clear();
        count = 0;
    }

    /**
     * Writes the average into {@code model}'s parameters, in place: the training model or a fresh model
     * of the same architecture. The optimizer's state (momentum) still belongs to the old weights.
     *
     * @throws IllegalStateException if nothing has been averaged yet, or the model's parameters differ
     */
    public void copyInto(Model model) {
        if (!hasAverage()) {
            throw new IllegalStateException(name + " holds no average yet: check hasAverage() first");
        }
        List<NDArray> targets = arraysOf(model);
        for (int i = 0; i < targets.size(); i++) {
            write(targets.get(i), average.get(i));
        }
    }

    /** Puts the average into the model and keeps its current weights aside, for {@link #swapOut}. */
    public void swapIn(Model model) {
        if (swappedOut != null) {
            throw new IllegalStateException(name + " is already swapped in; call swapOut first");
        }
        if (!hasAverage()) {
            throw new IllegalStateException(name + " holds no average yet: check hasAverage() first");
        }
        List<NDArray> current = arraysOf(model);
        List<NDArray> kept = new ArrayList<>();
        for (NDArray a : current) {
            NDArray copy = a.duplicate();
            copy.attach(manager);
            kept.add(copy);
        }
        copyInto(model);
        swappedOut = kept;
    }

    /** Puts back the weights that {@link #swapIn} set aside. */
    public void swapOut(Model model) {
        if (swappedOut == null) {
            throw new IllegalStateException(name + " is not swapped in");
        }
        List<NDArray> targets = arraysOf(model);
        for (int i = 0; i < targets.size(); i++) {
            write(targets.get(i), swappedOut.get(i));
            swappedOut.get(i).close();
        }
        swappedOut = null;
    }

    /** The model's parameter arrays, checked against the averaged ones by name and shape. */
    private List<NDArray> arraysOf(Model target) {
        ParameterList parameters = target.getBlock().getParameters();
        if (hasAverage() && parameters.size() != names.size()) {
            throw new IllegalStateException("the model has " + parameters.size() + " parameters, the " + name
                    + " average " + names.size() + ": use a model of the same architecture");
        }
        List<NDArray> arrays = new ArrayList<>();
        int i = 0;
        for (Pair<String, Parameter> p : parameters) {
            NDArray array = p.getValue().getArray();
            if (hasAverage() && (!p.getKey().equals(names.get(i)) || !array.getShape().equals(average.get(i).getShape()))) {
                throw new IllegalStateException("parameter " + p.getKey() + " " + array.getShape() + " does not match the "
                        + name + " average's " + names.get(i) + " " + average.get(i).getShape());
            }
            arrays.add(array);
            i++;
        }
        return arrays;
    }

    /**
     * Copies {@code source}'s values into {@code target}'s own memory. A copy, never
     * {@code NDArray.intern}: swapping native handles let memory the model still used be freed (see
     * models/Weights).
     */
    private static void write(NDArray target, NDArray source) {
        target.set(new NDIndex(":"), source);
    }

    @Override
    public void close() {
        manager.close();
    }
}
