package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.train.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scans the CLI's error paths: every bad input or flag value, run through {@link Main#run}, ends with
 * exit status 2, a message that says how to fix it, and no Java stack trace. Each case fails before
 * training starts, so the whole table runs in seconds.
 */
class ErrorPathsTest {
    @TempDir
    static Path tmp;

    static Path data;
    static Path tiny2;
    static Path tiny3;
    static Path empty;
    static Path model;
    static Path notAnImage;
    static Path masks;

    /** One bad invocation and a text the message must contain (the fix, or the flag it names). */
    record Case(String name, String[] args, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void fixtures() throws IOException {
        data = SyntheticData.folder(tmp.resolve("data"), 3, 12, 1);
        tiny2 = SyntheticData.folder(tmp.resolve("tiny2"), 3, 2, 1);
        tiny3 = SyntheticData.folder(tmp.resolve("tiny3"), 3, 3, 1);
        empty = Files.createDirectories(tmp.resolve("empty"));
        model = UntrainedModel.write(tmp.resolve("model"));
        notAnImage = Files.writeString(tmp.resolve("notes.png"), "not an image");
        Files.createDirectories(tmp.resolve("outer").resolve("inner-data"));
        SyntheticData.folder(tmp.resolve("outer").resolve("inner-data"), 3, 12, 1);
        Files.writeString(Files.createDirectories(tmp.resolve("notes")).resolve("todo.txt"), "a user's file");
        try {
            masks = SegmentationEndToEndTest.scenes(tmp.resolve("masks"), 6, 1);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static String out() {
        return tmp.resolve("out").toString();
    }

    private static Case train(String name, String expected, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "resnet9"));
        if (!List.of(flags).contains("--width")) {
            args.addAll(List.of("--width", "4"));
        }
        if (!List.of(flags).contains("--data")) {
            args.addAll(List.of("--data", data.toString()));
        }
        if (!List.of(flags).contains("--out")) {
            args.addAll(List.of("--out", out()));
        }
        args.addAll(List.of(flags));
        return new Case("train " + name, args.toArray(String[]::new), expected);
    }

    private static Case cli(String name, String expected, String... args) {
        return new Case(name, args, expected);
    }

    static Stream<Case> badInputs() {
        String missing = tmp.resolve("nowhere").toString();
        return Stream.of(
                train("missing data", "nowhere", "--data", missing),
                train("empty folder", "Fix", "--data", empty.toString()),
                train("2x2 images", "at least 4x4", "--data", tiny2.toString()),
                train("3x3 images", "--model resnet18", "--data", tiny3.toString()),
                train("budget not a duration", "write it like 10m", "--budget", "abc"),
                train("budget and epochs", "give one of them", "--budget", "10m", "--epochs", "2"),
                train("epochs 0", "an integer from 1 to 10000", "--epochs", "0"),
                train("epochs not a number", "Usage:", "--epochs", "abc"),
                train("lr -1", "a number in (0, 10]", "--lr", "-1"),
                train("lr not a number", "Usage:", "--lr", "fast"),
                train("batch size 0", "an integer from 1 to 65536", "--batch-size", "0"),
                train("width 0", "an integer from 1 to 1024", "--width", "0"),
                train("val fraction 0.9", "a number in (0, 0.5)", "--val-fraction", "0.9"),
                train("weight decay 2", "a number in [0, 1)", "--weight-decay", "2"),
                train("unknown optimizer", "one of", "--optimizer", "rmsprop"),
                train("unknown schedule", "one of", "--schedule", "step"),
                train("unknown regularization", "auto or none", "--regularization", "some"),
                train("missing policy file", "leave out --policy", "--policy", missing + ".json"),
                train("missing test set", "the --test path does not exist: " + missing, "--test", missing),
                train("unknown option", "Usage:", "--frobnicate"),
                train("small stem on resnet9", "drop --small-stem", "--small-stem"),
                train("out inside data", "choose an --out outside", "--out", data.resolve("run").toString()),
                // --out is checked before the data are read: the missing data are not what these report
                train("out is a file", "exists and is not a folder", "--out", notAnImage.toString(), "--data", missing),
                train("out a folder of other files", "not empty and is not a hone run", "--out",
                        tmp.resolve("notes").toString(), "--data", missing),
                train("data inside out", "choose an --out outside", "--data",
                        tmp.resolve("outer").resolve("inner-data").toString(), "--out", tmp.resolve("outer").toString()),
                cli("train unknown model", "resnet9, resnet18", "train", "--data", data.toString(), "--model", "resnet7",
                        "--out", out()),
                cli("train missing TorchScript file", "torch.jit.script", "train", "--data", data.toString(), "--model",
                        missing + ".pt", "--out", out()),
                cli("train without --out", "Usage:", "train", "--data", data.toString(), "--model", "resnet9"),
                cli("predict top 0", "--top 1 or more", "predict", "--model-dir", model.toString(), "--top", "0",
                        data.resolve("top").resolve("0.png").toString()),
                cli("predict missing model dir", "pass the output folder of a finished training run", "predict", "--model-dir", missing,
                        data.resolve("top").resolve("0.png").toString()),
                cli("predict no images", "Usage:", "predict", "--model-dir", model.toString()),
                cli("evaluate missing model dir", "pass the output folder of a finished training run", "evaluate", "--model-dir", missing, "--data",
                        data.toString()),
                cli("evaluate missing data", "nowhere", "evaluate", "--model-dir", model.toString(), "--data", missing),
                cli("evaluate empty folder", "Fix", "evaluate", "--model-dir", model.toString(), "--data", empty.toString()),
                cli("evaluate a classifier on masks", "are images with masks (segmentation data), but the model in", "evaluate",
                        "--model-dir", model.toString(), "--data", masks.toString()),
                cli("predict --json in a missing folder", "--json's folder does not exist", "predict", "--model-dir",
                        model.toString(), "--json", tmp.resolve("nowhere").resolve("p.json").toString(),
                        data.resolve("top").resolve("0.png").toString()),
                cli("evaluate --json a folder", "--json names a folder", "evaluate", "--model-dir", model.toString(), "--data",
                        data.toString(), "--json", tmp.resolve("notes").toString()),
                train("threshold metric not understood", "is not understood. Fix: give f1", "--threshold-metric", "precision"),
                cli("explain missing run", "Fix", "explain", missing),
                cli("demo budget and epochs", "give one of them", "demo", "--budget", "1m", "--epochs", "1", "--out", out()),
                cli("unknown command", "Usage:", "fly"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void failsWithOneClearMessageAndNoStackTrace(Case c) {
        Cli.Outcome o = Cli.run(c.args());
        String all = o.out() + o.err();
        assertThat(o.status()).as(all).isEqualTo(2);
        assertThat(o.err()).as(all).contains(c.expected());
        assertThat(all).doesNotContain("\tat ").doesNotContain("Exception in thread").doesNotContain("java.lang.")
                .doesNotContain("Caused by");
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
