package dev.hone.loop;

/**
 * Class probabilities for every image of an evaluated set, with the mean cross-entropy and accuracy.
 *
 * @param probabilities one row of class probabilities per image, in the set's order
 */
public record Predictions(float[][] probabilities, int[] labels, double meanLoss, double accuracy) {

    public int predicted(int i) {
        return argMax(probabilities[i]);
    }

    /** The index of the largest value; ties go to the lower index. */
    public static int argMax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
