package dev.hone.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelFactory;
import dev.hone.regularize.TestTimeAugmentation;
import dev.hone.report.Evaluation;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import dev.hone.tasks.metrics.TemperatureScaling;
import java.nio.file.Path;
import java.util.List;

/** A finished run's model, loaded for {@code evaluate} and {@code predict}. */
public final class TrainedModel implements AutoCloseable {
    private final ModelDescriptor descriptor;
    private final Model model;

    private TrainedModel(ModelDescriptor descriptor, Model model) {
        this.descriptor = descriptor;
        this.model = model;
    }

    /** @param dir a run's output folder or its {@code model/} folder */
    public static TrainedModel load(Path dir) {
        ModelDescriptor d = ModelDescriptor.read(dir);
        Model m = ModelFactory.load(d.model(), d.inputShape(), d.toTask().outputs(d.classes().size()),
                ModelDescriptor.modelFolder(dir));
        return new TrainedModel(d, m);
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** The DJL model: the network with its trained weights. Closed with this object. */
    public Model model() {
        return model;
    }

    /**
     * Class probabilities for every image of {@code set}, whose labels are re-indexed to the model's
     * classes by name (so a test folder with a subset of the classes still lines up).
     */
    public Predictions predict(ImageSet set) {
        ImageSet aligned = alignClasses(set);
        Task task = descriptor.toTask();
        if (task instanceof MultiLabel && !aligned.multiLabel()) {
            // images to predict carry no label sets: empty ones keep the task's shapes
            aligned = aligned.withMultiHot(new byte[aligned.size() * aligned.numClasses()]);
        }
        if (task instanceof dev.hone.tasks.Segmentation && !aligned.segmentation()) {
            // images to predict carry no masks: all-ignored ones keep the task's shapes and count for no loss
            byte[] ignored = new byte[aligned.size() * aligned.height() * aligned.width()];
            java.util.Arrays.fill(ignored, (byte) ImageSet.IGNORE);
            aligned = aligned.withMasks(ignored);
        }
        if (task instanceof dev.hone.tasks.Detection && !aligned.detection()) {
            // images to predict carry no boxes: none keeps the task's shapes (one padding row each)
            aligned = aligned.withBoxes(new float[aligned.size()][0]);
        }
        try (ResidentDataset data = new ResidentDataset(aligned, descriptor.normalization(), Engine.getInstance().defaultDevice(),
                task)) {
            Predictions p = descriptor.testTimeFlips() ? TestTimeAugmentation.predict(model.getBlock(), data, 256)
                    : Evaluator.predict(model.getBlock(), data, 256);
            return calibrated(p, task);
        }
    }

    /**
     * The model's test metrics on {@code set}, at its saved decision thresholds: accuracy and per-class
     * metrics for single-label, plus ROC-AUC, F1 and calibration for binary, mAP and F1 for multi-label.
     *
     * @param name the data's name, for the evaluation
     */
    public Evaluation evaluate(ImageSet set, String name) {
        ImageSet aligned = alignClasses(set);
        return TaskEvaluation.atSaved(descriptor.toTask(), descriptor.decisionThresholds(), predict(aligned), aligned, name);
    }

    /** A binary model's probabilities with its learned temperature applied (sigmoid(logit / T)). */
    private Predictions calibrated(Predictions p, Task task) {
        Double t = descriptor.temperature();
        if (!(task instanceof Binary b) || t == null || t == 1) {
            return p;
        }
        float[][] rows = new float[p.probabilities().length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = calibrated(p.probabilities()[i], b.positive(), t);
        }
        Predictions scaled = new Predictions(rows, p.labels(), p.targets(), p.meanLoss(), Double.NaN);
        return scaled.withScore(rows.length == 0 ? Double.NaN : task.score(scaled));
    }

    /**
     * A binary model's row of probabilities (1 - p, p in class order) with temperature {@code t} applied to
     * the positive class's logit: sigmoid(logit(p) / t), p clamped to [1e-7, 1 - 1e-7] first.
     */
    public static float[] calibrated(float[] row, int positive, double t) {
        double q = Math.min(Math.max(row[positive], 1e-7), 1 - 1e-7);
        float s = (float) TemperatureScaling.probability(Math.log(q / (1 - q)), t);
        float[] out = new float[2];
        out[positive] = s;
        out[1 - positive] = 1 - s;
        return out;
    }

    /**
     * Each of {@code set}'s classes' index among the model's {@code classes}, by name; masks without a class-name file
     * (classes numbered {@code class 0}, {@code class 1}, ..., or background and foreground for 0/255 masks) hold the
     * model's class indices themselves.
     *
     * @throws HoneException naming a class the model does not know, and the fix
     */
    static int[] classMap(ImageSet set, List<String> classes) {
        // the names a mask reader gives without a class-name file: numbered, or background and foreground for 0/255 masks
        boolean defaultNames = set.segmentation() && (set.classNames().equals(List.of("background", "foreground"))
                || java.util.stream.IntStream.range(0, set.numClasses()).allMatch(c -> set.classNames().get(c).equals("class " + c)));
        if (set.segmentation() && set.classNames().equals(List.of("background", "foreground")) && classes.size() != 2) {
            throw new HoneException("the masks hold only 0 and 255, read as background and foreground, but the model has "
                    + classes.size() + " classes " + classes + ": its masks' 255 marks pixels to ignore, and value 1 is '"
                    + classes.get(1) + "'. Fix: evaluate on masks of the model's classes, values 0 to " + (classes.size() - 1)
                    + "; if these masks' 255 marks pixels to ignore, put the model's class-name file (classes.txt, one name"
                    + " per line in that order) beside them");
        }
        if (defaultNames && set.numClasses() > classes.size()) {
            String example = firstWith(set, set.numClasses() - 1);
            throw new HoneException("the masks hold class values up to " + (set.numClasses() - 1) + ", more than the model's "
                    + classes.size() + " classes " + classes + (example == null ? "" : ", e.g. the mask paired with " + example)
                    + ". Fix: evaluate on masks of the model's classes, values 0 to " + (classes.size() - 1) + " (or the ignore index)");
        }
        int[] map = new int[set.numClasses()];
        for (int c = 0; c < map.length; c++) {
            map[c] = defaultNames ? c : indexOfComposed(classes, set.classNames().get(c));
            if (map[c] < 0) {
                String example = firstWith(set, c);
                String meant = dev.hone.data.ClassNameTypos.closest(set.classNames().get(c), classes);
                throw new HoneException("class '" + set.classNames().get(c) + "' of the data is not one the model knows "
                        + classes + (example == null ? "" : ", e.g. " + (set.segmentation() ? "the mask paired with " : "")
                        + example) + (meant == null ? "" : "; a mistyped '" + meant + "'?") + ". Fix: evaluate on data with the"
                        + " model's classes only" + (meant == null ? "" : ", spelled as the model spells them") + (set.segmentation()
                        ? ", or give the masks the model's class-name file (classes.txt, one name per line in that order)"
                        : numbered(set) ? (idx(set) ? "; the data's classes are numbers (an IDX folder without classes.txt):"
                        + " put a classes.txt beside it naming the model's classes, one per line in the model's order"
                        : "; the data's classes are numbers: name its class folders or labels as the model's classes") : ""));
            }
        }
        return map;
    }

    /** Whether a classification set's classes are the numbers 0, 1, ... (IDX labels without a class-name file). */
    private static boolean numbered(ImageSet set) {
        return !set.detection() && java.util.stream.IntStream.range(0, set.numClasses())
                .allMatch(c -> set.classNames().get(c).equals(Integer.toString(c)));
    }

    /** Whether the set was read from IDX files, whose images are named {@code file#index}. */
    private static boolean idx(ImageSet set) {
        return set.size() > 0 && set.source(0).contains("-ubyte");
    }

    /** The index of {@code name} among {@code classes}, both compared in Unicode's composed form (NFC); -1 when absent. */
    private static int indexOfComposed(List<String> classes, String name) {
        String composed = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC);
        for (int k = 0; k < classes.size(); k++) {
            if (java.text.Normalizer.normalize(classes.get(k), java.text.Normalizer.Form.NFC).equals(composed)) {
                return k;
            }
        }
        return -1;
    }

