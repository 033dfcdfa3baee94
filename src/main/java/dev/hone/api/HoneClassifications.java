package dev.hone.api;

import ai.djl.modality.Classifications;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A hone model's {@link Classifications} of one image: every class with its probability, as DJL users
 * expect ({@link #best()}, {@link #topK()}, {@link #get(String)} work as for any DJL classifier), plus the
 * model's decision with its learned thresholds applied, {@link #predicted()}.
 *
 * <ul>
 *   <li>single-label: probabilities are the softmax over the classes and sum to 1; {@link #predicted()} is
 *       the most probable class;</li>
 *   <li>binary: both classes, {@code 1 - p} and {@code p} for the positive class, calibrated by the
 *       temperature learned on validation; {@link #predicted()} is the positive class when {@code p}
 *       reaches the learned threshold, else the other one;</li>
 *   <li>multi-label: each class's own sigmoid probability (they need not sum to 1); {@link #predicted()}
 *       holds every class at or above its own learned threshold, possibly none.</li>
 * </ul>
 *
 * <p>Predictors from {@link HoneModel#newPredictor()} and from DJL's {@code Criteria} with
 * {@link HoneTranslatorFactory} return this type behind the {@code Classifications} they declare.
 * Probabilities average the image and its mirror image when the model was trained to predict so
 * (test-time flips, kept only when they helped on validation).
 */
public final class HoneClassifications extends Classifications {
    private final TaskType task;
    private final List<Integer> predicted;
    private final double[] thresholds;
    private final java.util.Map<String, Double> byClass;

    /** @param byClass each thresholded class's threshold, in the model's class order ({@link #thresholdsByClass()}) */
    HoneClassifications(TaskType task, List<String> classNames, List<Double> probabilities, List<Integer> predicted,
            double[] thresholds, java.util.Map<String, Double> byClass) {
        super(classNames, probabilities);
        this.task = task;
        this.predicted = List.copyOf(predicted);
        this.thresholds = thresholds.clone();
        this.byClass = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byClass));
    }

    /** The task of the model that made it. */
    public TaskType task() {
        return task;
    }

    /**
     * The classes the model predicts the image shows, with their probabilities, most probable first:
     * exactly one for single-label and binary, zero or more for multi-label (see the class comment).
     */
    public List<Classification> predicted() {
        List<Classification> out = new ArrayList<>();
        for (int k : predicted) {
            out.add(item(k));
        }
        out.sort(Collections.reverseOrder(java.util.Comparator.comparingDouble(Classification::getProbability)));
        return out;
    }

    /**
     * The decision thresholds learned on validation: one per class for multi-label, in the model's class order
     * ({@code getClassNames()}, sorted by name, whatever the order of a multi-hot file's columns), one for the positive
     * class of a binary model; empty for single-label (the arg-max decides). Probabilities, from 0 to 1.
     * {@link #thresholdsByClass()} names them.
     */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /**
     * The decision thresholds by class name: every class of a multi-label model, the positive class of a binary one (the
     * other class is predicted below it); empty for single-label. Probabilities, from 0 to 1, in the model's class order.
     */
    public java.util.Map<String, Double> thresholdsByClass() {
        return byClass;
    }
}
