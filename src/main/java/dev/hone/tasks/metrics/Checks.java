package dev.hone.tasks.metrics;

/** Argument checks shared by the metrics; each message says which argument, where, and how to fix it. */
final class Checks {
    private Checks() {}

    /** Scores and labels of one class: same length, no NaN or infinite score. */
    static void scores(float[] scores, boolean[] positives) {
        if (scores == null || positives == null) {
            throw new IllegalArgumentException("scores and positives must not be null");
        }
        if (scores.length != positives.length) {
            throw new IllegalArgumentException("scores has " + scores.length + " entries but positives has "
                    + positives.length + "; pass one score and one label per sample");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is " + scores[i]
                        + "; metrics need finite scores: check the model output for NaN before evaluating");
            }
        }
    }

    /** An N x K score matrix and its N x K truth: rectangular, same shape, K >= 1, finite scores. */
    static int matrix(float[][] scores, boolean[][] truth) {
        if (scores == null || truth == null) {
            throw new IllegalArgumentException("scores and truth must not be null");
        }
        if (scores.length != truth.length) {
            throw new IllegalArgumentException("scores has " + scores.length + " rows but truth has "
                    + truth.length + "; pass one row per sample");
        }
        int k = scores.length == 0 ? 0 : scores[0].length;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != k || truth[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has " + scores[i].length + " scores and "
                        + truth[i].length + " labels, row 0 has " + k + "; every row needs one entry per class");
            }
            for (int c = 0; c < k; c++) {
                if (!Float.isFinite(scores[i][c])) {
                    throw new IllegalArgumentException("score at row " + i + ", class " + c + " is " + scores[i][c]
                            + "; metrics need finite scores: check the model output for NaN before evaluating");
                }
            }
        }
        return k;
    }

    static float[] column(float[][] scores, int c) {
        float[] out = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i][c];
        }
        return out;
    }

    static boolean[] column(boolean[][] truth, int c) {
        boolean[] out = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            out[i] = truth[i][c];
        }
        return out;
    }

    static void probabilities(float[] probabilities) {
        for (int i = 0; i < probabilities.length; i++) {
            if (!(probabilities[i] >= 0f && probabilities[i] <= 1f)) {
                throw new IllegalArgumentException("probability " + i + " is " + probabilities[i]
                        + "; calibration needs probabilities in [0, 1]: apply the sigmoid to the logits first");
            }
        }
    }
}