    /** The first image of {@code set} that holds class {@code c} (a label, a box or a mask pixel), or null. */
    private static String firstWith(ImageSet set, int c) {
        for (int i = 0; i < set.size(); i++) {
            boolean holds;
            if (set.detection()) {
                float[] b = set.boxes()[i];
                holds = false;
                for (int r = 0; r + ImageSet.BOX_FIELDS <= b.length && !holds; r += ImageSet.BOX_FIELDS) {
                    holds = (int) b[r] == c;
                }
            } else if (set.segmentation()) {
                int pixels = set.height() * set.width();
                holds = false;
                for (int p = i * pixels; p < (i + 1) * pixels && !holds; p++) {
                    holds = (set.masks()[p] & 0xFF) == c;
                }
            } else {
                holds = set.multiLabel() ? set.positive(i, c) : set.label(i) == c;
            }
            if (holds) {
                return set.source(i);
            }
        }
        return null;
    }

    /** {@code set} with labels mapped onto this model's class list. */
    public ImageSet alignClasses(ImageSet set) {
        List<String> classes = descriptor.classes();
        if (set.classNames().equals(classes)) {
            return set;
        }
        int[] map = classMap(set, classes);
        int[] labels = new int[set.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[set.label(i)];
        }
        ImageSet aligned = new ImageSet(set.pixels(), labels, set.channels(), set.height(), set.width(), classes, set::source);
        if (set.segmentation()) {
            byte[] masks = set.masks().clone();
            for (int p = 0; p < masks.length; p++) {
                int v = masks[p] & 0xFF;
                masks[p] = v == ImageSet.IGNORE ? masks[p] : (byte) map[v];
            }
            return aligned.withMasks(masks);
        }
        if (set.detection()) {
            float[][] boxes = new float[set.size()][];
            for (int i = 0; i < boxes.length; i++) {
                boxes[i] = set.boxes()[i].clone();
                for (int r = 0; r < boxes[i].length; r += ImageSet.BOX_FIELDS) {
                    boxes[i][r] = map[(int) boxes[i][r]];
                }
            }
            return aligned.withBoxes(boxes);
        }
        if (!set.multiLabel()) {
            return aligned;
        }
        byte[] hot = new byte[set.size() * classes.size()];
        for (int i = 0; i < set.size(); i++) {
            for (int c = 0; c < map.length; c++) {
                hot[i * classes.size() + map[c]] = (byte) (set.positive(i, c) ? 1 : 0);
            }
        }
        return aligned.withMultiHot(hot);
    }

    @Override
    public void close() {
        model.close();
    }
}
