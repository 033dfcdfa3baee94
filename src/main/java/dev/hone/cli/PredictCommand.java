package dev.hone.cli;

import dev.hone.api.FilePredictions;
import dev.hone.api.HoneModel;
import dev.hone.core.HoneException;
import dev.hone.data.ImageFolderSource;
import dev.hone.data.ImageFormat;
import dev.hone.record.Json;
import dev.hone.tasks.CenterNetDecoder;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import dev.hone.train.ModelDescriptor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hone predict}: top-k classes with probabilities for each image, resized to the model's input.
 *
 * <p>One unreadable image does not cost the others their predictions: it gets one line on standard
 * error naming it and the reason, the rest are predicted, and the exit status is 1 when any image
 * failed (0 when all were predicted). {@code --top} below 1 is refused rather than read as 1.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = {"Classify images, write their segmentation masks, or detect objects, with a trained model.",
                "Binary and multi-label models print their learned decision thresholds first."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every image was predicted", "1:some images could not be read (each named on standard error)",
                "2:bad flags or model folder"})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "the --out folder of a finished run")
    Path modelDir;

    @Option(names = "--top", defaultValue = "3", description = "how many classes to show per image, at least 1 "
            + "(default ${DEFAULT-VALUE}; more than the model's classes shows them all)")
    int top;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every image's prediction as JSON")
    Path json;

    @Option(names = "--out", paramLabel = "DIR", description = "segmentation: write each image's predicted mask here, "
            + "as <image name>.png at the image's own size (a palette PNG whose pixel values are class indices)")
    Path out;

    @Option(names = "--overlay", description = "segmentation: also write <image name>-overlay.png, the mask's colours over "
            + "the image (needs --out)")
    boolean overlay;

    @Option(names = "--draw", paramLabel = "DIR", description = "detection: also write each image with its boxes drawn, "
            + "as DIR/<image name>.png")
    Path draw;

    @Option(names = "--min-score", defaultValue = "" + CenterNetDecoder.MIN_SCORE, paramLabel = "P", description = "detection: show boxes scoring at least"
            + " this, in [0, 1] (default ${DEFAULT-VALUE}; --json keeps the same boxes)")
    double minScore;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "image files: " + ImageFolderSource.FORMATS
            + " (not folders)")
    List<Path> images;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new HoneException("--top " + top + " asks for fewer than one class per image. Fix: give --top 1 or more"
                    + " (a number above the model's class count shows every class)");
        }
        if (overlay && out == null) {
            throw new HoneException("--overlay writes pictures next to the masks, and no --out folder was given. Fix: add --out DIR");
        }
        OutputFile.check(json, "--json");
        try (HoneModel model = HoneModel.load(modelDir)) {
            Task task = model.getDescriptor().toTask();
            boolean segmentation = task instanceof dev.hone.tasks.Segmentation;
            boolean detection = task instanceof dev.hone.tasks.Detection;
            if (draw != null && !detection) {
                throw new HoneException("--draw draws detected boxes, and this model is " + task.name()
                        + ". Fix: drop --draw" + (segmentation ? " (use --out DIR --overlay for pictures of masks)" : ""));
            }
            if (!(minScore >= 0 && minScore <= 1)) {
                throw new HoneException("--min-score " + minScore + " is not a score. Fix: give a value in [0, 1], e.g. "
                        + CenterNetDecoder.MIN_SCORE);
            }
            if (out != null && !segmentation) {
                throw new HoneException("--out writes segmentation masks, and this model is " + task.name()
                        + ". Fix: drop --out (use --json to save the predictions)");
            }
            if (segmentation && out == null) {
                throw new HoneException("this model segments images and writes a mask per image, and no --out folder was given. "
                        + "Fix: add --out DIR (and --overlay for coloured pictures)");
            }
            FilePredictions result = model.predictFiles(images);
            PrintWriter err = spec.commandLine().getErr();
            result.skipped().forEach((file, why) -> err.println("hone: skipped " + file + ": " + why));
            err.flush();
            if (result.predictions() != null) {
                print(model.getDescriptor(), result.predictions(), result.files());
            }
            return result.files().size() == images.size() ? 0 : 1;
        }
    }

    /**
     * The line that says at which probability a binary or multi-label model predicts each class (its learned decision
     * thresholds), so that a class predicted below another's probability is explained; null for single-label.
     */
    static String thresholds(ModelDescriptor model) {
        Map<String, Double> t = model.thresholdsByClass();
        if (t.isEmpty()) {
            return null;
        }
        String learned = model.decisionThresholds().length > 0 ? "chosen on validation" : "the default";
        String each = t.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.3f", e.getKey(), e.getValue()))
                .reduce((a, b) -> a + ", " + b).orElse("");
        return model.toTask() instanceof dev.hone.tasks.Binary
                ? "threshold: " + each + " (" + learned + "): the positive class is predicted at this probability or more"
                : "thresholds: " + each + " (" + learned + "): each class is predicted at its own or more";
    }

    private void print(ModelDescriptor model, Predictions p, List<Path> files) {
        ImageFormat format = model.input();
        if (model.toTask() instanceof dev.hone.tasks.Detection) {
            List<Map<String, Object>> written = new BoxWriter(draw, minScore, model.classes(),
                    spec.commandLine().getOut()).write(p, format, files);
            if (json != null) {
                Json.write(json, written);
                spec.commandLine().getErr().println("written: " + json);
            }
            return;
        }
        if (model.toTask() instanceof dev.hone.tasks.Segmentation) {
            List<Map<String, Object>> written = new MaskWriter(out, overlay, model.classes(),
                    spec.commandLine().getOut()).write(p, format, files);
            if (json != null) {
                Json.write(json, written);
                spec.commandLine().getErr().println("written: " + json);
            }
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> classes = model.classes();
        String task = model.toTask().name();
        List<Map<String, Object>> rows = new ArrayList<>();
        String thresholds = thresholds(model);
        if (thresholds != null) {
            out.println(thresholds);
        }
        for (int i = 0; i < files.size(); i++) {
            float[] row = p.probabilities()[i];
            // the decision at the learned thresholds, as the Java API's predictors make it
            List<String> predicted = model.decide(row).stream().map(classes::get).toList();
            String best = IntStream.range(0, row.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer k) -> row[k]).reversed())
                    .limit(top)
                    .map(k -> String.format("%s %.3f", classes.get(k), row[k]))
                    .reduce((a, b) -> a + ", " + b).orElse("");
            if (task.equals("single-label")) {
                out.println(files.get(i) + ": " + best);
            } else {
                String shown = predicted.isEmpty() ? "(no class above its threshold)" : predicted.stream()
                        .map(c -> String.format("%s %.3f", c, row[classes.indexOf(c)])).reduce((a, b) -> a + ", " + b).orElse("");
                out.println(files.get(i) + ": " + shown + "   [top: " + best + "]");
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("image", files.get(i).toString());
            r.put("task", task);
            r.put("predicted", predicted);
            Map<String, Float> probabilities = new LinkedHashMap<>();
            for (int k = 0; k < row.length; k++) {
                probabilities.put(classes.get(k), row[k]);
            }
            r.put("probabilities", probabilities);
            rows.add(r);
        }
        out.flush();
        if (json != null) {
            Json.write(json, rows);
            spec.commandLine().getErr().println("written: " + json);
        }
    }
}
