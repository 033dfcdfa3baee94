package dev.hone.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Test-set metrics, written as {@code evaluation.json}.
 *
 * <p>Fields added after the first version ({@code betterThanChance}, {@code chance}, a null per-class
 * metric) are boxed and may be null when an earlier version wrote the file.
 *
 * <p>{@code accuracy} and {@code macroF1} are the classification names of each task's two headline figures; what
 * they hold depends on {@code task}, and the report, {@code hone explain} and the console name them as below:
 * <ul>
 *   <li>single-label and binary: the accuracy and the macro F1 (binary: at the learned threshold);
 *   <li>multi-label: the subset accuracy (whole label set right) and the macro F1 at the learned thresholds;
 *   <li>segmentation: the pixel accuracy and the mean Dice, the same figures as
 *       {@code taskMetrics.pixelAccuracy} and {@code taskMetrics.meanDice}; the headline is {@code taskMetrics.mIoU};
 *   <li>detection: no accuracy exists for boxes: {@code accuracy} holds the mAP (COCO AP 0.50:0.95, as
 *       {@code taskMetrics.mAP}) and {@code macroF1} the mean over the classes of the F1 of boxes matched at IoU 0.5
 *       among detections scoring at least {@code taskMetrics.scoreShown}; read {@code taskMetrics} (mAP, AP50, AP75,
 *       AR100, per class) for the task's own measures.
 * </ul>
 *
 * @param accuracy the task's accuracy figure (see above; detection: the mAP)
 * @param perClass per-class metrics; a class without test images has null recall, and null precision and F1 unless a
 *     single-label, binary or multi-label model predicted it (then 0; see {@link ClassMetrics}) (segmentation:
 *     over pixels, F1 being the Dice; detection: boxes at IoU 0.5 as for {@code macroF1})
 * @param macroF1 the unweighted mean F1 over the classes that have test images, and for single-label, binary and
 *     multi-label those predicted too, as scikit-learn's (segmentation: the mean Dice; detection: see above)
 * @param confusionMatrix rows are true classes, columns predicted classes (segmentation: pixels); null, and left out
 *     of the file, for detection, whose boxes have no one-to-one class answer (files written before left it as null)
 * @param worst the most confidently wrong predictions, worst first (single-label, binary, multi-label); null, and
 *     left out of the file, for segmentation and detection, whose {@code taskMetrics} rank their images instead
 *     ({@code worstImages}: per-image mIoU or F1)
 * @param betterThanChance whether the accuracy is significantly above {@code chance}; null in records
 *     written before it was measured
 * @param chance what a model that always answers the majority class would score, and the test of the
 *     accuracy against it; null in records written before it was measured
 * @param task {@code single-label}, {@code binary}, {@code multi-label}, {@code segmentation} or {@code detection};
 *     null in files written before tasks (single-label). For multi-label, {@code accuracy} is the subset accuracy
 *     (whole label set right) and the per-class metrics are at the learned thresholds
 * @param taskMetrics the task's own metrics (binary: ROC-AUC, AP, F1 at the learned threshold and at 0.5,
 *     ECE; multi-label: mAP, micro and macro F1, Hamming loss, per-class AP and thresholds; segmentation and
 *     detection: see {@code SegmentationEvaluation} and {@code DetectionEvaluation}); null for single-label
 */
