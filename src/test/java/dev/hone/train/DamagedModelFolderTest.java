package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model folder whose hone-model.json is damaged is refused naming the file and the fix, not with a parser's trace. */
class DamagedModelFolderTest {
    @TempDir
    Path tmp;

    private Path model(String json) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run").resolve("model"));
        Files.writeString(dir.resolve(ModelDescriptor.FILE), json);
        return tmp.resolve("run");
    }

    @Test
    void invalidJsonIsRefusedWithWhereItBreaks() throws Exception {
        Path run = model("{not json");
        assertThatThrownBy(() -> ModelDescriptor.read(run)).isInstanceOf(HoneException.class)
                .hasMessageStartingWith("the model's description cannot be read (Unexpected character ('n'")
                .hasMessageContaining("at line 1, column 2").hasMessageContaining(ModelDescriptor.FILE)
                .hasMessageContaining("Fix: train again").message().doesNotContain("Source:");
    }

    @Test
    void aTruncatedFileNamesNoParserInternals() throws Exception {
        Path run = model("{\"formatVersion\": 1, \"classes\": [\"a\"");
        assertThatThrownBy(() -> ModelDescriptor.read(run)).isInstanceOf(HoneException.class)
                .hasMessageContaining("Unexpected end-of-input").message().doesNotContain("Source:").doesNotContain("REDACTED");
    }

    @Test
    void missingFieldsAreNamed() throws Exception {
        Path run = model("{}");
        assertThatThrownBy(() -> ModelDescriptor.read(run)).isInstanceOf(HoneException.class)
                .hasMessageStartingWith("the model's description lacks model, input, normalization, classes: ");
        assertThat(Files.exists(run)).isTrue();
    }

    @Test
    void anUnfinishedRunIsNamedWithItsWorkFolderAndTheResume() throws Exception {
        Path work = Files.createDirectories(tmp.resolve(".unfinished.partial"));
        assertThatThrownBy(() -> ModelDescriptor.read(tmp.resolve("unfinished"))).isInstanceOf(HoneException.class)
                .hasMessageContaining("has not finished: its work so far is in " + work).hasMessageContaining("--resume");
    }
}
