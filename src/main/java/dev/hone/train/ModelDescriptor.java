package dev.hone.train;

import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.data.ImageFormat;
import dev.hone.data.Normalization;
import dev.hone.models.ModelSpec;
import dev.hone.record.Json;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code model/hone-model.json}: everything needed to use the weights beside it: the architecture,
 * the input format, the normalisation computed on the training split, the class names, and whether
 * predictions average over horizontal flips (test-time augmentation, kept when it helped on
 * validation; false when read from a descriptor written before it existed), and for binary and
 * multi-label models the task, the positive class, the learned thresholds and the temperature
 * (null in descriptors written before tasks: single-label), and for segmentation the mask value the
 * user's masks mark ignored pixels with ({@code --ignore-index}; null for the default 255), so that
 * {@code evaluate} reads the model's own data as training did.
 */
public record ModelDescriptor(int formatVersion, ModelSpec model, ImageFormat input, Normalization normalization,
        List<String> classes, boolean testTimeFlips, String task, Integer positive, double[] thresholds, Double temperature,
        Integer ignoreIndex) {

    /** A model described without an ignore index: 255 for segmentation. */
    public ModelDescriptor(int formatVersion, ModelSpec model, ImageFormat input, Normalization normalization,
            List<String> classes, boolean testTimeFlips, String task, Integer positive, double[] thresholds, Double temperature) {
        this(formatVersion, model, input, normalization, classes, testTimeFlips, task, positive, thresholds, temperature, null);
    }

    /** A single-label model, as described before tasks. */
    public ModelDescriptor(int formatVersion, ModelSpec model, ImageFormat input, Normalization normalization,
            List<String> classes, boolean testTimeFlips) {
        this(formatVersion, model, input, normalization, classes, testTimeFlips, null, null, null, null);
    }

    /** The task the model was trained for; single-label for descriptors written before tasks. */
    public Task toTask() {
        Task named = Task.named(task);
        return named instanceof Binary ? Binary.of(positive == null ? 1 : positive) : named;
    }

    /**
     * The decision thresholds learned on validation: one per class for multi-label, one for the
     * positive class of a binary model; empty when the arg-max decides (single-label, older files).
     */
    public double[] decisionThresholds() {
        return thresholds == null ? new double[0] : thresholds.clone();
    }

    /**
     * The thresholds {@link #decide} applies, by class name in the model's class order: every class of a multi-label
     * model, the positive class of a binary one; empty for single-label. Probabilities, from 0 to 1.
     */
    public java.util.Map<String, Double> thresholdsByClass() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        double[] t = decisionThresholds();
        Task kind = toTask();
        if (kind instanceof Binary b) {
            m.put(classes().get(b.positive()), t.length == 1 ? t[0] : 0.5);
        } else if (kind instanceof MultiLabel) {
            for (int c = 0; c < classes().size(); c++) {
                m.put(classes().get(c), t.length == classes().size() ? t[c] : 0.5);
            }
        }
        return m;
    }

    /**
     * The classes an image is predicted to show, as class indices: the arg-max (single-label); the
     * positive class when its probability reaches the learned threshold, else the other (binary); every
     * class at or above its threshold (multi-label; 0.5 where none was learned).
     *
     * @param row the image's probabilities, one per class, in class order
     */
    public java.util.List<Integer> decide(float[] row) {
        double[] t = decisionThresholds();
        java.util.List<Integer> out = new java.util.ArrayList<>();
        Task kind = toTask();
        if (kind instanceof MultiLabel) {
            for (int k = 0; k < row.length; k++) {
                if (row[k] >= (t.length == row.length ? t[k] : 0.5)) {
                    out.add(k);
                }
            }
        } else if (kind instanceof Binary b) {
            int pos = b.positive();
            out.add(row[pos] >= (t.length == 1 ? t[0] : 0.5) ? pos : 1 - pos);
        } else {
            out.add(dev.hone.tasks.Predictions.argMax(row));
        }
        return out;
    }

    public static final String FILE = "hone-model.json";
    public static final int FORMAT_VERSION = 1;

    public Shape inputShape() {
        return new Shape(input.channels(), input.height(), input.width());
    }

    public void write(Path modelDir) {
        Json.write(modelDir.resolve(FILE), this);
    }

    /** The fix for a folder that holds no model, in terms that serve the command line and the Java API. */
    private static final String PASS_A_RUN = "pass the output folder of a finished training run (hone train's --out, the Java"
            + " API's optOut; it holds model/" + FILE + ")";

    /** Reads {@code DIR/model/hone-model.json} given a run directory or its model folder. */
    public static ModelDescriptor read(Path dir) {
        Path work = OutputDirectory.workFolder(dir);
        if (!Files.exists(modelFolder(dir).resolve(FILE)) && Files.isDirectory(work)) {
            throw new HoneException("the run of " + dir.toAbsolutePath().normalize() + " has not finished: its work so far is in "
                    + work + ", and its model is written when it ends. Fix: finish it with the same hone train command and"
                    + " --resume (or the Java API's optResume), then use " + dir);
        }
        if (!Files.isDirectory(dir)) {
            throw HoneException.of("no trained model found: " + (Files.exists(dir) ? "this is a file, not a folder"
                    : "the folder does not exist"), dir, PASS_A_RUN);
        }
        Path modelDir = modelFolder(dir);
        Path file = modelDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw HoneException.of("no trained model found", file,
                    PASS_A_RUN);
        }
        String fix = "train again with 'hone train' to write it, or restore the file from a copy of the model folder";
        ModelDescriptor d;
        try {
            d = Json.read(file, ModelDescriptor.class);
        } catch (java.io.UncheckedIOException e) {
            throw HoneException.of("the model's description cannot be read (" + Json.problem(e) + ")", file, fix);
        }
        List<String> missing = new java.util.ArrayList<>();
        if (d == null || d.model() == null) {
            missing.add("model");
        }
        if (d == null || d.input() == null) {
            missing.add("input");
        }
        if (d == null || d.normalization() == null) {
            missing.add("normalization");
        }
        if (d == null || d.classes() == null || d.classes().isEmpty()) {
            missing.add("classes");
        }
        if (!missing.isEmpty()) {
            throw HoneException.of("the model's description lacks " + String.join(", ", missing), file, fix);
        }
        return d;
    }

    public static Path modelFolder(Path dir) {
        return Files.exists(dir.resolve(FILE)) ? dir : dir.resolve("model");
    }
}
