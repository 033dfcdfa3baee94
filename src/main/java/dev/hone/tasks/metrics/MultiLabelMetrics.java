package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard multi-label metrics of N samples over K classes at per-class thresholds.
 *
 * <p>Definitions follow scikit-learn (1.2): per class {@code precision_recall_fscore_support} with
 * {@code zero_division=0}; micro F1 pools the counts of all K classes ({@code f1_score(average="micro")});
 * macro F1 is the mean of per-class F1 over the classes with at least one positive or at least one positive
 * prediction, which is {@code f1_score(average="macro", labels=<those classes>)}: a class absent from the split and
 * never predicted does not pull the mean to 0, and one predicted though absent counts with F1 0, as every prediction
 * of it is wrong (as single-label macro F1 counts a predicted class); subset accuracy is the fraction of samples whose whole predicted label set
 * equals the true one ({@code accuracy_score}); Hamming loss is the fraction of the N x K decisions that
 * are wrong ({@code hamming_loss}); mAP is the mean of per-class AP over the classes with at least one
 * positive (see {@link RankingMetrics#meanAveragePrecision}). Undefined means ({@code NaN}) occur only when
 * no class has a positive.
 *
 * @param classes one entry per class, in class order
 * @param microF1 F1 of the pooled counts
 * @param macroF1 mean F1 over the classes with support or a positive prediction; NaN if none has
 * @param subsetAccuracy fraction of samples with exactly the true label set; 0 with no sample
 * @param hammingLoss fraction of wrong sample-class decisions; 0 with no sample
 * @param meanAveragePrecision mAP over the classes with support; NaN if none has
 */
public record MultiLabelMetrics(List<ClassMetrics> classes, double microF1, double macroF1,
        double subsetAccuracy, double hammingLoss, double meanAveragePrecision) {
    /**
     * The metrics of one class.
     *
     * @param threshold the decision threshold applied: score {@code >= threshold} is predicted positive
     * @param counts the confusion counts at that threshold (precision, recall, F1, support read from it)
     * @param averagePrecision AP of the class's scores, NaN with no positive
     */
    public record ClassMetrics(double threshold, ConfusionMatrix counts, double averagePrecision) {
        public double precision() {
            return counts.precision();
        }

        public double recall() {
            return counts.recall();
        }

        public double f1() {
            return counts.f1();
        }

        public long support() {
            return counts.support();
        }
    }

    public MultiLabelMetrics {
        classes = List.copyOf(classes);
    }

    /**
     * Evaluates scores against the truth at per-class thresholds.
     *
     * @param scores N rows of K finite scores, sigmoid probabilities in [0, 1]
     * @param truth N rows of K labels
     * @param thresholds K thresholds, e.g. learned by {@link ThresholdSearch}; {@code 0.5} everywhere is the
     *     untuned default
     * @throws IllegalArgumentException if the shapes differ, rows are ragged, a score is not finite, or the
     *     number of thresholds is not K
     */
    public static MultiLabelMetrics evaluate(float[][] scores, boolean[][] truth, double[] thresholds) {
        int k = Checks.matrix(scores, truth);
        int n = scores.length;
        if (thresholds.length != k && n > 0) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + k
                    + " classes; pass one threshold per class");
        }
        List<ClassMetrics> classes = new ArrayList<>(k);
        ConfusionMatrix pooled = new ConfusionMatrix(0, 0, 0, 0);
        double[] ap = new double[k];
        double f1Sum = 0;
        int averaged = 0;
        for (int c = 0; c < k; c++) {
            float[] s = Checks.column(scores, c);
            boolean[] y = Checks.column(truth, c);
            ConfusionMatrix counts = ConfusionMatrix.at(s, y, thresholds[c]);
            ap[c] = RankingMetrics.averagePrecision(s, y);
            classes.add(new ClassMetrics(thresholds[c], counts, ap[c]));
            pooled = pooled.plus(counts);
            if (counts.support() > 0 || counts.truePositives() + counts.falsePositives() > 0) {
                f1Sum += counts.f1();
                averaged++;
            }
        }
        int exact = 0;
        for (int i = 0; i < n; i++) {
            boolean match = true;
            for (int c = 0; c < k && match; c++) {
                match = (scores[i][c] >= thresholds[c]) == truth[i][c];
            }
            exact += match ? 1 : 0;
        }
        long wrong = pooled.falsePositives() + pooled.falseNegatives();
        return new MultiLabelMetrics(classes, pooled.f1(), averaged == 0 ? Double.NaN : f1Sum / averaged,
                n == 0 ? 0 : (double) exact / n, pooled.total() == 0 ? 0 : (double) wrong / pooled.total(),
                RankingMetrics.meanIgnoringNaN(ap));
    }
}
