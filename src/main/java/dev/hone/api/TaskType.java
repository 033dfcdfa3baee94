package dev.hone.api;

/**
 * The kind of vision problem a model is trained for. hone infers it from the data when not given:
 * detection for images with boxes, segmentation for images with masks, multi-label for a manifest of label sets, binary for two classes, else single-label.
 */
public enum TaskType {
    /** One class per image: a softmax over K classes, cross-entropy; learners maximise validation accuracy. */
    SINGLE_LABEL("single-label"),
    /** Two classes: one logit and a sigmoid for the positive class; learners maximise validation ROC-AUC. */
    BINARY("binary"),
    /** Any set of classes per image: one sigmoid per class; learners maximise validation mAP. */
    MULTI_LABEL("multi-label"),
    /** A class per pixel: a softmax over K classes per pixel, cross-entropy; learners maximise validation mIoU. */
    SEGMENTATION("segmentation"),
    /** Boxes of K classes: CenterNet's heatmaps, sizes and offsets; learners maximise validation mAP (COCO AP 0.50:0.95). */
    DETECTION("detection");

    private final String id;

    TaskType(String id) {
        this.id = id;
    }

    /** The name used in records, {@code hone-model.json} and the command line, e.g. {@code multi-label}. */
    public String id() {
        return id;
    }

    /**
     * The task of a name as written in records and on the command line.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static TaskType of(String id) {
        for (TaskType t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task " + id + "; one of single-label, binary, multi-label, segmentation, detection");
    }
}
