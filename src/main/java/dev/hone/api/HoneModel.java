package dev.hone.api;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import dev.hone.core.HoneException;
import ai.djl.nn.BlockFactory;
import dev.hone.models.UserBlocks;
import dev.hone.data.DataBundle;
import dev.hone.data.DatasetFingerprint;
import dev.hone.data.DatasetResolver;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.SeenImages;
import dev.hone.record.Json;
import dev.hone.train.ModelDescriptor;
import dev.hone.train.OutputDirectory;
import dev.hone.train.RunIdentity;
import dev.hone.train.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained hone model, loaded for prediction in DJL: its network with the weights, and hone's
 * preprocessing and decoding as a DJL {@link Translator}.
 *
 * <pre>{@code
 * try (HoneModel model = HoneModel.load(Path.of("runs/shirts"));
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *     HoneClassifications c = (HoneClassifications) predictor.predict(Hone.readImage(file));
 *     c.best();        // the most probable class, as for any DJL classifier
 *     c.predicted();   // the model's decision, with the learned thresholds applied
 * }
 * }</pre>
 *
 * <p>Single-label, binary and multi-label models predict {@link Classifications} (in fact
 * {@link HoneClassifications}); segmentation models predict a DJL {@code CategoryMask} per image
 * ({@link #newSegmentationPredictor()}); detection models a DJL {@code DetectedObjects} per image
 * ({@link #newDetectionPredictor()}).
 *
 * <p>A null argument throws a {@code NullPointerException} naming the parameter; after {@link #close()}, every method
 * of this class that runs the network throws an {@code IllegalStateException} saying the model is closed. The
 * predictors it made are DJL's; they report any failure as DJL's checked {@code TranslateException} (a null image, an
 * empty batch); used after their model was closed, they throw that {@code IllegalStateException}. Close them
 * before the model.
 */
public final class HoneModel implements AutoCloseable {
    private final ModelDescriptor descriptor;
    private final TrainedModel trained;
    private final Model model;
    private volatile boolean closed;

    private HoneModel(TrainedModel trained) {
        this.trained = trained;
        this.descriptor = trained.descriptor();
        this.model = trained.model();
    }

    /**
     * Loads a trained model.
     *
     * @param dir a finished run's output folder, or its {@code model/} folder
     * @throws HoneException when the folder holds no hone model, or its weights do not fit its
     *     {@code hone-model.json} (the message names the folder and the fix)
     */
    public static HoneModel load(Path dir) {
        java.util.Objects.requireNonNull(dir, "dir");
        EngineDefaults.apply();
        Translators.task(ModelDescriptor.read(dir)); // a task this version cannot predict is refused before the weights load
        return new HoneModel(TrainedModel.load(dir));
    }

    /**
     * Loads a model trained on your own network ({@link HoneTrainer.Builder#setModel(BlockFactory, Shape)})
     * whose factory cannot be created from its class name alone (an anonymous or non-public class, or one
     * whose constructor takes arguments). The factory must be of the class the model was trained with and
     * build the same network.
     *
     * @param dir a finished run's output folder, or its {@code model/} folder
     * @throws HoneException as {@link #load(Path)}, and for a model not trained on a user's factory or a factory of
     *     another class
     */
    public static HoneModel load(Path dir, BlockFactory factory) {
        ModelDescriptor d = ModelDescriptor.read(dir);
        if (!d.model().usesUserBlock()) {
            throw HoneException.of("The model was not trained on a user's BlockFactory but on " + d.model().displayName(), dir,
                    "load it with HoneModel.load(dir)");
        }
        UserBlocks.register(d.model().blockFactory(), factory);
        return load(dir);
    }

    /**
     * A predictor of one image or a batch ({@code batchPredict}). Close it after use; it is not thread-safe,
     * so give each thread its own.
     *
     * @throws HoneException for a model whose task does not predict {@link Classifications}
     */
    public Predictor<Image, Classifications> newPredictor() {
        checkOpen();
        return whileOpen(getTranslator());
    }

    /**
     * A predictor of a segmentation model: one {@link ai.djl.modality.cv.output.CategoryMask} per image, a
     * class index per pixel at the image's own size. Close it after use; it is not thread-safe.
     *
     * @throws HoneException for a model that is not a segmentation model
     */
    @SuppressWarnings("unchecked")
    public Predictor<Image, ai.djl.modality.cv.output.CategoryMask> newSegmentationPredictor() {
        checkOpen();
        if (getTask() != TaskType.SEGMENTATION) {
            throw new HoneException("the model in " + model.getModelPath() + " is a " + getTask().id()
                    + " model and does not predict masks. Fix: use newPredictor() for its Classifications");
        }
        return whileOpen((Translator<Image, ai.djl.modality.cv.output.CategoryMask>) Translators.translator(descriptor));
    }

    /**
     * A predictor of a detection model: one {@link ai.djl.modality.cv.output.DetectedObjects} per image,
     * the detections scoring at least {@value dev.hone.tasks.CenterNetDecoder#MIN_SCORE}, best first, boxes as fractions
     * of the image's width and height (DJL's convention). Close it after use; it is not thread-safe.
     *
     * @throws HoneException for a model that is not a detection model
     */
    public Predictor<Image, ai.djl.modality.cv.output.DetectedObjects> newDetectionPredictor() {
        return newDetectionPredictor(Translators.DEFAULT_MIN_SCORE);
    }

    /**
     * As {@link #newDetectionPredictor()}, keeping detections scoring at least {@code minScore}.
     *
     * @param minScore in [0, 1]; 0 returns all 100 detections per image, as COCO evaluation uses them
     * @throws HoneException for a model that is not a detection model, or a score outside [0, 1]
     */
    public Predictor<Image, ai.djl.modality.cv.output.DetectedObjects> newDetectionPredictor(double minScore) {
        checkOpen();
        if (getTask() != TaskType.DETECTION) {
            throw new HoneException("the model in " + model.getModelPath() + " is a " + getTask().id()
                    + " model and does not detect objects. Fix: use newPredictor() or newSegmentationPredictor()");
        }
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new HoneException("minScore " + minScore + " is not a score. Fix: pass a value in [0, 1]");
        }
        return whileOpen(new DetectionTranslator(descriptor, minScore));
    }

    /**
     * hone's preprocessing and decoding for this model.
     *
     * @throws HoneException for a model whose task does not predict {@link Classifications}
     */
    @SuppressWarnings("unchecked")
    public Translator<Image, Classifications> getTranslator() {
        if (Translators.outputType(getTask()) != Classifications.class) {
            throw new HoneException("the model in " + model.getModelPath() + " is a " + getTask().id()
                    + " model and does not predict Classifications");
        }
        return (Translator<Image, Classifications>) Translators.translator(descriptor);
    }

    /** The DJL model: the network with its trained weights (BatchNorm running statistics included). */
    public Model getModel() {
        return model;
    }

    /** The task the model was trained for. */
    public TaskType getTask() {
        return Translators.task(descriptor);
    }

    /** The class names, in the order of the network's outputs. */
    public List<String> getClasses() {
        return descriptor.classes();
    }

    /** The network's input for one image, (C, H, W); any image is converted and resized to it. */
    public Shape getInputShape() {
        return descriptor.inputShape();
    }

    /** Everything {@code hone-model.json} holds: architecture, normalisation, thresholds, temperature. */
    public ModelDescriptor getDescriptor() {
        return descriptor;
    }

    /**
     * Evaluates the model on labelled data, as {@code hone evaluate} does: on the data's test split when it
     * brings one (a named dataset, an IDX folder with t10k files, {@code train/} and {@code test/} folders),
     * else on all of it. Images are conformed to the model's input; a test folder with a subset of the
     * classes is matched by class name. A multi-label model reads data of one label per image (class folders, a
     * {@code path,label} CSV) as sets of one; a single-label or binary model reads a {@code path,labels} CSV only when
     * every image has exactly one label.
     *
     * @param data a named dataset or a path, in any layout {@code hone train} reads
     * @param images detection: the folder a COCO file's {@code file_name}s are relative to; null for the file's own
     * @param ignoreIndex segmentation: the mask value of pixels that count for no class; null for the model's (refused
     *     for other tasks)
     * @throws HoneException when the data cannot be read, are of another kind than the model's task (e.g. class folders
     *     for a segmentation model), give a single-label model an image with no label or several, or do not fit the
     *     model (the message names the file and the fix)
     */
    public EvaluationResult evaluate(String data, Path images, Integer ignoreIndex) {
        return evaluate(data, images, ignoreIndex, null);
    }

    /**
     * As {@link #evaluate(String, Path, Integer)}, reading a CSV's label sets with {@code labelDelimiter} between class
     * names (as {@code hone train --label-delimiter}; null to detect it, as training does).
     *
     * @throws HoneException as {@link #evaluate(String, Path, Integer)}
     */
    public EvaluationResult evaluate(String data, Path images, Integer ignoreIndex, String labelDelimiter) {
        java.util.Objects.requireNonNull(data, "data");
        checkOpen();
        if (ignoreIndex != null && getTask() != TaskType.SEGMENTATION) {
            throw HoneException.of("an ignore index (--ignore-index) marks mask pixels, and the model is a " + getTask().id()
                    + " model", model.getModelPath(), "drop the ignore index: it applies to segmentation models only");
        }
        refuseMissingColumns(data);
        Integer saved = descriptor.ignoreIndex();
        DataBundle bundle = DatasetResolver.resolve(data, null, descriptor.input(), labelDelimiter, false,
                ignoreIndex != null ? ignoreIndex : saved != null ? saved : 255, images, true);
        boolean test = bundle.test() != null;
        String name = test ? bundle.testSource() : bundle.trainSource();
        ImageSet set = test ? bundle.test() : bundle.train();
        checkFitsTask(set, name);
        set = trained.alignClasses(dev.hone.data.LabelKinds.as(set, getTask() == TaskType.MULTI_LABEL, name,
                "the model in " + model.getModelPath()));
        List<String> conformed = (test ? bundle.testConformed() : bundle.trainConformed())
                .lines(test ? "test images" : "images", bundle.format(), "the model's input");
        // without a test split the whole data is evaluated: its skipped files are the data's, not training data's
        List<String> skipped = test ? bundle.skippedLines() : bundle.trainSkipped().lines("data");
        List<String> warnings = new ArrayList<>(bundle.warnings());
        TrainedFrom run = trainedFrom(set);
        if (run != null) {
            warnings.add("the data " + name + " are the images this model was trained from (the fingerprint in " + run.file()
                    + "), " + (run.separateTest() ? "its validation split included" : "validation and test splits included")
                    + ": these figures measure its fit, not how it does on new images; its held-out test figures are in "
                    + run.file().resolveSibling("evaluation.json"));
        } else {
            seenWarning(set, name).ifPresent(warnings::add);
        }
        return new EvaluationResult(trained.evaluate(set, name), name, skipped, conformed, warnings);
    }

    /** Refuses a multi-hot CSV without a column for each of a multi-label model's classes: those would count as absent. */
    private void refuseMissingColumns(String data) {
        Path csv = Path.of(data.strip());
        if (getTask() != TaskType.MULTI_LABEL || !data.strip().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                || !java.nio.file.Files.isRegularFile(csv)) {
            return;
        }
        List<String> columns = dev.hone.data.multilabel.MultiLabelSource.multiHotColumns(csv);
        List<String> missing = getClasses().stream().filter(c -> !columns.isEmpty() && !columns.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw HoneException.of("the multi-hot file has no column for " + missing.size() + " of the model's " + getClasses().size()
                    + " classes " + missing + ": they would be scored as absent from every image, and each prediction of them"
                    + " as wrong", csv + ", line 1", "add a 0/1 column for each of them, or list label sets (header path,labels),"
                    + " where a class not named is absent");
        }
    }

    /**
     * The warning when some of the evaluated images are images the model was trained or validated on (by their pixels,
     * {@link SeenImages}): other data than the run's, such as the same images as a class folder or a superset of them.
     */
    private java.util.Optional<String> seenWarning(ImageSet set, String name) {
        long[] seen = SeenImages.read(model.getModelPath());
        int count = seen == null || set.size() == 0 ? 0 : SeenImages.count(seen, set);
        if (count == 0) {
            return java.util.Optional.empty();
        }
        String seenText = String.format(java.util.Locale.ROOT, "%d of the %d images of %s (%.1f%%) %s this model was trained"
                + " or validated on (the same pixels)", count, set.size(), name, 100.0 * count / set.size(),
                count == 1 ? "is an image" : "are images");
        java.util.Map<String, String> run = runFields();
        String fingerprint = DatasetFingerprint.of(set);
        if (run != null && fingerprint.equals(run.get("test"))) {
            // the run's own test set: its run dropped such copies from its test figures, unless told to keep them
            String counts = count == 1 ? ": it counts here" : ": they count here";
            return java.util.Optional.of(seenText + counts + ("true".equals(run.get("keep-duplicates"))
                    ? " as in its run's test figures (--keep-duplicates)"
                    : ", where its run dropped " + (count == 1 ? "it" : "them") + " from its test figures ("
                            + model.getModelPath().toAbsolutePath().resolveSibling("evaluation.json") + ")"));
        }
        return java.util.Optional.of(seenText + ": these figures flatter it; evaluate on images it has not seen, such as its"
                + " run's test set");
    }

    /** The run file ({@code run.json}) beside the model's folder, or null without one (a model moved out of its run). */
    private Path runFile() {
        Path parent = model.getModelPath().toAbsolutePath().getParent();
        Path file = parent == null ? null : parent.resolve(OutputDirectory.RUN_FILE);
        return file != null && Files.isRegularFile(file) ? file : null;
    }

    /** The fields of the run file ({@link #runFile}); null without one or when it is damaged. */
    private java.util.Map<String, String> runFields() {
        Path file = runFile();
        if (file == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(file.toFile(), RunIdentity.class).fields();
        } catch (IOException | RuntimeException e) {
            return null; // a damaged run file says nothing about the data
        }
    }

    /** A run file whose data are the evaluated images, and whether that run's test set was given apart from them. */
    private record TrainedFrom(Path file, boolean separateTest) {}

    /**
     * The run file ({@code run.json}) beside the model's folder when {@code set} is the data its run trained from (the
     * same {@link DatasetFingerprint}), else null: also null for a model moved out of its run folder.
     */
    private TrainedFrom trainedFrom(ImageSet set) {
        java.util.Map<String, String> fields = runFields();
        if (fields == null) {
            return null;
        }
        String test = fields.get("test");
        return DatasetFingerprint.of(set).equals(fields.get("data"))
                ? new TrainedFrom(runFile(), test != null && !test.equals("held-out") && !test.equals("null")) : null;
    }

    /**
     * Refuses data of another kind than the model predicts: masks scored by a classifier, or class folders by a detector,
     * would give no metric (NaN) instead of an error.
     */
    private void checkFitsTask(ImageSet set, String name) {
        TaskType task = getTask();
        boolean fits = switch (task) {
            case SEGMENTATION -> set.segmentation();
            case DETECTION -> set.detection();
            default -> !set.segmentation() && !set.detection();
        };
        if (!fits) {
            String kind = set.segmentation() ? "images with masks (segmentation data)"
                    : set.detection() ? "images with boxes (detection data)" : "labelled images without masks or boxes";
            String needs = switch (task) {
                case SEGMENTATION -> "images with masks: a folder with images/ and masks/, or a CSV of image,mask pairs";
                case DETECTION -> "images with boxes: a COCO .json file, or a VOC or YOLO folder";
                default -> "labelled images: class folders, a CSV manifest of path,label or an IDX folder";
            };
            throw new HoneException("the data " + name + " are " + kind + ", but the model in " + model.getModelPath()
                    + " is a " + task.id() + " model. Fix: evaluate it on " + needs);
        }
    }

    /** As {@link #evaluate(String, Path, Integer)} with the defaults. */
    public EvaluationResult evaluate(Path data) {
        return evaluate(java.util.Objects.requireNonNull(data, "data").toString(), null, null);
    }

    /**
     * Predicts image files in one batch, with hone's own decoding (as {@code hone predict}); an unreadable
     * file is named in {@link FilePredictions#skipped()} and does not cost the others their predictions.
     *
     * @throws HoneException never for a bad image; only for a model that cannot run
     */
    public FilePredictions predictFiles(List<Path> files) {
        java.util.Objects.requireNonNull(files, "files");
        checkOpen();
        ImageFormat format = descriptor.input();
        List<Path> readable = new ArrayList<>();
        Map<Path, String> skipped = new LinkedHashMap<>();
        byte[] pixels = new byte[files.size() * format.imageBytes()];
        for (Path file : files) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".csv") || name.endsWith(".json") || name.endsWith(".txt") || name.endsWith(".xml")) {
                // a manifest or annotation file passed where its images belong
                skipped.put(file, HoneException.of("this is a " + name.substring(name.lastIndexOf('.') + 1).toUpperCase(
                        java.util.Locale.ROOT) + " file, not an image: prediction reads image files", file,
                        "pass the image files it lists instead").getMessage());
                continue;
            }
            try {
                ImageDecoder.decodeInto(file, format, pixels, readable.size() * format.imageBytes());
                readable.add(file);
            } catch (HoneException | UncheckedIOException e) {
                skipped.put(file, e.getMessage());
            }
        }
        if (readable.isEmpty()) {
            return new FilePredictions(List.of(), skipped, null);
        }
        ImageSet set = new ImageSet(Arrays.copyOf(pixels, readable.size() * format.imageBytes()), new int[readable.size()],
                format.channels(), format.height(), format.width(), descriptor.classes(), i -> readable.get(i).toString());
        return new FilePredictions(List.copyOf(readable), skipped, trained.predict(set));
    }

    /** Releases the network's native memory; the model's predictors, evaluations and predictions refuse to run after it. */
    @Override
    public void close() {
        closed = true;
        trained.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(closedMessage());
        }
    }

    private String closedMessage() {
        return "this HoneModel (" + model.getModelPath() + ") is closed. Fix: load it again with HoneModel.load";
    }

    private <O> Predictor<Image, O> whileOpen(Translator<Image, O> translator) {
        return new OpenModelPredictor<>(model, translator, () -> closed, closedMessage());
    }
}
