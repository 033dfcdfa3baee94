package dev.hone.report;

import java.util.List;

/**
 * Test-set metrics, written as {@code evaluation.json}.
 *
 * @param confusionMatrix rows are true classes, columns predicted classes
 * @param worst the most confidently wrong predictions, worst first
 */
public record Evaluation(String dataset, int count, double accuracy, double loss, List<String> classes,
        List<ClassMetrics> perClass, double macroF1, int[][] confusionMatrix, List<Mistake> worst) {

    /** Precision, recall and F1 of one class, one-vs-rest. */
    public record ClassMetrics(String name, double precision, double recall, double f1, int support) {}

    /** A wrong prediction: image {@code index} of the evaluated set. */
    public record Mistake(int index, String source, String trueClass, String predictedClass,
            double confidence) {}
}
