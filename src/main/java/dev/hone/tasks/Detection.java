package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.hone.data.ImageSet;
import dev.hone.models.CenterNetHead;

/**
 * Object detection with CenterNet (Zhou et al. 2019, "Objects as Points", arXiv:1904.07850): each
 * object is the peak of its class's heatmap at its box centre, with the box size and the centre's
 * sub-cell offset regressed there.
 *
 * <p>Labels are boxes (N, B, 6), rows {@code class, x1, y1, x2, y2, ignore} in input pixels
 * ({@link ImageSet#withBoxes}), class -1 for padding; they are also the loop's targets, so that
 * geometric augmentation moves them ({@link #boxTargets}) before {@link CenterNetLoss} turns them into
 * heatmaps. The head gives (N, K + 4, H/4, W/4) ({@link CenterNetHead}); {@link #probabilities} puts
 * the heatmaps through a sigmoid; {@link Predictions} keep each image's top
 * {@value CenterNetDecoder#MAX_DETECTIONS} decoded detections (rows {@code class, score, x1, y1, x2,
 * y2}) and its true boxes. Learners maximise validation mAP, COCO's AP averaged over IoU 0.50:0.95.
 *
 * <p>Label smoothing, MixUp and CutMix do not apply to boxes ({@link #softLabels}), nor do test-time
 * flips ({@link #testTimeFlips}).
 */
public record Detection() implements Task {
    /** The one detection task: its loss has the paper's fixed constants. */
    public static final Detection INSTANCE = new Detection();

    private static final CenterNetLoss LOSS = new CenterNetLoss();

    @Override
    public String name() {
        return "detection";
    }

