package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherWeightsTest {
    @TempDir
    Path tmp;

    @Test
    void weightsReadBackAsWrittenAndNoTemporaryFileIsLeft() {
        float[][] w = {{1.5f, -2f, Float.MIN_VALUE}, {}, {3f}};
        Path file = tmp.resolve("teacher.weights");
        TeacherWeights.write(file, w);
        assertThat(TeacherWeights.read(file)).isDeepEqualTo(w);
        assertThat(tmp.resolve("teacher.weights.tmp")).doesNotExist();
    }

    @Test
    void anotherFileIsRefusedWithItsName() throws Exception {
        Path file = Files.writeString(tmp.resolve("teacher.weights"), "not weights at all");
        assertThatThrownBy(() -> TeacherWeights.read(file)).isInstanceOf(HoneException.class)
                .hasMessageContaining("teacher.weights").hasMessageContaining("--resume");
    }
}
