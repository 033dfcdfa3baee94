package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segmentation data under other folder names, and flags that mean nothing or something wrong for masks. */
class SegmentationFlagsTest {
    @TempDir
    Path tmp;

    @Test
    void vocFolderNamesAreCaughtWithTheRename() throws Exception {
        Path data = SegmentationEndToEndTest.scenes(tmp.resolve("voc"), 6, 1);
        Files.move(data.resolve("images"), data.resolve("JPEGImages"));
        Files.move(data.resolve("masks"), data.resolve("SegmentationClass"));
        Cli.Outcome o = Cli.run("train", "--data", data.toString(), "--model", "unet", "--epochs", "1", "--out",
                tmp.resolve("out").toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("rename SegmentationClass/ to masks/").contains("JPEGImages/ to images/").doesNotContain("\tat ");
    }

    @Test
    void classificationFlagsAndAnIgnoreIndexThatIsAClassAreRefused() throws Exception {
        Path data = SegmentationEndToEndTest.scenes(tmp.resolve("seg"), 8, 2);
        Cli.Outcome threshold = Cli.run("train", "--data", data.toString(), "--model", "unet", "--epochs", "1",
                "--threshold-metric", "recall>=0.8", "--out", tmp.resolve("a").toString());
        assertThat(threshold.status()).isEqualTo(2);
        assertThat(threshold.err()).contains("--threshold-metric applies to image-level labels").contains("drop --threshold-metric");
        Cli.Outcome ignore = Cli.run("train", "--data", data.toString(), "--model", "unet", "--epochs", "1", "--ignore-index", "1",
                "--out", tmp.resolve("b").toString());
        assertThat(ignore.status()).isEqualTo(2);
        assertThat(ignore.err()).contains("--ignore-index 1 is the index of class 'square'");
    }

    @Test
    void theIgnoreIndexIsSavedWithTheModelSoEvaluateReadsTheSameMasks() throws Exception {
        Path data = SegmentationEndToEndTest.scenes(tmp.resolve("ign"), 24, 5);
        try (var masks = Files.list(data.resolve("masks"))) {
            for (Path m : masks.toList()) { // a one-pixel frame of value 9, the data's "ignore"
                java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(m.toFile());
                for (int x = 0; x < img.getWidth(); x++) {
                    img.getRaster().setSample(x, 0, 0, 9);
                }
                javax.imageio.ImageIO.write(img, "png", m.toFile());
            }
        }
        Path out = tmp.resolve("ign-run");
        Cli.Outcome run = Cli.run("train", "--data", data.toString(), "--model", "unet", "--width", "4", "--epochs", "1",
                "--ignore-index", "9", "--regularization", "none", "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.readString(out.resolve("model").resolve("hone-model.json"))).contains("\"ignoreIndex\" : 9");
        Cli.Outcome evaluate = Cli.run("evaluate", "--model-dir", out.toString(), "--data", data.toString());
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("mIoU");
    }
}
