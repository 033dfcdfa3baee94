package dev.hone.cli;

import dev.hone.api.HoneTrainer;
import dev.hone.api.TrainingResult;
import dev.hone.train.TrainOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hone train}: every hyperparameter flag is optional; a given one becomes a USER decision. A thin
 * layer over the Java API ({@link HoneTrainer}): it parses flags, shows progress ({@link ConsoleProgress})
 * and prints the summary.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier, a segmentation model or an object detector; hone chooses every value you do not fix, and records why.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "NAME|PATH",
            description = "fashion-mnist (Debian package), an IDX folder, an image folder (one subfolder per class, "
                    + "or train/ and test/), a CSV manifest path,label; for segmentation a folder with images/ and masks/ "
                    + "(or train/ and test/ of them), or a CSV manifest image,mask; for detection a COCO .json file, a Pascal VOC "
                    + "folder with Annotations/ and JPEGImages/, or a YOLO folder with images/ and labels/ (or train/ and test/ of them)")
    String data;

    @Option(names = "--test", paramLabel = "PATH", description = "a separate test set (else the data's own, else a held-out split)")
    String test;

    @Option(names = "--images", paramLabel = "DIR", description = "detection: the folder the file_name entries of a COCO --data "
            + "file are relative to (default: the JSON file's folder)")
    Path images;

    @Option(names = "--unlabeled", paramLabel = "DIR|FILE.csv", description = "unlabeled images for semi-supervised learning: "
            + "a folder searched recursively, or a CSV of paths; the model trained on them is kept only if it beats its supervised"
            + " teacher on validation (or, on a validation split too small to tell, is not significantly worse) "
            + "(classification: single-label, binary, multi-label)")
    Path unlabeled;

    @Option(names = "--ssl", paramLabel = "auto|noisy-student|fixmatch|simclr|barlow-twins", description = "with --unlabeled:"
            + " the semi-supervised method. auto (default): the learner compares Noisy Student and FixMatch with a supervised arm"
            + " of equal compute and keeps the best, except that a weak teacher (pseudo-labels right on under 85% of"
            + " validation) goes straight to FixMatch, and with few labels the teacher's encoder is pretrained by Barlow Twins;"
            + " noisy-student or fixmatch: that method alone; simclr or barlow-twins:"
            + " self-supervised pretraining of the encoder on the unlabeled images, then fine-tuning on the labels. Each is kept"
            + " only if it beats its supervised teacher on validation (or, on a validation split too small to tell, is not"
            + " significantly worse, given unlabeled images at least a tenth of the labeled ones)")
    String ssl;

    @Option(names = "--model", required = true, paramLabel = "ARCH|FILE.pt",
            description = "resnet9, resnet18, resnet34, resnet50, resnet20, resnet56, mobilenetv2; for segmentation unet, "
                    + "unet-resnet18, unet-resnet34; for detection resnet18, resnet34, resnet50 (CenterNet on that encoder: "
                    + "centernet-resnet18, ...); or a TorchScript file (classification and segmentation)")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (written atomically)")
    Path out;

    @Option(names = "--epochs", description = "fix the number of epochs")
    Integer epochs;

    @Option(names = "--seed", description = "the run seed (default 42); the same seed gives the same splits, "
            + "draws and initial weights, and with --epochs the same result; a budgeted run's steps follow the speed the "
            + "machine shows, so its result can differ")
    Long seed;

    @Option(names = "--resume", description = "continue an interrupted run of the same --out: from its last finished epoch's"
            + " checkpoint, or, stopped before one, from its saved plan (or, with none, planning again); a budgeted run"
            + " fits the rest into what is left of its --budget")
    boolean resume;

    @Option(names = "--batch-size", description = "fix the batch size")
    Integer batchSize;

    @Option(names = "--budget", paramLabel = "TIME", description = "wall-clock budget for the whole run, e.g. 10m, 1h30m or 2d "
            + "(30s to 7d): hone plans meta-learning, training and evaluation to fit it")
    String budget;

    @Option(names = "--optimizer", description = "fix the optimizer: sgd-nesterov, adamw, lamb, lars or lion")
    String optimizer;

    @Option(names = "--lr", description = "fix the peak learning rate (without --optimizer: AdamW, LAMB from batch 2048)")
    Double lr;

    @Option(names = "--schedule", description = "fix the schedule: warmup-cosine, one-cycle or linear-decay")
    String schedule;

    @Option(names = "--weight-decay", description = "fix the decoupled weight decay")
    Double weightDecay;

    @Option(names = "--width", description = "base channel width of the architecture; hone warns when it leaves "
            + "convolutions whose channels are not a multiple of 16, whose gradients PyTorch's CPU code gets wrong at random")
    Integer width;

    @Option(names = "--small-stem", arity = "0..1", description = "3x3 stride-1 stem for small images (ResNet-18/34/50, MobileNetV2, "
            + "unet-resnet18/34, centernet-resnet18/34/50)")
    Boolean smallStem;

    @Option(names = "--val-fraction", description = "share of the training data held out for validation, and for testing "
            + "when no test set is given (default 0.1)")
    Double valFraction;

    @Option(names = "--regularization", paramLabel = "auto|none", description = "auto (default): search augmentation, soft labels, "
            + "weight decay and dropout jointly (too few images or too little time to search: a small-data prior when the run "
            + "passes over its images 20 times or more, CutMix at 8 to 20 passes for single-label and binary runs, else none); none: "
            + "train without regularization")
    String regularization;

    @Option(names = "--policy", paramLabel = "FILE", description = "replay a saved policy.json (or a run folder's) instead of searching; a field hone does not know, or a"
            + " value out of its range, is refused before training")
    Path policy;

    @Option(names = "--keep-duplicates", description = "keep validation and test images that are exact copies of training "
            + "images (by default they are dropped, as they inflate the scores; either way they are reported)")
    boolean keepDuplicates;

    @Option(names = "--task", paramLabel = "single-label|binary|multi-label|segmentation|detection", description = "fix the task "
            + "(default: inferred: detection for images with boxes, segmentation for images with masks, multi-label for a manifest of label sets, binary for two classes, else single-label)")
    String task;

    @Option(names = "--positive", paramLabel = "CLASS", description = "the positive class of a binary task (default: the rarer)")
    String positive;

    @Option(names = "--label-delimiter", paramLabel = "D", description = "the delimiter between class names in a label-set "
            + "manifest (default: detected among ';', '|', ',' in a quoted cell, and space)")
    String labelDelimiter;

    @Option(names = "--threshold-metric", paramLabel = "f1|precision>=P|recall>=R", description = "what the decision "
            + "thresholds learned on validation maximise (binary and multi-label; default f1)")
    String thresholdMetric;

    @Option(names = "--imbalance", paramLabel = "auto|none|positive-weight|focal|class-weight|dice", description = "class-imbalance "
            + "handling of the loss: none, positive-weight or focal for binary and multi-label; none, class-weight or dice for "
            + "segmentation (default auto: chosen by short trials on validation)")
    String imbalance;

    @Option(names = "--ignore-index", paramLabel = "N", description = "segmentation: the mask value of pixels that count "
            + "for no class (default 255, as Pascal VOC's boundaries)")
    Integer ignoreIndex;

    @Option(names = "--progressive-resizing", paramLabel = "auto|off", description = "budgeted classification and segmentation: train the "
            + "first steps on downscaled images, which cost less, so the budget buys more steps (default auto: on where it "
            + "applies; the record says why not elsewhere)")
    String progressiveResizing;

    /** The status of a run stopped by Ctrl-C (the JVM's own for a signal replaces it). */
    static final int STOPPED = 130;

    @Override
    public Integer call() {
        String command = commandText(spec.commandLine().getParseResult().originalArgs());
        TrainingResult result = StoppableFit.fit(console -> HoneTrainer.of(new TrainOptions(data, test, model, out, epochs, seed,
                resume, batchSize, optimizer, lr, weightDecay, width, smallStem, valFraction, budget, schedule, regularization,
                policy, command, keepDuplicates, task, positive, labelDelimiter, thresholdMetric, imbalance, ignoreIndex, images,
                unlabeled == null ? null : unlabeled.toString(), ssl, null, progressiveResizing), console), out,
                sameCommand(resume));
        if (result == null) {
            return STOPPED;
        }
        Summary.print(spec.commandLine().getOut(), result);
        return 0;
    }

    /**
     * What a run stopped before it finished (SIGINT or SIGTERM) prints: where its work folder is and how to continue, with
     * what a resume continues from ({@link dev.hone.train.ResumePoint}), or that nothing was kept when it stopped before
     * writing one.
     */
    static String interruptedMessage(Path out, boolean resumed) {
        return interruptedMessage(out, sameCommand(resumed));
    }

    /** How a stopped {@code hone train} continues: the same command, with {@code --resume} unless it had it. */
    private static String sameCommand(boolean resumed) {
        return "run the same command" + (resumed ? "" : " with --resume");
    }

    /** As {@link #interruptedMessage(Path, boolean)}, with {@code command} saying how to continue the run. */
    static String interruptedMessage(Path out, String command) {
        Path work = dev.hone.train.OutputDirectory.workFolder(out);
        if (!java.nio.file.Files.isDirectory(work)) {
            return "hone: interrupted before training began; nothing was written to " + out + ". Fix: run the command again";
        }
        return dev.hone.train.ResumePoint.describe(out)
                .map(point -> "hone: interrupted; the run so far is kept in " + work + ". Fix: " + command + " to continue "
                        + point + ", or delete " + work + " to start over")
                // stopped during the learners: the work folder holds the run's identity (run.json), which a resume needs
                .orElse("hone: interrupted before a plan or checkpoint was saved in " + work + ". Fix: " + command
                        + ", which plans again (the learners run again) before training, or delete " + work + " to start over");
    }

    /**
     * The command as typed, for the record: picocli's {@code originalArgs()} are all the arguments given
     * to {@code hone}, the subcommand's name included, so it is not added again. An argument with
     * spaces or shell characters is single-quoted, so the line can be pasted back into a shell.
     */
    static String commandText(java.util.List<String> originalArgs) {
        StringBuilder b = new StringBuilder("hone");
        if (originalArgs.isEmpty() || !originalArgs.get(0).equals("train")) {
            b.append(" train"); // parsed as a command of its own, without hone's name for it
        }
        for (String arg : originalArgs) {
            b.append(' ').append(shellWord(arg));
        }
        return b.toString();
    }

    /** {@code arg} as a shell reads it back: as it is, or single-quoted where it holds spaces or shell characters. */
    static String shellWord(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
