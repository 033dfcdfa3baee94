package dev.hone.train;

import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import dev.hone.report.Evaluation;
import dev.hone.report.TaskCurves;
import dev.hone.report.EvaluationMetrics;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import dev.hone.tasks.metrics.ConfusionMatrix;
import dev.hone.tasks.metrics.LearnedThreshold;
import dev.hone.tasks.metrics.MultiLabelMetrics;
import dev.hone.tasks.metrics.RankingMetrics;
import dev.hone.tasks.metrics.ReliabilityDiagram;
import dev.hone.tasks.metrics.TemperatureScaling;
import dev.hone.tasks.metrics.ThresholdSearch;
import dev.hone.tasks.metrics.ThresholdTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test evaluation of a trained model, with what binary and multi-label learn after training on
 * validation: a temperature (binary, kept only if it lowers validation NLL; Guo et al. 2017,
 * arXiv:1706.04599) and decision thresholds (per class for multi-label) for the threshold target.
 *
 * @param evaluation the test metrics, {@code evaluation.json}
 * @param decisions the temperature and threshold decisions, for the record
 * @param thresholds the decision thresholds to save with the model: one (binary) or K (multi-label); empty
 *     for single-label (the arg-max decides)
 * @param temperature the logit temperature to save with the model (1 when none helped)
 */
record TaskEvaluation(Evaluation evaluation, List<Decision<?>> decisions, double[] thresholds, double temperature) {

    static TaskEvaluation of(Task task, String thresholdMetric, Predictions validation, Predictions test, ImageSet testSet,
            String testName) {
        ThresholdTarget target = thresholdMetric == null ? ThresholdTarget.maxF1() : ThresholdTarget.parse(thresholdMetric);
        if (task instanceof Binary b) {
            return binary(b, target, validation, test, testSet, testName);
        }
        if (task instanceof MultiLabel) {
            return multiLabel(target, validation, test, testSet, testName);
        }
        if (task instanceof dev.hone.tasks.Segmentation) {
            return new TaskEvaluation(SegmentationEvaluation.of(test, testSet, testName, validation), List.of(), new double[0], 1);
        }
        if (task instanceof dev.hone.tasks.Detection) {
            return new TaskEvaluation(DetectionEvaluation.of(test, testSet, testName, validation), List.of(), new double[0], 1);
        }
        return new TaskEvaluation(EvaluationMetrics.compute(testName, testSet, test.probabilities(), test.meanLoss(),
                Defaults.WORST_SHOWN), List.of(), new double[0], 1);
    }

    private static TaskEvaluation binary(Binary task, ThresholdTarget target, Predictions validation, Predictions test,
            ImageSet testSet, String testName) {
        int p = task.positive();
        List<Decision<?>> decisions = new ArrayList<>();
        float[] valLogits = logits(validation, p);
        boolean[] valTruth = truth(validation, p);
        double temperature = 1;
        if (valLogits.length > 0) {
            TemperatureScaling.Fit fit = TemperatureScaling.fit(valLogits, valTruth);
            boolean kept = fit.worthKeeping();
            temperature = kept ? fit.temperature() : 1;
            decisions.add(Decision.derived("temperature", temperature, "temperature scaling on validation", kept
                    ? String.format("T = %.3f lowers validation NLL from %.4f to %.4f; probabilities are sigmoid(logit / T)",
                            fit.temperature(), fit.nllBefore(), fit.nllAfter())
                    : String.format("the fitted T = %.3f did not lower validation NLL (%.4f), or hit a bound; kept at 1", fit.temperature(),
                            fit.nllBefore()),
                    Map.of("fitted", fit.temperature(), "nllBefore", fit.nllBefore(), "nllAfter", fit.nllAfter())));
        }
        float[] valScores = scaled(valLogits, temperature);
        LearnedThreshold learned = ThresholdSearch.learnToKeep(valScores, valTruth, target);
        decisions.add(Decision.derived("threshold", learned.threshold(), "threshold search on validation (" + target + ")",
                learned.reason(), Map.of("validationF1", learned.counts().f1(), "validationPrecision", learned.counts().precision(),
                        "validationRecall", learned.counts().recall())));
        Evaluation e = binaryTest(task, learned.threshold(), target.toString(), temperature, test, testSet, testName);
        return new TaskEvaluation(e, decisions, new double[] {learned.threshold()}, temperature);
    }

    /**
     * The test evaluation of a trained model at its saved thresholds ({@code hone evaluate}); binary
     * probabilities must already carry the model's temperature.
     */
    static Evaluation atSaved(Task task, double[] thresholds, Predictions test, ImageSet testSet, String testName) {
        if (task instanceof Binary b) {
            return binaryTest(b, thresholds.length == 1 ? thresholds[0] : 0.5, "saved", 1, test, testSet, testName);
        }
        if (task instanceof MultiLabel) {
            double[] t = thresholds.length == testSet.numClasses() ? thresholds : filled(testSet.numClasses(), 0.5);
            return multiLabelTest(t, "saved", test, testSet, testName);
        }
        if (task instanceof dev.hone.tasks.Segmentation) {
            return SegmentationEvaluation.of(test, testSet, testName);
        }
        if (task instanceof dev.hone.tasks.Detection) {
            return DetectionEvaluation.of(test, testSet, testName);
        }
        return EvaluationMetrics.compute(testName, testSet, test.probabilities(), test.meanLoss(), Defaults.WORST_SHOWN);
    }

