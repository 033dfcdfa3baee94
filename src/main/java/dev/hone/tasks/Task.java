package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;

/**
 * What a kind of vision problem changes in training, and nothing else: the loop, the learners,
 * the search, the budget, the record and resume take a {@code Task} and never ask which one it is.
 *
 * <p>A task owns how labels become the loop's dense targets, how wide the head is, the loss on the
 * head's raw outputs (logits), how logits become probabilities, and the training metric. The
 * design follows Ultralytics (one trainer, a loss and validator per task) and DJL's translators
 * (one output type per task). Single-label classification is the first; binary and multi-label
 * classification, semantic segmentation and detection join this sealed hierarchy, each adding
 * its target encoding (multi-hot, masks, box heatmaps), its loss and its metrics.
 */
public sealed interface Task permits SingleLabel, Binary, MultiLabel, Segmentation, Detection {

    /** The task's name in records, flags and {@code evaluation.json}, e.g. {@code single-label}. */
    String name();

    /** Width of the network's head for {@code classes} classes (K for softmax, 1 for a binary sigmoid). */
    int outputs(int classes);

    /** The training loss, evaluated on dense targets and the head's logits. */
    Loss loss();

    /**
     * The loop's dense targets.
     *
     * @param labels the batch's labels as stored by the resident dataset: (N) int64 class indices, (N, K) multi-hot
     *     rows, (N, H, W) masks or (N, B, 6) boxes
     * @param classes K
     * @return float32 targets: (N, outputs(K)) for classification, (N, K, H, W) one-hot maps for segmentation, the
     *     boxes themselves (N, B, 6) for detection; label smoothing and sample mixing work on these
     */
    NDArray targets(NDArray labels, int classes);

    /**
     * The loop's dense targets from class distributions, for soft pseudo-labels ({@code
     * ImageSet#withSoftTargets}): by default the distributions themselves, right for one softmax over the K classes.
     *
     * @param distributions float32 (N, K), rows summing to 1
     * @return float32 targets of shape (N, outputs(K)), owned by {@code distributions}' manager
     */
    default NDArray softTargets(NDArray distributions) {
        return distributions;
    }

    /**
     * Probabilities from logits: shape (N, outputs(K)) in, or (N, outputs(K), h, w) for a spatial task; the same shape
     * out.
     */
    NDArray probabilities(NDArray logits);

    /**
     * What a batch's predictions get right, for the training metric shown per epoch ({@link #trainingMeasure}):
     * the loop sums the tallies of an epoch's batches and reports {@link Tally#fraction}. Classification
     * counts images; a task whose metric is over smaller units counts those (segmentation's pixels,
     * detection's object centres), so the epoch's figure is pooled over them.
     *
     * @param logits the head's outputs, shape (N, outputs(K)) or, for a spatial task, (N, outputs(K), h, w)
     * @param labels the batch's labels as the resident dataset stores them: (N) int64 class indices,
     *     (N, K) multi-hot rows, (N, H, W) masks or (N, B, 6) boxes
     */
    Tally tally(NDArray logits, NDArray labels);

    /**
     * The labels a training batch's outputs are tallied against ({@link #tally}): by default the batch's own. A task whose
     * targets are per pixel reads them from the targets the step trained on, which augmentation, CutMix and progressive
     * resizing moved or downscaled with the image.
     *
     * @param labels the batch's labels as the resident dataset stores them
     * @param targets the targets the step trained on: (N, K) rows, (N, K, h, w) maps or (N, B, 6) boxes
     */
    default NDArray trainingLabels(NDArray labels, NDArray targets) {
        return labels;
    }

    /**
     * Whether each output is its own sigmoid (binary, multi-label) rather than one softmax over the
     * classes: label smoothing then shrinks each target toward 0.5 instead of toward 1/K.
     */
    boolean independentOutputs();

    /**
     * Whether the targets are per pixel, shape (N, outputs(K), H, W), rather than per image: geometric
     * augmentation and CutMix then move them with the image, and test-time flips are flipped back.
     */
    default boolean spatialTargets() {
        return false;
    }

    /**
     * Whether the targets are boxes, shape (N, B, 6) rows {@code class, x1, y1, x2, y2, ignore} in input
     * pixels: geometric augmentation then moves the boxes with the image ({@code Augmenter#applyToBoxes}).
     */
    default boolean boxTargets() {
        return false;
    }

    /**
     * Whether label smoothing, MixUp and CutMix apply to this task's targets; the regularization search
     * leaves them out where they do not (detection's boxes).
     */
    default boolean softLabels() {
        return true;
    }

    /**
     * Whether averaging over horizontal flips at test time applies ({@code TestTimeAugmentation}); where it
     * does not, the decision is "no" by rule.
     */
    default boolean testTimeFlips() {
        return true;
    }

    /**
     * Label smoothing (Szegedy et al. 2016, arXiv:1512.00567) of dense targets: toward 1/K for a
     * softmax, toward 0.5 for independent sigmoids. The result belongs to {@code targets}' manager.
     *
     * @param epsilon the probability mass moved toward the prior, in [0, 1)
     */
    NDArray smooth(NDArray targets, float epsilon);

    /** The validation metric the learners maximise, by its standard name (e.g. {@code accuracy}). */
    String validationMetric();

    /** What {@link #tally} measures, by its standard name, for the per-epoch training column (e.g. {@code accuracy}). */
    default String trainingMeasure() {
        return "accuracy";
    }

    /**
     * The task a name ({@link #name}) stands for, as a record's {@code task} decision or {@code hone-model.json} writes it:
     * plain losses, and for binary the positive class at index 1; single-label for null or a name it does not know (a
     * file written before tasks).
     */
    static Task named(String name) {
        for (Task t : java.util.List.of(SingleLabel.INSTANCE, Binary.of(1), MultiLabel.plain(), Segmentation.plain(),
                Detection.INSTANCE)) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return SingleLabel.INSTANCE;
    }

    /**
     * One image's loss from its probabilities, as the training loss would give it from the logits.
     *
     * @param probabilities the image's row of {@link #probabilities}
     * @param target the image's row of {@link #targets}
     */
    double imageLoss(float[] probabilities, float[] target);

    /**
     * Each image's loss, from a batch's probabilities and dense targets; by default {@link #imageLoss}
     * on each row of {@link #kept} and {@link #keptTargets}.
     *
     * @param probabilities {@link #probabilities} of the batch, shape (N, ...)
     * @param targets the batch's {@link #targets}, shape (N, ...)
     * @return N losses
     */
    default double[] imageLosses(NDArray probabilities, NDArray targets) {
        int n = (int) probabilities.getShape().get(0);
        float[] p = kept(probabilities).toFloatArray();
        float[] t = keptTargets(targets).toFloatArray();
        int pk = p.length / Math.max(1, n);
        int tk = t.length / Math.max(1, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = imageLoss(java.util.Arrays.copyOfRange(p, i * pk, (i + 1) * pk), java.util.Arrays.copyOfRange(t, i * tk, (i + 1) * tk));
        }
        return out;
    }

    /**
     * What {@link Predictions} keep of a batch's probabilities, one row per image: the probabilities
     * themselves by default; a task with per-pixel outputs keeps less (segmentation: the predicted mask).
     */
    default NDArray kept(NDArray probabilities) {
        return probabilities;
    }

    /** What {@link Predictions} keep of a batch's dense targets, one row per image ({@link #kept}'s partner). */
    default NDArray keptTargets(NDArray targets) {
        return targets;
    }

    /** The {@link #validationMetric} of a set's predictions (higher is better). */
    double score(Predictions predictions);
}
