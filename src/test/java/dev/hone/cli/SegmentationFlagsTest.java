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
}