    /**
     * What detection keeps from the CenterNet paper rather than learning, for the record: the output stride,
     * the heads' hidden width, the heatmap prior, the focal exponents, the loss weights, the Gaussian's IoU,
     * and the detections kept per image.
     */
    public static java.util.Map<String, Object> paperConstants(int classes) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("classes", classes);
        m.put("outputStride", CenterNetHead.STRIDE);
        m.put("headHiddenChannels", CenterNetHead.HIDDEN);
        m.put("heatmapPriorLogit", CenterNetHead.PRIOR_LOGIT);
        m.put("focalAlpha", CenterNetLoss.ALPHA);
        m.put("focalBeta", CenterNetLoss.BETA);
        m.put("sizeLossWeight", CenterNetLoss.SIZE_WEIGHT);
        m.put("offsetLossWeight", CenterNetLoss.OFFSET_WEIGHT);
        m.put("gaussianMinOverlap", CenterNetTargets.MIN_OVERLAP);
        m.put("detectionsPerImage", CenterNetDecoder.MAX_DETECTIONS);
        return m;
    }

    /** K heatmaps, then width, height, offset x and offset y. */
    @Override
    public int outputs(int classes) {
        return classes + CenterNetHead.BOX_CHANNELS;
    }

    @Override
    public Loss loss() {
        return LOSS;
    }

    /** The boxes themselves, float32 (N, B, 6): the loss makes the heatmaps after augmentation moved them. */
    @Override
    public NDArray targets(NDArray labels, int classes) {
        return labels.toType(DataType.FLOAT32, false);
    }

    /** Heatmap probabilities (sigmoid), then the raw sizes and offsets: (N, K + 4, h, w). */
    @Override
    public NDArray probabilities(NDArray logits) {
        int k = (int) logits.getShape().get(1) - CenterNetHead.BOX_CHANNELS;
        NDArray heat = logits.get(new NDIndex(":, :{}", k)).getNDArrayInternal().sigmoid();
        return heat.concat(logits.get(new NDIndex(":, {}:", k)), 1);
    }

    @Override
    public String trainingMeasure() {
        return "centre recall";
    }

    /**
     * The boxes the step trained on: the batch's, as augmentation moved them and progressive resizing scaled them, so that
     * the centre recall is of the objects where the step's images show them.
     *
     * @param labels the batch's boxes (N, B, 6) as stored, unused
     * @param targets the step's boxes (N, B, 6), float32, in the pixels of the images it trained on
     */
    @Override
    public NDArray trainingLabels(NDArray labels, NDArray targets) {
        return targets;
    }

    /**
     * Centre recall: of the batch's object centres (boxes neither ignored nor padding, as the loss splats
     * them), those whose class heatmap scores at least {@link CenterNetDecoder#MIN_SCORE} at their centre
     * cell, the score from which a detection is shown. Summed over an epoch, the fraction of all its
     * objects found. Two objects of one class sharing a centre cell make one centre.
     *
     * @param logits (N, K + 4, h, w), heatmap logits first
     * @param labels boxes (N, B, 6), rows {@code class, x1, y1, x2, y2, ignore} in input pixels
     */
    @Override
    public Tally tally(NDArray logits, NDArray labels) {
        int k = (int) logits.getShape().get(1) - CenterNetHead.BOX_CHANNELS;
        CenterNetTargets t = CenterNetLoss.encode(labels, logits, k);
        // sigmoid(logit) >= MIN_SCORE exactly when logit >= log(MIN_SCORE / (1 - MIN_SCORE)): no sigmoid over the heatmap per step
        float minLogit = (float) Math.log(CenterNetDecoder.MIN_SCORE / (1 - CenterNetDecoder.MIN_SCORE));
        try (NDArray heat = logits.get(new NDIndex(":, :{}", k)); NDArray centres = t.heatmap().eq(1f);
                NDArray hits = heat.gte(minLogit).logicalAnd(centres);
                NDArray found = hits.sum(); NDArray counted = centres.sum()) {
            return new Tally(found.toType(DataType.INT64, false).getLong(), counted.toType(DataType.INT64, false).getLong());
        } finally {
            t.heatmap().close();
            t.regression().close();
            t.centres().close();
        }
    }

    @Override
    public boolean independentOutputs() {
        return true;
    }

    @Override
    public boolean boxTargets() {
        return true;
    }

    @Override
    public boolean softLabels() {
        return false;
    }

    @Override
    public boolean testTimeFlips() {
        return false;
    }

    /** Boxes take no smoothing: the targets come back as they are ({@link #softLabels} keeps it off). */
    @Override
    public NDArray smooth(NDArray targets, float epsilon) {
        return targets;
    }

    @Override
    public String validationMetric() {
        return "mAP";
    }

    /** Not used: detection's losses come from {@link #imageLosses}, on the device. */
    @Override
    public double imageLoss(float[] probabilities, float[] target) {
        throw new UnsupportedOperationException("detection keeps decoded boxes, not maps; use imageLosses");
    }

    /** Each image's CenterNet loss, divided by its own object count (at least 1). */
    @Override
    public double[] imageLosses(NDArray probabilities, NDArray targets) {
        int k = (int) probabilities.getShape().get(1) - CenterNetHead.BOX_CHANNELS;
        CenterNetTargets t = CenterNetLoss.encode(targets, probabilities, k);
        float[] sums = CenterNetLoss.perImage(probabilities.get(new NDIndex(":, :{}", k)),
                probabilities.get(new NDIndex(":, {}:", k)), t).toFloatArray();
        double[] out = new double[sums.length];
        for (int i = 0; i < sums.length; i++) {
            out[i] = sums[i] / Math.max(1, t.objects()[i]);
        }
        return out;
    }

    /** The top detections (N, D, 6), rows {@code class, score, x1, y1, x2, y2} in input pixels. */
    @Override
    public NDArray kept(NDArray probabilities) {
        return CenterNetDecoder.decode(probabilities, CenterNetDecoder.MAX_DETECTIONS);
    }

    /** The true boxes (N, B, 6), as the labels hold them. */
    @Override
    public NDArray keptTargets(NDArray targets) {
        return targets;
    }

    /** COCO's AP averaged over IoU 0.50:0.95 ({@link #metrics}). */
    @Override
    public double score(Predictions p) {
        return metrics(p, classes(p)).ap();
    }

    /** The COCO metrics of a set's predictions over {@code classes} classes. */
    public static dev.hone.tasks.metrics.DetectionMetrics metrics(Predictions p, int classes) {
        return dev.hone.tasks.metrics.DetectionMetrics.evaluate(p.targets(), p.probabilities(), classes);
    }

    /** The smallest class count that holds every class of the kept detections and truths. */
    private static int classes(Predictions p) {
        int k = 1;
        for (int i = 0; i < p.targets().length; i++) {
            for (int r = 0; r < p.probabilities()[i].length; r += CenterNetDecoder.FIELDS) {
                k = Math.max(k, (int) p.probabilities()[i][r] + 1);
            }
            for (int r = 0; r < p.targets()[i].length; r += ImageSet.BOX_FIELDS) {
                k = Math.max(k, (int) p.targets()[i][r] + 1);
            }
        }
        return k;
    }

    @Override
    public String toString() {
        return name();
    }
}
