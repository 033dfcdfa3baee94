package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;
import java.util.List;
import java.util.Map;

/**
 * The task of a run: inferred from the data, or fixed with {@code --task} (and {@code --positive}).
 *
 * <p>Images with masks are segmentation; a manifest of label sets is multi-label; two classes are binary (one logit, a sigmoid), with
 * the rarer class positive unless the user names one; anything else is single-label. A
 * single-label set asked to train as multi-label becomes label sets of one.
 *
 * @param task the task to train
 * @param data the training data, as that task reads it
 * @param decision the {@code task} decision, with why
 */
record TaskChoice(Task task, ImageSet data, Decision<String> decision) {
    static final List<String> NAMES = List.of("single-label", "binary", "multi-label", "segmentation", "detection");

    /** The fix that points at segmentation data. */
    private static final String SEGMENTATION_DATA = "point --data at a folder with images/ and masks/ (a mask per image, same file"
            + " stem), or a CSV with the header image,mask";

    /**
     * @param source the data's name, for errors
     * @throws HoneException for an unknown task, a task the data cannot be, or an unknown positive class
     */
    static TaskChoice of(String requested, String positive, ImageSet data, String source) {
        if (requested != null && !NAMES.contains(requested)) {
            throw HoneException.of("unknown task '" + requested + "'", "--task " + requested, "use one of " + NAMES);
        }
        if (data.multiLabel() && ("binary".equals(requested) || "single-label".equals(requested))) {
            // label sets of exactly one class each train as one label per image; any other set is refused, named
            data = dev.hone.data.LabelKinds.as(data, false, source, "--task " + requested, "give every image exactly one label,"
                    + " or drop --task " + requested + " (label sets train as multi-label)");
        }
        if (positive != null && !(data.numClasses() == 2 && !data.multiLabel() && !"single-label".equals(requested)
                && !"multi-label".equals(requested))) {
            throw HoneException.of("--positive applies to binary tasks only, and this run's task is not binary (" + data.numClasses()
                    + " classes" + (data.multiLabel() ? ", label sets" : "") + (requested != null ? ", --task " + requested : "")
                    + ")", "--positive " + positive, data.numClasses() == 2 && !data.multiLabel() ? "drop --positive, or drop"
                    + " --task " + requested + " to train as binary" : "drop --positive, or train on two classes");
        }
        int k = data.numClasses();
        if (data.detection() || "detection".equals(requested)) {
            if (!data.detection()) {
                throw HoneException.of("--task detection needs boxes, and this data gives " + (data.segmentation() ? "masks"
                        : "one label per image"), source, "point --data at COCO JSON, a VOC folder (Annotations/, JPEGImages/) or a"
                        + " YOLO folder (images/, labels/)");
            }
            if (requested != null && !requested.equals("detection")) {
                throw HoneException.of("the data gives each image boxes, so it cannot train as " + requested, source,
                        "drop --task (it trains as detection), or " + ("segmentation".equals(requested) ? SEGMENTATION_DATA
                                : "give image-level labels (class folders or a path,label CSV)"));
            }
            Decision<String> d = decision(requested, "detection", "the annotations give each image boxes (possibly none) among " + k
                    + " classes; CenterNet heatmaps, sizes and offsets at stride 4, learners maximise validation mAP (COCO AP over IoU "
                    + "0.50:0.95); kept from the paper (arXiv:1904.07850): the loss and head constants in the evidence", k);
            return new TaskChoice(dev.hone.tasks.Detection.INSTANCE, data, new Decision<>(d.name(), d.value(), d.origin(), d.method(),
                    d.rationale(), dev.hone.tasks.Detection.paperConstants(k), d.cost()));
        }
        if (data.segmentation() || "segmentation".equals(requested)) {
            if (!data.segmentation()) {
                throw HoneException.of("--task segmentation needs masks, and this data gives one label per image", source,
                        SEGMENTATION_DATA);
            }
            if (requested != null && !requested.equals("segmentation")) {
                throw HoneException.of("the data gives each image a mask, so it cannot train as " + requested, source,
                        "drop --task (it trains as segmentation), or give image-level labels (class folders or a path,label CSV)");
            }
            return new TaskChoice(dev.hone.tasks.Segmentation.plain(), data, decision(requested, "segmentation",
                    "each image has a mask of class indices among " + k + " classes (pixels of the ignore index, --ignore-index, count for "
                    + "nothing); a softmax per pixel, "
                    + "learners maximise validation mIoU", k));
        }
        if (data.multiLabel()) {
            if (requested != null && !requested.equals("multi-label")) {
                throw HoneException.of("the data gives each image a set of labels, so it cannot train as " + requested, source,
                        "drop --task, or give a manifest with one label per image (path,label)");
            }
            return new TaskChoice(MultiLabel.plain(), data, decision(requested, "multi-label", "the manifest gives each image a "
                    + "set of labels (possibly empty) among " + k + " classes; one sigmoid per class, learners maximise "
                    + "validation mAP", k));
        }
        if ("multi-label".equals(requested)) {
            return new TaskChoice(MultiLabel.plain(), dev.hone.data.LabelKinds.setsOfOne(data), decision(requested, "multi-label",
                    "each image's one label read as a label set of one; learners maximise validation mAP", k));
        }
        if ("binary".equals(requested) && k != 2) {
            throw HoneException.of("--task binary needs exactly 2 classes, but the data has " + k + " " + data.classNames(), source,
                    "drop --task binary (it trains as single-label), or keep two class folders / labels");
        }
        if (k == 2 && !"single-label".equals(requested)) {
            int[] counts = data.classCounts();
            int index;
            String why;
            if (positive != null) {
                index = data.classNames().indexOf(positive);
                if (index < 0) {
                    throw HoneException.of("--positive names class '" + positive + "', which the data does not have",
                            source, "use one of " + data.classNames());
                }
                why = "the user's --positive";
            } else {
                index = counts[0] < counts[1] ? 0 : 1;
                why = counts[0] == counts[1] ? "the classes are equally frequent, so the second (" + data.classNames().get(1) + ")"
                        : "the rarer class (" + counts[index] + " of " + data.size() + " images)";
            }
            Decision<String> d = decision(requested, "binary", "two classes " + data.classNames() + ": one logit and a sigmoid; "
                    + "the positive class is '" + data.classNames().get(index) + "', " + why + "; learners maximise validation "
                    + "ROC-AUC", k);
            return new TaskChoice(Binary.of(index), data, new Decision<>(d.name(), d.value(), d.origin(), d.method(), d.rationale(),
                    Map.of("classes", k, "positive", data.classNames().get(index), "positiveIndex", index), d.cost()));
        }
        return new TaskChoice(SingleLabel.INSTANCE, data, decision(requested, "single-label", "every image has exactly one label"
                + " among " + k + " classes; learners maximise validation accuracy", k));
    }

    /**
     * The test {@code set} as the task reads it: a single-label set tested as multi-label becomes label sets of one, and
     * label sets of one class each, of data trained with {@code --task binary} or {@code single-label}, one label each.
     *
     * @throws HoneException for a set of labels that is not of one class, naming the images
     */
    ImageSet conform(ImageSet set) {
        return set == null ? null : dev.hone.data.LabelKinds.as(set, task instanceof MultiLabel, "the test set",
                "--task " + task.name());
    }

    private static Decision<String> decision(String requested, String task, String why, int classes) {
        Map<String, Object> evidence = Map.of("classes", classes);
        return requested != null ? new Decision<>("task", task, Origin.USER, "flag", "fixed by --task: " + why, evidence, null)
                : Decision.derived("task", task, "inferred from the data", why, evidence);
    }
}
