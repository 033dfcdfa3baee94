package dev.hone.report;

import dev.hone.data.ImageSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns predicted class probabilities into the test metrics of an {@link Evaluation}.
 *
 * <p>Pure Java on purpose: the numbers a person reads in the report are checked against hand-computed
 * values in milliseconds, with no engine in the way. The predicted class is the arg-max of a row; ties go
 * to the lower class index, so results do not depend on iteration order.
 *
 * <p>Per-class metrics are one-vs-rest. A class that was never predicted has precision 0 (not NaN,
 * as scikit-learn's {@code zero_division=0}): a class the model never predicts deserves no credit, and
 * F1 is 0 when precision and recall are both 0. A class with no test images is different: there was
 * nothing to find, so its precision, recall and F1 are null (n/a) rather than a 0 that reads as a
 * failure. Macro F1 is the unweighted mean over the classes that have test images, so a rare class
 * counts as much as a common one, and a class the split left without test images (one image in all,
 * which went to training) does not pull it down: with every test image right it is 1, not 2/3.
 *
 * <p>The accuracy is also tested against the majority-class rate ({@link ChanceLevel}), so a model
 * that learned nothing is called that.
 */
public final class EvaluationMetrics {

    private EvaluationMetrics() {}

    /** An off-diagonal cell of the confusion matrix: how often {@code trueClass} was taken for another. */
    public record ConfusedPair(String trueClass, String predictedClass, int count) {}

    /**
     * Computes every metric of an {@link Evaluation}.
     *
     * @param dataset a name for the evaluated split (e.g. {@code test})
     * @param set the evaluated images; labels and {@link ImageSet#source(int)} are read from it
     * @param probabilities one row per image of {@code set}, one column per class
     * @param meanLoss the mean loss over the set, as measured by the evaluation loop
     * @param worstCount how many confidently wrong predictions to keep
     */
    public static Evaluation compute(String dataset, ImageSet set, float[][] probabilities, double meanLoss,
            int worstCount) {
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = argMax(probabilities[i]);
        }
        return compute(dataset, set, probabilities, predicted, meanLoss, worstCount);
    }

    /**
     * As {@link #compute(String, ImageSet, float[][], double, int)}, with the model's decisions given: a binary model
     * decides at its learned threshold, not at the arg-max of its two probabilities (0.5).
     *
     * @param predicted the predicted class of each image, one per row of {@code probabilities}
     */
    public static Evaluation compute(String dataset, ImageSet set, float[][] probabilities, int[] predicted, double meanLoss,
            int worstCount) {
        int n = set.size();
        int k = set.numClasses();
        if (probabilities.length != n || predicted.length != n) {
            throw new IllegalArgumentException(probabilities.length != n ? probabilities.length + " probability rows for " + n
                    + " images" : predicted.length + " predictions for " + n + " images");
        }
        int[][] confusion = new int[k][k];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (probabilities[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has " + probabilities[i].length
                        + " probabilities for " + k + " classes");
            }
            confusion[set.label(i)][predicted[i]]++;
            if (predicted[i] == set.label(i)) {
                correct++;
            }
        }
        List<Evaluation.ClassMetrics> perClass = perClass(confusion, set.classNames());
        double accuracy = n == 0 ? 0 : (double) correct / n;
        // data of one class (evaluate on one class's images) has no chance level to beat: always answering it scores 100%
        boolean oneClass = java.util.Arrays.stream(set.classCounts()).filter(c -> c > 0).count() < 2;
        ChanceLevel.Chance chance = oneClass ? null : ChanceLevel.of(correct, set.classCounts(), set.classNames());
        return new Evaluation(dataset, n, accuracy, meanLoss, set.classNames(), perClass, macroF1(perClass), confusion,
                worst(set, probabilities, predicted, worstCount), chance == null ? null : ChanceLevel.isBetter(chance),
                chance);
    }

    /**
     * Mean F1 over the classes with support or predictions (scikit-learn's {@code f1_score(average="macro")}, whose labels
     * are those of the truth and the predictions); NaN when there are none (an empty set).
     */
    public static double macroF1(List<Evaluation.ClassMetrics> perClass) {
        return perClass.stream().filter(c -> c.f1() != null).mapToDouble(Evaluation.ClassMetrics::f1).average()
                .orElse(Double.NaN);
    }

    /**
     * One-vs-rest precision, recall, F1 and support per class from a confusion matrix (rows true). A class without support
     * has recall null; its precision and F1 are 0 when it was predicted (every such prediction is wrong), null when not.
     */
    public static List<Evaluation.ClassMetrics> perClass(int[][] confusion, List<String> classes) {
        int k = confusion.length;
        List<Evaluation.ClassMetrics> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int support = 0;
            int predictedAsC = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predictedAsC += confusion[j][c];
            }
            if (support == 0) {
                // predicted though absent: every such prediction is wrong, so precision and F1 are 0 and count in macro F1
                // (scikit-learn's labels are those of the truth and the predictions); never predicted, nothing to score
                out.add(predictedAsC > 0 ? new Evaluation.ClassMetrics(classes.get(c), 0.0, null, 0.0, 0)
                        : new Evaluation.ClassMetrics(classes.get(c), null, null, null, 0));
                continue;
            }
            double precision = predictedAsC == 0 ? 0 : (double) tp / predictedAsC;
            double recall = (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new Evaluation.ClassMetrics(classes.get(c), precision, recall, f1, support));
        }
        return out;
    }

    /**
     * The {@code limit} largest off-diagonal cells, largest first (ties: lower true, then predicted
     * index); empty cells are never listed.
     */
    public static List<ConfusedPair> mostConfused(int[][] confusion, List<String> classes, int limit) {
        List<int[]> cells = new ArrayList<>();
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion[t].length; p++) {
                if (t != p && confusion[t][p] > 0) {
                    cells.add(new int[] {t, p, confusion[t][p]});
                }
            }
        }
        cells.sort(Comparator.<int[]>comparingInt(c -> -c[2]).thenComparingInt(c -> c[0]).thenComparingInt(c -> c[1]));
        return cells.stream().limit(Math.max(0, limit))
                .map(c -> new ConfusedPair(classes.get(c[0]), classes.get(c[1]), c[2])).toList();
    }

    /** Index of the largest value; the first one on ties. */
    static int argMax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    /** Wrong predictions by falling confidence in the predicted class; ties keep image order. */
    private static List<Evaluation.Mistake> worst(ImageSet set, float[][] probabilities, int[] predicted,
            int limit) {
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] != set.label(i)) {
                wrong.add(i);
            }
        }
        wrong.sort(Comparator.<Integer>comparingDouble(i -> -probabilities[i][predicted[i]])
                .thenComparingInt(i -> i));
        List<String> names = set.classNames();
        return wrong.stream().limit(Math.max(0, limit))
                .map(i -> new Evaluation.Mistake(i, set.source(i), names.get(set.label(i)),
                        names.get(predicted[i]), probabilities[i][predicted[i]]))
                .toList();
    }
}
