package dev.hone.train;

import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code segmentation-loss} decision: per-pixel softmax cross-entropy over the counted pixels, by
 * rule, with the training split's pixel share per class as its evidence.
 *
 * <p>Plain cross-entropy is PyTorch's and mmsegmentation's default for semantic segmentation. Class
 * weights and a Dice term ({@link dev.hone.tasks.PixelCrossEntropy}) are the alternatives a learner
 * should compare on validation mIoU; no trials compare them yet, so this is a convention and the
 * decision says DEFAULT. The rarest class's share is recorded, as it is what would make them worth
 * trying (a foreground of a few percent of the pixels).
 */
final class SegmentationLossRule {
    private SegmentationLossRule() {}

    static Decision<String> decide(ImageSet train) {
        int k = train.numClasses();
        long[] pixels = new long[k];
        long counted = 0;
        for (byte b : train.masks()) {
            int v = b & 0xFF;
            if (v != ImageSet.IGNORE) {
                pixels[v]++;
                counted++;
            }
        }
        Map<String, Object> shares = new LinkedHashMap<>();
        int rarest = 0;
        for (int c = 0; c < k; c++) {
            shares.put(train.classNames().get(c), counted == 0 ? 0.0 : (double) pixels[c] / counted);
            if (pixels[c] < pixels[rarest]) {
                rarest = c;
            }
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("pixelShare", shares);
        evidence.put("countedPixels", counted);
        evidence.put("ignoredPixels", (long) train.masks().length - counted);
        return new Decision<>("segmentation-loss", "cross-entropy", dev.hone.record.Origin.DEFAULT, "rule", String.format(Locale.ROOT,
                "per-pixel softmax cross-entropy, mean over the counted pixels (index %d ignored), as PyTorch's cross_entropy; "
                + "the rarest class, '%s', covers %.2f%% of the training pixels; class weights and a Dice term are not "
                + "compared by trials yet", ImageSet.IGNORE, train.classNames().get(rarest),
                counted == 0 ? 0.0 : 100.0 * pixels[rarest] / counted), evidence, null);
    }
}