public record Evaluation(String dataset, int count, double accuracy, double loss, List<String> classes,
        List<ClassMetrics> perClass, double macroF1, @JsonInclude(JsonInclude.Include.NON_NULL) int[][] confusionMatrix,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Mistake> worst,
        Boolean betterThanChance, ChanceLevel.Chance chance, String task, Map<String, Object> taskMetrics) {

    /** A single-label evaluation, as written before tasks. */
    public Evaluation(String dataset, int count, double accuracy, double loss, List<String> classes,
            List<ClassMetrics> perClass, double macroF1, int[][] confusionMatrix, List<Mistake> worst,
            Boolean betterThanChance, ChanceLevel.Chance chance) {
        this(dataset, count, accuracy, loss, classes, perClass, macroF1, confusionMatrix, worst, betterThanChance, chance,
                null, null);
    }

    /** This evaluation for {@code taskName}, with that task's own metrics. */
    public Evaluation forTask(String taskName, Map<String, Object> metrics) {
        return new Evaluation(dataset, count, accuracy, loss, classes, perClass, macroF1, confusionMatrix, worst,
                betterThanChance, chance, taskName, metrics);
    }

    /** As written before the chance level was measured. */
    public Evaluation(String dataset, int count, double accuracy, double loss, List<String> classes,
            List<ClassMetrics> perClass, double macroF1, int[][] confusionMatrix, List<Mistake> worst) {
        this(dataset, count, accuracy, loss, classes, perClass, macroF1, confusionMatrix, worst, null, null);
    }

    /**
     * Precision, recall and F1 of one class, one-vs-rest. For a class with no test images recall is null ("n/a"): nothing
     * was there to find. Its precision and F1 are 0 when the model predicted it (each such prediction is wrong), and null
     * when it did not: then no number would be honest.
     */
    public record ClassMetrics(String name, Double precision, Double recall, Double f1, int support) {}

    /**
     * A wrong prediction: image {@code index} of the evaluated set.
     *
     * @param confidence the predicted class's probability (single-label and binary); null for multi-label
     * @param loss the image's mean binary cross-entropy over the classes (multi-label, whose worst images are those of
     *     the highest loss); null otherwise. Records written before it held the loss in {@code confidence}.
     */
    public record Mistake(int index, String source, String trueClass, String predictedClass,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double confidence,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double loss) {

        /** A single-label or binary mistake, at {@code confidence}. */
        public Mistake(int index, String source, String trueClass, String predictedClass, double confidence) {
            this(index, source, trueClass, predictedClass, confidence, null);
        }

        /** A multi-label image's loss: {@link #loss()}, or what an older record kept in {@link #confidence()}. */
        public double lossOrConfidence() {
            return loss != null ? loss : confidence != null ? confidence : Double.NaN;
        }
    }

    /**
     * How often class {@code c} was predicted: a single-label or binary evaluation's confusion-matrix column; for other
     * tasks, -1 (some times) when its F1 is a number and 0 when not.
     */
    private int timesPredicted(int c) {
        boolean perImage = task == null || task.equals("single-label") || task.equals("binary");
        if (perImage && confusionMatrix != null && confusionMatrix.length > c) {
            int n = 0;
            for (int[] row : confusionMatrix) {
                n += row.length > c ? row[c] : 0;
            }
            return n;
        }
        return perClass.get(c).f1() != null ? -1 : 0;
    }

    /** Names of the classes that have no test image, in class order. */
    public List<String> classesWithoutSupport() {
        List<String> names = new ArrayList<>();
        if (perClass != null) {
            perClass.stream().filter(c -> c.support() == 0).forEach(c -> names.add(c.name()));
        }
        return names;
    }

    /**
     * What a reader of the headline must know: classes left out of the averages, and a result that a
     * constant answer would match. Empty when there is nothing to say.
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        if (perClass != null) {
            for (int c = 0; c < perClass.size(); c++) {
                ClassMetrics m = perClass.get(c);
                if (m.support() == 0) {
                    int times = timesPredicted(c);
                    if (times != 0) {
                        predicted.add(times < 0 ? m.name() : String.format(Locale.ROOT, "%s (predicted %d time%s)", m.name(), times,
                                times == 1 ? "" : "s"));
                    } else {
                        missing.add(m.name());
                    }
                }
            }
        }
        // a multi-label class without support has images, none showing it: no positive example
        String none = "multi-label".equals(task) ? " no positive test example" : " no test images";
        String give = "multi-label".equals(task) ? "Give the test set images that show every class"
                : "Give the test set images of every class";
        if (!missing.isEmpty()) {
            out.add((missing.size() == 1 ? "class " : "classes ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " has" : " have") + none + ": precision, recall and F1 are "
                    + "n/a and left out of macro F1. " + give);
        }
        if (!predicted.isEmpty()) {
            out.add((predicted.size() == 1 ? "class " : "classes ") + String.join(", ", predicted)
                    + (predicted.size() == 1 ? " has" : " have") + none + ", so every prediction of "
                    + (predicted.size() == 1 ? "it" : "them") + " is wrong: precision and F1 0, counted in macro F1 (as"
                    + " scikit-learn counts a predicted class), recall n/a. " + give);
        }
        if (Boolean.FALSE.equals(betterThanChance) && chance != null) {
            out.add(String.format(Locale.ROOT, "test accuracy %.2f%% is no better than chance (%s)",
                    100 * accuracy, chance.describe()));
        }
        return out;
    }
}
