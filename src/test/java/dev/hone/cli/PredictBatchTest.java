package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.train.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone predict}: one bad file among many is named and skipped; --top counts classes shown. */
class PredictBatchTest {
    @TempDir
    static Path tmp;

    static Path model;
    static Path data;

    @BeforeAll
    static void fixtures() {
        model = UntrainedModel.write(tmp.resolve("run"));
        data = SyntheticData.folder(tmp.resolve("d"), 2, 8, 1);
    }

    private static String image(String cls, int i) {
        return data.resolve(cls).resolve(i + ".png").toString();
    }

    @Test
    void oneBadFileIsReportedAndTheOthersArePredicted() throws IOException {
        Path bad = Files.writeString(tmp.resolve("notes.png"), "not an image");
        Path missing = tmp.resolve("gone.png");
        Cli.Outcome o = Cli.run("predict", "--model-dir", model.toString(), image("top", 0), bad.toString(),
                image("left", 1), missing.toString());
        assertThat(o.status()).as(o.err()).isEqualTo(1);
        String[] predicted = o.out().strip().split("\\R");
        assertThat(predicted).hasSize(2);
        assertThat(predicted[0]).startsWith(image("top", 0) + ": ");
        assertThat(predicted[1]).startsWith(image("left", 1) + ": ");
        String[] errors = o.err().strip().split("\\R");
        assertThat(errors).hasSize(2);
        assertThat(errors[0]).startsWith("hone: skipped " + bad + ": ").contains("Fix");
        assertThat(errors[1]).startsWith("hone: skipped " + missing + ": ");
        assertThat(o.err()).doesNotContain("\tat ").doesNotContain("java.lang.");
    }

    @Test
    void allGoodExitsZeroAndAllBadPredictsNothing() throws IOException {
        Cli.Outcome good = Cli.run("predict", "--model-dir", model.toString(), image("top", 0), image("diagonal", 1));
        assertThat(good.status()).as(good.err()).isZero();
        assertThat(good.err()).isEmpty();
        assertThat(good.out().strip().split("\\R")).hasSize(2);

        Path bad = Files.writeString(tmp.resolve("empty.jpg"), "");
        Cli.Outcome none = Cli.run("predict", "--model-dir", model.toString(), bad.toString());
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).startsWith("hone: skipped " + bad + ": ");
    }

    @Test
    void topCountsTheClassesShownAndAboveTheClassCountShowsAll() {
        Cli.Outcome one = Cli.run("predict", "--model-dir", model.toString(), "--top", "1", image("top", 0));
        assertThat(one.status()).isZero();
        assertThat(one.out().strip().split(", ")).hasSize(1);
        Cli.Outcome all = Cli.run("predict", "--model-dir", model.toString(), "--top", "99", image("top", 0));
        assertThat(all.status()).isZero();
        String line = all.out().strip();
        assertThat(line.split(", ")).hasSize(SyntheticData.CLASSES.size());
        double sum = Arrays.stream(line.substring(line.indexOf(": ") + 2).split(", "))
                .mapToDouble(s -> Double.parseDouble(s.substring(s.lastIndexOf(' ') + 1))).sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));

        Cli.Outcome zero = Cli.run("predict", "--model-dir", model.toString(), "--top", "0", image("top", 0));
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.out()).isEmpty();
        assertThat(zero.err()).contains("--top 0").contains("Fix: give --top 1 or more");
    }

    @Test
    void aFolderIsCalledAFolderAndTheHelpListsEveryFormatRead() {
        Cli.Outcome o = Cli.run("predict", "--model-dir", model.toString(), data.resolve("top").toString(), image("top", 0));
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.out().strip().split("\\R")).hasSize(1);
        assertThat(o.err().strip()).isEqualTo("hone: skipped " + data.resolve("top") + ": this is a folder, not an image file: "
                + data.resolve("top") + ". Fix: name the image files in it, e.g. " + data.resolve("top").resolve("*"));

        Cli.Outcome help = Cli.run("predict", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("image files: PNG, JPEG, BMP, GIF, TIFF or WebP").doesNotContain("PNG or JPEG files");
    }
}