    private static Evaluation binaryTest(Binary task, double threshold, String target, double temperature, Predictions test,
            ImageSet testSet, String testName) {
        int p = task.positive();
        float[] testScores = scaled(logits(test, p), temperature);
        boolean[] testTruth = truth(test, p);
        float[][] probabilities = new float[testScores.length][2];
        int[] predicted = new int[testScores.length]; // the model's decision: positive at or above its threshold
        for (int i = 0; i < testScores.length; i++) {
            probabilities[i][p] = testScores[i];
            probabilities[i][1 - p] = 1 - testScores[i];
            predicted[i] = testScores[i] >= threshold ? p : 1 - p;
        }
        // the loss of the probabilities reported, after the temperature; the plain cross-entropy before it is kept beside it
        Evaluation base = EvaluationMetrics.compute(testName, testSet, probabilities, predicted, crossEntropy(testScores, testTruth),
                Defaults.WORST_SHOWN);
        ConfusionMatrix atLearned = ConfusionMatrix.at(testScores, testTruth, threshold);
        ConfusionMatrix atHalf = ConfusionMatrix.at(testScores, testTruth, 0.5);
        ReliabilityDiagram reliability = ReliabilityDiagram.positiveClass(testScores, testTruth, ReliabilityDiagram.DEFAULT_BINS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("positiveClass", testSet.classNames().get(p));
        m.put("rocAuc", nullIfNaN(RankingMetrics.rocAuc(testScores, testTruth)));
        m.put("averagePrecision", nullIfNaN(RankingMetrics.averagePrecision(testScores, testTruth)));
        m.put("threshold", threshold);
        m.put("thresholdTarget", target);
        m.put("atThreshold", counts(atLearned));
        m.put("atHalf", counts(atHalf));
        m.put("temperature", temperature);
        m.put("lossBeforeTemperature", nullIfNaN(test.meanLoss()));
        m.put("ece", reliability.expectedCalibrationError());
        m.put("reliability", reliability.bins());
        m.put(TaskCurves.KEY, TaskCurves.binary(testSet.classNames().get(p), testScores, testTruth, threshold));
        return base.forTask("binary", m);
    }

    private static TaskEvaluation multiLabel(ThresholdTarget target, Predictions validation, Predictions test, ImageSet testSet,
            String testName) {
        boolean[][] valTruth = truth(validation.targets());
        List<LearnedThreshold> learned = ThresholdSearch.learnPerClassToKeep(validation.probabilities(), valTruth, target);
        double[] thresholds = ThresholdSearch.values(learned);
        List<String> names = testSet.classNames();
        long kept = learned.stream().filter(t -> t.outcome() == LearnedThreshold.Outcome.TOO_FEW_POSITIVES
                || t.outcome() == LearnedThreshold.Outcome.NO_POSITIVE).count();
        Map<String, Object> perClassThreshold = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            perClassThreshold.put(names.get(k), Map.of("threshold", thresholds[k], "why", learned.get(k).reason()));
        }
        Decision<String> decision = Decision.derived("thresholds", target.toString(), "per-class threshold search on validation",
                "each class's decision threshold maximises " + target + " on the validation images" + (kept == 0 ? ""
                        : String.format(java.util.Locale.ROOT, "; %d of %d classes have fewer than %d validation positives and"
                                + " keep the default 0.5", kept, names.size(), ThresholdSearch.MIN_POSITIVES)), perClassThreshold);
        return new TaskEvaluation(multiLabelTest(thresholds, target.toString(), test, testSet, testName), List.of(decision),
                thresholds, 1);
    }

