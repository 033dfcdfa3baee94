package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.tasks.Segmentation;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;

/** The flags that mean nothing, or something wrong, for the task: refused before any work, with the fix. */
final class TaskFlags {
    private TaskFlags() {}

    /**
     * @throws HoneException for {@code --ignore-index} naming one of the classes, {@code --ignore-index} on a task
     *     without masks, {@code --images} on a task without boxes, or a classification-only flag
     *     ({@code --threshold-metric}, {@code --label-delimiter}) on masks or boxes, or on one softmax over the classes
     *     (a single-label task has no decision thresholds, and no label sets to split)
     */
    static void validate(TrainOptions o, Task task, ImageSet train) {
        boolean masks = task instanceof Segmentation;
        boolean boxes = task instanceof dev.hone.tasks.Detection;
        if (task instanceof SingleLabel) {
            if (o.thresholdMetric() != null) {
                throw HoneException.of("--threshold-metric sets the decision thresholds of sigmoid outputs (binary, multi-label),"
                        + " and this run's task is single-label: one softmax over the " + train.numClasses() + " classes, whose"
                        + " prediction is the most probable class", "--threshold-metric " + o.thresholdMetric(),
                        train.numClasses() == 2 && o.task() != null
                                ? "drop --task " + o.task() + ": two classes then train the binary task, one sigmoid for the"
                                        + " positive class, whose threshold --threshold-metric sets"
                                : "drop --threshold-metric, or add --task multi-label to train one sigmoid per class");
            }
            if (o.labelDelimiter() != null) {
                throw HoneException.of("--label-delimiter splits label sets, and every image of these data has one label, so the"
                        + " task is single-label", "--label-delimiter " + o.labelDelimiter(),
                        "drop --label-delimiter, or add --task multi-label to train one sigmoid per class on these labels");
            }
        }
        if (task instanceof dev.hone.tasks.Binary && o.labelDelimiter() != null
                && !o.data().strip().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            throw HoneException.of("--label-delimiter splits the label cells of a CSV manifest, and " + o.data().strip()
                    + " is not one: each image of these data has one label", "--label-delimiter " + o.labelDelimiter(),
                    "drop --label-delimiter");
        }
        if (o.images() != null && !boxes) {
            throw HoneException.of("--images names the folder of a COCO file's images, and this run's task is " + task.name(),
                    "--images " + o.images(), "drop --images");
        }
        if (boxes) {
            refuseLabelFlags(o, "detection boxes");
        }
        if (o.ignoreIndex() != null && !masks) {
            throw HoneException.of("--ignore-index applies to segmentation masks, and this run's task is " + task.name(),
                    "--ignore-index " + o.ignoreIndex(), "drop --ignore-index");
        }
        if (!masks) {
            return;
        }
        if (o.ignoreIndex() != null && o.ignoreIndex() != ImageSet.IGNORE && o.ignoreIndex() < train.numClasses()
                && !train.classNames().get(o.ignoreIndex()).equals("class " + o.ignoreIndex())) {
            throw HoneException.of("--ignore-index " + o.ignoreIndex() + " is the index of class '" + train.classNames().get(o.ignoreIndex())
                    + "', so its pixels would count for nothing", "--ignore-index " + o.ignoreIndex(),
                    "give the mask value that marks pixels to ignore (not a class), or drop the flag (255 is ignored by default)");
        }
        refuseLabelFlags(o, "segmentation masks");
    }

    private static void refuseLabelFlags(TrainOptions o, String data) {
        for (String[] flag : new String[][] {{"--threshold-metric", o.thresholdMetric()}, {"--label-delimiter", o.labelDelimiter()}}) {
            if (flag[1] != null) {
                throw HoneException.of(flag[0] + " applies to image-level labels (binary, multi-label), and these data are "
                        + data, flag[0] + " " + flag[1], "drop " + flag[0]);
            }
        }
    }
}
