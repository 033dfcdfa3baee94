package dev.hone.train;

import dev.hone.models.UserBlock;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the user asked for. A null field means "let hone decide"; a set one becomes a USER decision.
 *
 * @param data a named dataset or a path (IDX folder, image folder, CSV manifest)
 * @param test an optional separate test set
 * @param model an architecture name or a TorchScript file
 * @param regularization "auto" (search, the default when null) or "none"
 * @param policy a saved {@code policy.json} to replay instead of searching
 * @param keepDuplicates keep validation and test images that are exact copies of training images
 * @param task {@code single-label}, {@code binary}, {@code multi-label}, {@code segmentation} or {@code detection}; null
 *     to infer it from the data
 * @param positive the positive class of a binary task; null for the rarer class
 * @param labelDelimiter the delimiter between the class names of a label set; null to detect it
 * @param thresholdMetric what the learned decision thresholds maximise, e.g. {@code f1} or {@code precision>=0.9};
 *     null for F1
 * @param imbalance the class-imbalance handling: {@code none}, {@code positive-weight} or {@code focal} (sigmoid tasks),
 *     {@code class-weight} or {@code dice} (segmentation); null or {@code auto} to learn it
 * @param ignoreIndex the mask value of segmentation pixels that count for no class; null for 255
 * @param images the folder holding the images a COCO {@code data} file names; null for the JSON file's own folder
 * @param unlabeled a folder or CSV of unlabeled images for semi-supervised learning; null for none
 * @param ssl the semi-supervised method: {@code auto} (the learner chooses; the default when null),
 *     {@code noisy-student}, {@code fixmatch}, {@code simclr} or {@code barlow-twins}
 * @param block a user's network (a DJL {@code BlockFactory} and its input shape) to train instead of {@code model};
 *     null to use {@code model}
 * @param progressiveResizing {@code auto} (hone decides; the default when null) or {@code off}
 */
public record TrainOptions(String data, String test, String model, Path out, Integer epochs, Long seed,
        boolean resume, Integer batchSize, String optimizer, Double learningRate, Double weightDecay, Integer width,
        Boolean smallStem, Double validationFraction, String budget, String schedule, String regularization, Path policy,
        String command, boolean keepDuplicates, String task, String positive, String labelDelimiter,
        String thresholdMetric, String imbalance, Integer ignoreIndex, Path images, String unlabeled, String ssl, UserBlock block,
        String progressiveResizing) {

    /** The ignore index to read masks with. */
    public int ignoreIndexOrDefault() {
        return ignoreIndex == null ? 255 : ignoreIndex;
    }

    /** The choices that change the result, for {@link RunIdentity}. */
    Map<String, String> identityFields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("model", block == null ? model : "block " + block.factory().getClass().getName() + " " + block.inputChw());
        f.put("epochs", String.valueOf(epochs));
        f.put("seed", String.valueOf(seed));
        f.put("batch-size", String.valueOf(batchSize));
        f.put("optimizer", String.valueOf(optimizer));
        f.put("lr", String.valueOf(learningRate));
        f.put("weight-decay", String.valueOf(weightDecay));
        f.put("width", String.valueOf(width));
        f.put("small-stem", String.valueOf(smallStem));
        f.put("val-fraction", String.valueOf(validationFraction));
        f.put("budget", String.valueOf(budget)); // RunIdentity keeps it as seconds: --budget 1m and 60s are one run
        f.put("schedule", String.valueOf(schedule));
        f.put("regularization", String.valueOf(regularization));
        f.put("policy", String.valueOf(policy));
        if (keepDuplicates) {
            f.put("keep-duplicates", "true"); // only when set, so runs started before the flag still resume
        }
        // likewise: the task options join the identity only when given
        putIfSet(f, "task", task);
        putIfSet(f, "positive", positive);
        putIfSet(f, "label-delimiter", labelDelimiter);
        putIfSet(f, "threshold-metric", thresholdMetric);
        putIfSet(f, "imbalance", "auto".equals(imbalance) ? null : imbalance);
        putIfSet(f, "ignore-index", ignoreIndex == null ? null : String.valueOf(ignoreIndex));
        putIfSet(f, "ssl", "auto".equals(ssl) ? null : ssl);
        putIfSet(f, "progressive-resizing", "auto".equals(progressiveResizing) ? null : progressiveResizing);
        return f;
    }

    private static void putIfSet(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
