package dev.hone.api;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.BlockFactory;
import dev.hone.core.HoneException;
import dev.hone.models.ModelSpec;
import dev.hone.models.UserBlock;
import dev.hone.train.RunCancelledException;
import dev.hone.train.RunHooks;
import dev.hone.train.TrainOptions;
import dev.hone.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One training run, configured by {@link Hone#trainer()}: data in, a trained and evaluated model folder
 * out. Every value not fixed on the builder is chosen by hone's meta-learners and recorded with its
 * reason; a value fixed here is recorded as {@code USER}.
 *
 * <p>{@link #fit()} runs on the calling thread and may be called once. {@link #cancel()} may be called
 * from any thread: the run stops after the current batch and {@code fit()} throws
 * {@link TrainingCancelledException}; a trainer built with the same options and
 * {@link Builder#optResume(boolean) optResume(true)} continues it.
 */
public final class HoneTrainer {
    private final TrainOptions options;
    private final List<TrainingListener> listeners;
    /** Whether errors name the builder's methods (built by {@link Builder}) or the CLI's flags ({@link #of}). */
    private final boolean apiTerms;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();

    private HoneTrainer(TrainOptions options, List<TrainingListener> listeners, boolean apiTerms) {
        this.options = options;
        this.listeners = List.copyOf(listeners);
        this.apiTerms = apiTerms;
    }

    /**
     * A trainer for options as the command line gives them, for the CLI (a thin layer over this API) and
     * tools that hold a {@link TrainOptions}; programs use the builder, {@link Hone#trainer()}.
     */
    public static HoneTrainer of(TrainOptions options, TrainingListener... listeners) {
        EngineDefaults.apply();
        return new HoneTrainer(options, List.of(listeners), false);
    }

    /** The run's output folder: the one given to {@link Builder#optOut}, or the temporary one chosen. */
    public Path outputDir() {
        return options.out();
    }

    /**
     * Trains, evaluates on the test split, and writes the output folder (atomically: it appears only
     * when complete). Meta-learning, training and evaluation run on this thread; with a budget the whole
     * call fits in it.
     *
     * @return the output folder, the model folder, the training record and the evaluation
     * @throws HoneException when the data, the model or an option cannot be used (the message names the
     *     file or option and the fix), when training diverges, or when the output folder holds another run
     * @throws TrainingCancelledException when {@link #cancel()} stopped the run
     * @throws IllegalStateException when called a second time
     */
    public TrainingResult fit() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("fit() runs once per trainer; build another one (with optResume(true) to continue"
                    + " a cancelled run)");
        }
        EngineDefaults.prepareThread();
        RunHooks hooks = new RunHooks(List.of(new ListenerObserver(listeners)),
                d -> listeners.forEach(l -> l.onDecision(d)), m -> listeners.forEach(l -> l.onEpoch(m)), cancelled::get,
                s -> {
                    PhaseProgress p = PhaseProgress.of(s);
                    listeners.forEach(l -> l.onPhaseProgress(p));
                });
        TrainingRun.Result r;
        try {
            r = TrainingRun.run(options, hooks);
        } catch (RunCancelledException e) {
            throw new TrainingCancelledException(e, apiTerms);
        } catch (HoneException e) {
            throw apiTerms ? ApiTerms.translate(e) : e; // a builder's user reads "optEpochs 0 is out of range", not "--epochs 0"
        }
        Path modelDir = r.out().resolve("model");
        ServingProperties.write(modelDir);
        return new TrainingResult(r.out(), modelDir, r.record(), r.evaluation());
    }

    /**
     * Asks the run to stop after the current batch: the final run's, or that of a training before it (an optimization
     * learner's probe, a meta-learning trial, the semi-supervised teacher, rounds and pretraining); during a teacher's
     * pseudo-labeling pass, once the pass ends. Safe from any thread; has no effect once {@link #fit()} has returned.
     */
    public void cancel() {
        cancelled.set(true);
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /** The options this trainer runs with, as the command line would give them. */
    public TrainOptions options() {
        return options;
    }

    /**
     * Configures a {@link HoneTrainer}, in DJL's style: {@code setX} required, {@code optX} optional. A
     * builder may build several trainers, e.g. the same options again with {@code optResume(true)}.
     */
    public static final class Builder {
        private String data;
        private Path test;
        private String model;
        private UserBlock block;
        private Path out;
        private Integer epochs;
        private Long seed;
        private boolean resume;
        private Integer batchSize;
        private String optimizer;
        private Double learningRate;
        private Double weightDecay;
        private Integer width;
        private Boolean smallStem;
        private Double validationFraction;
        private Duration budget;
        private String schedule;
        private Boolean regularization;
        private Path policy;
        private String command = "Hone.trainer() (Java API)";
        private boolean keepDuplicates;
        private TaskType task;
        private String positive;
        private String labelDelimiter;
        private String thresholdMetric;
        private String imbalance;
        private Integer ignoreIndex;
        private Path images;
        private Path unlabeled;
        private String ssl;
        private String progressiveResizing;
        private final List<TrainingListener> listeners = new ArrayList<>();

        Builder() {}

        /**
         * The training data: an image folder (one subfolder per class, or {@code train/} and {@code test/}
         * inside), an IDX folder, or a CSV manifest ({@code path,label}, {@code path,labels} of label
         * sets, or multi-hot columns). Required (or {@link #setData(String)}).
         */
        public Builder setData(Path data) {
            this.data = data == null ? null : data.toString(); // null: build() says setData is missing
            return this;
        }

        /** Training data by name (e.g. {@code fashion-mnist}, from Debian's package) or path. */
        public Builder setData(String nameOrPath) {
            this.data = nameOrPath;
            return this;
        }

        /**
         * The architecture: {@code resnet9}, {@code resnet18}, {@code resnet34}, {@code resnet50},
         * {@code resnet20}, {@code resnet56}, {@code mobilenetv2}, for segmentation {@code unet},
         * {@code unet-resnet18} or {@code unet-resnet34} (for detection a ResNet name trains its CenterNet), or the path
         * of a TorchScript file (fine-tuned; its output must be (N, K) logits, or (N, K, H, W) for segmentation).
         * Required.
         */
        public Builder setModel(String model) {
            this.model = model;
            this.block = null;
            return this;
        }

        /**
         * Your own network as the architecture: a DJL {@link BlockFactory} and the input shape it takes.
         * hone calls the factory for a fresh, uninitialized block for every probe, trial and the final
         * run, with the arguments {@code outputs} (the head's channels: K classes, 1 for a binary task),
         * {@code channels}, {@code height} and {@code width} (Integers, pixels), and resizes the images to
         * {@code inputChw}. The block returns logits: {@code (N, outputs)} for classification,
         * {@code (N, outputs, H, W)} for segmentation, {@code (N, outputs, H/4, W/4)} for detection (CenterNet's
         * heatmaps, then sizes and offsets). It is checked by one forward pass before training.
         *
         * <p>hone adds no dropout to it and changes none of its layers. The model folder records the
         * factory's class name: {@link HoneModel#load(Path)} and DJL's {@code Criteria} rebuild it from a
         * public class with a public no-argument constructor; otherwise use
         * {@link HoneModel#load(Path, BlockFactory)}. A lambda is refused when the run starts, as its class
         * name changes from one run to the next.
         *
         * @param inputChw (channels, height, width): 1 or 3 channels, sides in pixels
         * @throws IllegalArgumentException for another shape
         */
        public Builder setModel(BlockFactory factory, Shape inputChw) {
            this.block = new UserBlock(factory, inputChw);
            this.model = ModelSpec.USER_BLOCK;
            return this;
        }

        /** A separate test set (else the data's own {@code test/}, else a stratified held-out split). */
        public Builder optTest(Path test) {
            this.test = test;
            return this;
        }

        /**
         * The output folder: new or empty, outside the data. Default: a new temporary folder, see
         * {@link HoneTrainer#outputDir()}; give one to resume a cancelled run.
         */
        public Builder optOut(Path out) {
            this.out = out;
            return this;
        }

        /**
         * A wall-clock budget for the whole run (data loading, meta-learning, training, evaluation,
         * outputs), from 30 seconds to 7 days; hone plans the steps to fit it. Excludes {@link #optEpochs}.
         */
        public Builder optBudget(Duration budget) {
            this.budget = budget;
            return this;
        }

        /** The number of epochs, 1 to 10,000 (else a rule plus early stopping). Excludes {@link #optBudget}. */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** The run seed (default 42): every random stream is split from it, so a seed repeats a run. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Continues an interrupted or cancelled run of the same output folder and options from its checkpoint. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Fixes the batch size, 1 to 65,536 images (else learned from the gradient noise scale and throughput). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Fixes the optimizer: {@code sgd-nesterov}, {@code adamw}, {@code lamb}, {@code lars} or {@code lion}. */
        public Builder optOptimizer(String optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** Fixes the peak learning rate, in (0, 10] (else a range test). */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Fixes the schedule: {@code warmup-cosine}, {@code one-cycle} or {@code linear-decay}. */
        public Builder optSchedule(String schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Fixes the decoupled weight decay, in [0, 1). */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** The architecture's base channel width, 1 to 1024. */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * A 3x3 stride-1 stem for small images: ResNet-18/34/50, MobileNetV2, and the U-Net and CenterNet with a ResNet
         * encoder ({@code unet-resnet18/34}, {@code centernet-resnet18/34/50}) only; the other architectures refuse it.
         */
        public Builder optSmallStem(boolean smallStem) {
            this.smallStem = smallStem;
            return this;
        }

        /** The share of the training data held out for validation, and for testing without a test set, in (0, 0.5) (default 0.1). */
        public Builder optValidationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /**
         * Whether to search augmentation, soft labels, weight decay and dropout jointly (true, the
         * default; where the search does not run: the small-data prior at 20 or more passes over the
         * images, CutMix at 8 to 20 passes for single-label and binary runs, else none, as the README says)
         * or to train without regularization (false).
         */
        public Builder optRegularization(boolean search) {
            this.regularization = search;
            return this;
        }

        /** Replays a saved {@code policy.json} of an earlier run instead of searching. */
        public Builder optPolicy(Path policy) {
            this.policy = policy;
            return this;
        }

        /** Keeps validation and test images that are exact copies of training images (default: dropped). */
        public Builder optKeepDuplicates(boolean keep) {
            this.keepDuplicates = keep;
            return this;
        }

        /** Fixes the task (default: inferred from the data). */
        public Builder optTask(TaskType task) {
            this.task = task;
            return this;
        }

        /** The positive class of a binary task, by name (default: the rarer class). */
        public Builder optPositive(String className) {
            this.positive = className;
            return this;
        }

        /**
         * Segmentation: the mask value of pixels that count for no class (default 255, Pascal VOC's
         * object boundaries), as {@code --ignore-index}.
         */
        public Builder optIgnoreIndex(int value) {
            this.ignoreIndex = value;
            return this;
        }

        /**
         * Detection: the folder the {@code file_name} entries of a COCO {@code data} file are relative to
         * (default: the JSON file's own folder), as {@code --images}.
         */
        public Builder optImages(Path folder) {
            this.images = folder;
            return this;
        }

        /**
         * Unlabeled images for semi-supervised learning, as {@code --unlabeled}: a folder searched recursively (any
         * layout) or a CSV of paths. They are conformed to the labeled images' format; copies of labeled or test
         * images are dropped and reported. The SSL learner trains a supervised teacher, races Noisy Student (Xie et al.
         * 2020, arXiv:1911.04252) and FixMatch against a supervised arm on them ({@link #optSsl}), and keeps the result
         * only if it beats its teacher on validation (or, on a validation split too small to tell, is not significantly
         * worse).
         * Classification only (single-label, binary and multi-label); segmentation and detection are refused.
         */
        public Builder optUnlabeled(Path unlabeled) {
            this.unlabeled = unlabeled;
            return this;
        }

        /**
         * The semi-supervised method, as {@code --ssl}: {@code auto} (the default: the SSL learner compares Noisy Student
         * and FixMatch, Sohn et al. 2020, arXiv:2001.07685, with a supervised arm of equal compute; with few labels its
         * teacher starts from an encoder Barlow Twins pretrained, as in SimCLRv2, arXiv:2006.10029), {@code noisy-student}
         * or {@code fixmatch} (that method alone), {@code simclr} (Chen et al. 2020, arXiv:2002.05709) or
         * {@code barlow-twins} (Zbontar et al. 2021, arXiv:2103.03230): the encoder pretrained on the unlabeled images,
         * then fine-tuned on the labels. Each is kept only if it beats its supervised teacher on validation (or, on a
         * validation split too small to tell, is not significantly worse). Needs
         * {@link #optUnlabeled}; an unknown name fails {@code fit()} with a {@link HoneException}.
         */
        public Builder optSsl(String method) {
            this.ssl = method;
            return this;
        }

        /**
         * The delimiter between class names in a label-set manifest (default: detected among ';', '|', ',' in a quoted
         * cell, and space).
         */
        public Builder optLabelDelimiter(String delimiter) {
            this.labelDelimiter = delimiter;
            return this;
        }

        /**
         * What the decision thresholds learned on validation maximise (binary, multi-label):
         * {@code f1} (default), {@code precision>=P} or {@code recall>=R}.
         */
        public Builder optThresholdMetric(String metric) {
            this.thresholdMetric = metric;
            return this;
        }

        /**
         * The class-imbalance handling. Binary and multi-label: {@code auto} (default: chosen by short trials
         * on validation), {@code none} (plain BCE), {@code positive-weight} (per-class weights
         * negatives/positives, as PyTorch's {@code BCEWithLogitsLoss(pos_weight)}) or {@code focal} (Lin et
         * al. 2017, arXiv:1708.02002). Segmentation: {@code auto}, {@code none}, {@code class-weight} or
         * {@code dice}. Refused for single-label and detection tasks.
         */
        public Builder optImbalance(String imbalance) {
            this.imbalance = imbalance;
            return this;
        }

        /**
         * Progressive resizing of a budgeted classification or segmentation run: {@code auto} (default: on where it
         * applies, the record says why not elsewhere) or {@code off}. On, the first steps train on downscaled images (and
         * masks), which cost less, so the budget buys more steps (fast.ai's technique, on MosaicML Composer's schedule).
         */
        public Builder optProgressiveResizing(String mode) {
            this.progressiveResizing = mode;
            return this;
        }

        /** What the training record names as the run's origin (default: the Java API). */
        public Builder optCommand(String command) {
            this.command = command;
            return this;
        }

        /** Adds a listener for decisions, progress and epochs; called in the order added. */
        public Builder addListener(TrainingListener listener) {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * A trainer with these options; they are checked in full when it runs.
         *
         * @throws HoneException when the data or the model is missing, {@code optBudget} is outside 30 s to 7
         *     days, or no temporary output folder can be created
         */
        public HoneTrainer build() {
            if (data == null || data.isBlank()) {
                throw new HoneException("Hone.trainer() has no data. Fix: call setData(Path) with an image folder, an IDX"
                        + " folder or a CSV manifest");
            }
            if (model == null || model.isBlank()) {
                throw new HoneException("Hone.trainer() has no model. Fix: call setModel(\"resnet9\") (or another built-in"
                        + " architecture, or a TorchScript file), or setModel(blockFactory, inputShape) for your own DJL block");
            }
            Path target = out != null ? out : temporaryOut();
            return new HoneTrainer(new TrainOptions(data, test == null ? null : test.toString(), model, target, epochs, seed,
                    resume, batchSize, optimizer, learningRate, weightDecay, width, smallStem, validationFraction,
                    budget == null ? null : seconds(budget), schedule,
                    regularization == null ? null : regularization ? "auto" : "none", policy, command, keepDuplicates,
                    task == null ? null : task.id(), positive, labelDelimiter, thresholdMetric, imbalance, ignoreIndex, images,
                    unlabeled == null ? null : unlabeled.toString(), ssl, block, progressiveResizing), listeners, true);
        }

        private static String seconds(Duration d) {
            if (d.compareTo(Duration.ofSeconds(30)) < 0 || d.compareTo(Duration.ofDays(7)) > 0) {
                throw new HoneException("optBudget(" + d + ") is not a duration from 30 s to 7 days. Fix: give e.g."
                        + " Duration.ofMinutes(10)");
            }
            return dev.hone.metalearn.budget.Budget.text(d);
        }

        private static Path temporaryOut() {
            try {
                Path out = Files.createTempDirectory("hone-").resolve("run");
                org.slf4j.LoggerFactory.getLogger("hone").info("no optOut given: the run is written to {}, which is not"
                        + " removed afterwards", out);
                return out;
            } catch (IOException e) {
                throw new HoneException("cannot create a temporary output folder (" + e.getMessage() + "). Fix: give one"
                        + " with optOut(Path)", e);
            }
        }
    }
}
