package dev.hone.ssl;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FlexMatch's curriculum pseudo labeling (CPL): one FixMatch threshold per class, lowered for the classes the model
 * is still learning, so that their unlabeled images are not left out while the easy classes pass.
 *
 * <p>From Zhang et al. 2021, "FlexMatch: Boosting Semi-Supervised Learning with Curriculum Pseudo Labeling",
 * arXiv:2110.08263, section 3.2, equations 6 to 11. Each unlabeled image keeps the class of its latest weak-view prediction
 * at or above tau, or none. With {@code sigma(c)} the images kept as class c and {@code unused} those kept as none:
 *
 * <pre>{@code
 * beta(c) = sigma(c) / max(max_c' sigma(c'), unused)     (equation 11: the threshold warmup)
 * T(c)    = M(beta(c)) * tau,   M(x) = x / (2 - x)        (equation 7, with the paper's convex mapping)
 * }</pre>
 *
 * An image counts in the unlabeled loss when its largest weak-view probability reaches the threshold of its predicted
 * class. Before any image is kept, every threshold is 0, as in the paper's code (TorchSSL), so every prediction counts;
 * the warmup keeps thresholds low while most images are unused. The state is one class index per unlabeled image, held
 * on the heap (4 bytes an image).
 */
public final class CurriculumThresholds {
    private static final int NONE = -1;

    private final int[] kept;
    private final int[] sigma;
    private final float tau;
    private int unused;

    /**
     * @param images the unlabeled images, at least 1
     * @param classes the classes, at least 2
     * @param tau the paper's fixed threshold, the highest a class's threshold can be: in (0, 1]
     * @throws IllegalArgumentException for fewer images or classes, or tau outside (0, 1]
     */
    public CurriculumThresholds(int images, int classes, float tau) {
        if (images < 1 || classes < 2 || !(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("curriculum thresholds need unlabeled images, at least 2 classes and tau in (0, 1]:"
                    + " " + images + " images, " + classes + " classes, tau " + tau);
        }
        this.kept = new int[images];
        Arrays.fill(kept, NONE);
        this.sigma = new int[classes];
        this.tau = tau;
        this.unused = images;
    }

    /** The paper's convex mapping M(x) = x / (2 - x), for x in [0, 1]: M(0) = 0, M(1) = 1. */
    public static double mapping(double x) {
        return x / (2 - x);
    }

    /** Each class's threshold T(c), in [0, tau]. */
    public float[] thresholds() {
        int denominator = unused;
        for (int s : sigma) {
            denominator = Math.max(denominator, s);
        }
        float[] t = new float[sigma.length];
        for (int c = 0; c < t.length; c++) {
            t[c] = (float) (mapping((double) sigma[c] / denominator) * tau);
        }
        return t;
    }

    /**
     * The weak-view predictions of a batch: each image whose confidence is at least tau keeps its predicted class (an
     * image below tau keeps what it had, as in the paper's code).
     *
     * @param images the images' indices in the unlabeled set
     * @param classes their predicted classes
     * @param confidences their largest softmax probabilities
     * @throws IllegalArgumentException when the arrays' lengths differ
     * @throws IndexOutOfBoundsException for an image or class outside the set
     */
    public void update(int[] images, int[] classes, float[] confidences) {
        if (images.length != classes.length || images.length != confidences.length) {
            throw new IllegalArgumentException("one class and confidence per image: " + images.length + " images, "
                    + classes.length + " classes, " + confidences.length + " confidences");
        }
        for (int i = 0; i < images.length; i++) {
            if (confidences[i] < tau) {
                continue;
            }
            int before = kept[images[i]];
            int now = classes[i];
            sigma[now]++; // checked first: a bad class leaves the counts as they were
            if (before == NONE) {
                unused--;
            } else {
                sigma[before]--;
            }
            kept[images[i]] = now;
        }
    }

    /** The counts and thresholds for the record: {@code tau}, {@code unused}, {@code kept} (per class), {@code thresholds}. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tau", Math.round(tau * 1000) / 1000.0);
        m.put("unused", unused);
        m.put("kept", sigma.clone());
        float[] t = thresholds();
        double[] rounded = new double[t.length];
        for (int c = 0; c < t.length; c++) {
            rounded[c] = Math.round(t[c] * 1000) / 1000.0;
        }
        m.put("thresholds", rounded);
        return m;
    }
}
