package dev.hone.optimize;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** Parameters for optimizer tests, given gradients the way training gives them. */
final class Params {
    private Params() {}

    static NDArray param(NDManager m, Shape shape, float... values) {
        NDArray w = m.create(values, shape);
        w.setRequiresGradient(true);
        return w;
    }

    /**
     * Gives {@code w} the gradient {@code g} (flattened) by backward of sum(g * w). The loss lives in
     * a sub-manager because DJL's backward leaves a ones tensor in the loss's manager, which would
     * otherwise look like a leak of the optimizer's.
     */
    static void setGradient(NDArray w, float... g) {
        try (NDManager scratch = w.getManager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray target = scratch.create(g, w.getShape());
            collector.backward(target.mul(w).sum());
        }
    }

    /** One optimizer update, closing the gradient's wrapper as a long run must. */
    static void update(HoneOptimizer opt, String id, NDArray w, float... g) {
        setGradient(w, g);
        try (NDArray grad = w.getGradient()) {
            opt.update(id, w, grad);
        }
    }

    static double norm(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
