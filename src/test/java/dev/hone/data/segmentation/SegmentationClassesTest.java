package dev.hone.data.segmentation;

import static dev.hone.data.segmentation.MaskFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationClassesTest {
    @TempDir Path dir;

    @Test
    void classesTxtWinsOverLabelmapAndTheFirstFolderWins() {
        Path split = dir.resolve("train");
        text(split.resolve("labelmap.txt"), "background:0,0,0::\nroad:128,64,128::\n");
        text(dir.resolve("classes.txt"), "\uFEFFsky\n\ntree\n");
        assertThat(SegmentationClasses.find(Arrays.asList(split, dir)).names()).containsExactly("background", "road");
        text(split.resolve("classes.txt"), "a\nb\n");
        assertThat(SegmentationClasses.find(Arrays.asList(split, dir)).names()).containsExactly("a", "b");
        assertThat(SegmentationClasses.find(Arrays.asList(dir, null)).names()).containsExactly("sky", "tree");
        assertThat(SegmentationClasses.find(Arrays.asList(dir.resolve("nowhere"), null))).isNull();
    }

    @Test
    void labelmapNamesAreBeforeTheFirstColonAndCommentsAreSkipped() {
        assertThat(SegmentationClasses.labelmapNames(List.of("# label:color_rgb:parts:actions", "background:0,0,0::",
                "aeroplane:128,0,0::", "", "pottedplant:0,64,0::"))).containsExactly("background", "aeroplane", "pottedplant");
    }

    @Test
    void repeatedOrTooManyNamesAreRefused() {
        text(dir.resolve("classes.txt"), "a\nb\na\n");
        assertThatThrownBy(() -> SegmentationClasses.find(List.of(dir))).isInstanceOf(HoneException.class)
                .hasMessageContaining("lists 'a' twice").hasMessageContaining(dir.resolve("classes.txt").toString());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            many.append("c").append(i).append('\n');
        }
        text(dir.resolve("classes.txt"), many.toString());
        assertThatThrownBy(() -> SegmentationClasses.find(List.of(dir))).isInstanceOf(HoneException.class)
                .hasMessageContaining("lists 256 classes");
    }

    @Test
    void numberedNames() {
        assertThat(SegmentationClasses.numbered(3)).containsExactly("class 0", "class 1", "class 2");
    }
}
