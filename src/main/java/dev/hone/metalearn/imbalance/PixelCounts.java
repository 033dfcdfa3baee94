package dev.hone.metalearn.imbalance;

import dev.hone.data.ImageSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A segmentation training split's counted pixels per class, and the class weights of median
 * frequency balancing that follow from them.
 *
 * <p>The rule is Eigen and Fergus 2015 ("Predicting Depth, Surface Normals and Semantic Labels with a
 * Common Multi-Scale Convolutional Architecture", arXiv:1411.4734), used by SegNet: {@code w_k =
 * median(f) / f_k} with {@code f_k} the share of counted pixels of class k, so a class at the median
 * frequency weighs 1, rarer classes more and the dominant background less. Weights are clipped to
 * [1/{@link #MAX_WEIGHT}, {@link #MAX_WEIGHT}]; a class with no pixel keeps weight 1.
 *
 * @param pixels counted pixels per class (the ignore index left out)
 * @param names the class names, for the record
 */
public record PixelCounts(long[] pixels, List<String> names) {
    /** The largest factor a class's pixels are weighted by, and the inverse of the smallest. */
    public static final float MAX_WEIGHT = 10f;

    public PixelCounts {
        pixels = pixels.clone();
        names = List.copyOf(names);
    }

    /** The counts of a segmentation set's masks. */
    public static PixelCounts of(ImageSet set) {
        long[] n = new long[set.numClasses()];
        for (byte b : set.masks()) {
            int v = b & 0xFF;
            if (v != ImageSet.IGNORE) {
                n[v]++;
            }
        }
        return new PixelCounts(n, set.classNames());
    }

    @Override
    public long[] pixels() {
        return pixels.clone();
    }

    public long counted() {
        long s = 0;
        for (long p : pixels) {
            s += p;
        }
        return s;
    }

    /** Median frequency balancing weights, clipped; 1 everywhere when nothing was counted. */
    public float[] weights() {
        long total = counted();
        float[] w = new float[pixels.length];
        java.util.Arrays.fill(w, 1f);
        double[] present = java.util.Arrays.stream(pixels).filter(p -> p > 0).mapToDouble(p -> (double) p / total).sorted().toArray();
        if (total == 0 || present.length == 0) {
            return w;
        }
        int m = present.length;
        double median = m % 2 == 1 ? present[m / 2] : (present[m / 2 - 1] + present[m / 2]) / 2;
        for (int k = 0; k < w.length; k++) {
            if (pixels[k] > 0) {
                w[k] = (float) Math.max(1 / MAX_WEIGHT, Math.min(MAX_WEIGHT, median / ((double) pixels[k] / total)));
            }
        }
        return w;
    }

    /** The class with the fewest counted pixels among those with any; -1 when none has any. */
    public int rarest() {
        int best = -1;
        for (int k = 0; k < pixels.length; k++) {
            if (pixels[k] > 0 && (best < 0 || pixels[k] < pixels[best])) {
                best = k;
            }
        }
        return best;
    }

    /** The share of counted pixels of class k. */
    public double share(int k) {
        long total = counted();
        return total == 0 ? 0 : (double) pixels[k] / total;
    }

    /** Pixel shares and weights by class name, for evidence. */
    public Map<String, Object> evidence() {
        Map<String, Object> shares = new LinkedHashMap<>();
        Map<String, Object> weights = new LinkedHashMap<>();
        float[] w = weights();
        for (int k = 0; k < pixels.length; k++) {
            shares.put(names.get(k), share(k));
            weights.put(names.get(k), (double) w[k]);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("countedPixels", counted());
        e.put("pixelShare", shares);
        e.put("classWeights", weights);
        e.put("maxWeight", (double) MAX_WEIGHT);
        return e;
    }
}