    private static Evaluation multiLabelTest(double[] thresholds, String target, Predictions test, ImageSet testSet,
            String testName) {
        List<String> names = testSet.classNames();
        boolean[][] testTruth = truth(test.targets());
        MultiLabelMetrics metrics = MultiLabelMetrics.evaluate(test.probabilities(), testTruth, thresholds);
        MultiLabelMetrics atHalf = MultiLabelMetrics.evaluate(test.probabilities(), testTruth, filled(names.size(), 0.5));
        List<Evaluation.ClassMetrics> perClass = new ArrayList<>();
        List<Map<String, Object>> detail = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            MultiLabelMetrics.ClassMetrics c = metrics.classes().get(k);
            boolean support = c.support() > 0;
            // a class predicted though no test image shows it: precision and F1 0, as every prediction of it is wrong
            boolean scored = support || c.counts().falsePositives() > 0;
            perClass.add(new Evaluation.ClassMetrics(names.get(k), scored ? c.precision() : null, support ? c.recall() : null,
                    scored ? c.f1() : null, (int) c.support()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", names.get(k));
            row.put("averagePrecision", nullIfNaN(c.averagePrecision()));
            row.put("f1", scored ? c.f1() : null);
            row.put("threshold", c.threshold());
            row.put("support", c.support());
            detail.add(row);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mAP", nullIfNaN(metrics.meanAveragePrecision()));
        m.put("microF1", metrics.microF1());
        m.put("macroF1", metrics.macroF1());
        m.put("subsetAccuracy", metrics.subsetAccuracy());
        m.put("hammingLoss", metrics.hammingLoss());
        m.put("thresholdTarget", target);
        m.put("atHalf", Map.of("microF1", atHalf.microF1(), "macroF1", atHalf.macroF1(), "subsetAccuracy", atHalf.subsetAccuracy()));
        m.put("perClass", detail);
        m.put(TaskCurves.KEY, TaskCurves.multiLabel(names, test.probabilities(), testTruth, thresholds));
        return new Evaluation(testName, test.labels().length, metrics.subsetAccuracy(), test.meanLoss(), names, perClass,
                metrics.macroF1(), new int[0][0], worstSets(test, testSet, thresholds), null, null, "multi-label", m);
    }

    /**
     * The test images with the highest loss whose predicted label set is wrong, worst first, with their
     * true and predicted sets ({@code a+b}, or {@code none}); the confidence is the image's mean BCE.
     */
    private static List<Evaluation.Mistake> worstSets(Predictions test, ImageSet set, double[] thresholds) {
        int n = test.labels().length;
        double[] loss = new double[n];
        dev.hone.tasks.SigmoidLoss bce = dev.hone.tasks.SigmoidLoss.plain();
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] p = test.probabilities()[i];
            boolean same = true;
            for (int k = 0; k < p.length; k++) {
                loss[i] += bce.of(p[k], test.targets()[i][k], k) / p.length;
                same &= (p[k] >= thresholds[k]) == (test.targets()[i][k] > 0.5f);
            }
            if (!same) {
                wrong.add(i);
            }
        }
        wrong.sort((a, b) -> Double.compare(loss[b], loss[a]));
        List<Evaluation.Mistake> out = new ArrayList<>();
        for (int i : wrong.subList(0, Math.min(Defaults.WORST_SHOWN, wrong.size()))) {
            List<String> truth = new ArrayList<>();
            List<String> predicted = new ArrayList<>();
            for (int k = 0; k < thresholds.length; k++) {
                if (test.targets()[i][k] > 0.5f) {
                    truth.add(set.classNames().get(k));
                }
                if (test.probabilities()[i][k] >= thresholds[k]) {
                    predicted.add(set.classNames().get(k));
                }
            }
            out.add(new Evaluation.Mistake(i, set.source(i), truth.isEmpty() ? "none" : String.join("+", truth),
                    predicted.isEmpty() ? "none" : String.join("+", predicted), null, loss[i]));
        }
        return out;
    }

    private static Map<String, Object> counts(ConfusionMatrix c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", c.accuracy());
        m.put("precision", c.precision());
        m.put("recall", c.recall());
        m.put("f1", c.f1());
        m.put("confusion", Map.of("tp", c.truePositives(), "fp", c.falsePositives(), "fn", c.falseNegatives(),
                "tn", c.trueNegatives()));
        return m;
    }

    /** The positive class's logits, recovered from its probabilities. */
    private static float[] logits(Predictions p, int positive) {
        float[] out = new float[p.labels().length];
        for (int i = 0; i < out.length; i++) {
            double q = Math.min(Math.max(p.probabilities()[i][positive], 1e-7), 1 - 1e-7);
            out[i] = (float) Math.log(q / (1 - q));
        }
        return out;
    }

    /** Mean binary cross-entropy (negative log-likelihood, nats) of positive-class probabilities; NaN for no images. */
    static double crossEntropy(float[] scores, boolean[] truth) {
        dev.hone.tasks.SigmoidLoss bce = dev.hone.tasks.SigmoidLoss.plain();
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            sum += bce.of(scores[i], truth[i] ? 1 : 0, 0);
        }
        return scores.length == 0 ? Double.NaN : sum / scores.length;
    }

    private static float[] scaled(float[] logits, double temperature) {
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) TemperatureScaling.probability(logits[i], temperature);
        }
        return out;
    }

    private static boolean[] truth(Predictions p, int positive) {
        boolean[] out = new boolean[p.labels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.labels()[i] == positive;
        }
        return out;
    }

    /** Multi-hot targets (N, K) as booleans: above 0.5 is present. */
    static boolean[][] truth(float[][] targets) {
        boolean[][] out = new boolean[targets.length][];
        for (int i = 0; i < targets.length; i++) {
            out[i] = new boolean[targets[i].length];
            for (int k = 0; k < targets[i].length; k++) {
                out[i][k] = targets[i][k] > 0.5f;
            }
        }
        return out;
    }

    private static double[] filled(int n, double value) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
