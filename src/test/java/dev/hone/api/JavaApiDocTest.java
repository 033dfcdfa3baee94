package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.train.SyntheticData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The complete program in {@code docs/java-api.md} compiles against hone as it is, and runs: it trains and
 * predicts an image. Only its training length is shortened (one epoch instead of a 30-second budget) and
 * its data are tiny generated images, so the test takes seconds.
 */
class JavaApiDocTest {
    static final Path DOC = Path.of("docs", "java-api.md");
    static final String BUDGET = ".optBudget(Duration.ofSeconds(30))";

    @TempDir
    Path tmp;

    @Test
    void theDocumentedProgramCompilesTrainsAndPredicts() throws Exception {
        String program = program(Files.readString(DOC), "class TrainAndPredict");
        assertThat(program).as("the documented program trains with " + BUDGET + "; update this test with it").contains(BUDGET);
        Path source = Files.createDirectories(tmp.resolve("src")).resolve("TrainAndPredict.java");
        Files.writeString(source, program.replace(BUDGET, ".optEpochs(1).optWidth(8)"));
        Path classes = Files.createDirectories(tmp.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "-Xlint:all", "-Werror", source.toString());
        assertThat(status).as("javac: " + errors.toString(StandardCharsets.UTF_8)).isZero();

        Path data = SyntheticData.folder(tmp.resolve("images"), 20, 12, 8);
        Path image = data.resolve("left").resolve("0.png");
        String printed = run(classes, List.of(data.toString(), image.toString(), tmp.resolve("run").toString()));

        assertThat(printed).contains("decision: batch-size").contains("test accuracy").contains(image + ": ");
        assertThat(tmp.resolve("run").resolve("model").resolve("hone-model.json")).exists();
    }

    @Test
    void theReadmeProgramCompiles() throws Exception {
        String lines = program(Files.readString(Path.of("README.md")), "Hone.trainer()");
        String source = "import ai.djl.modality.cv.ImageFactory;\nimport dev.hone.api.*;\nimport java.nio.file.Path;\n"
                + "import java.time.Duration;\n\npublic class ReadmeProgram {\n    public static void main(String[] args) throws Exception {\n"
                + lines + "    }\n}\n";
        Path file = Files.createDirectories(tmp.resolve("readme")).resolve("ReadmeProgram.java");
        Files.writeString(file, source);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-d", tmp.resolve("readme").toString(),
                "-cp", System.getProperty("java.class.path"), file.toString());
        assertThat(status).as("javac: " + errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** The fenced Java block of {@code markdown} that contains {@code marker}. */
    static String program(String markdown, String marker) {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            if (m.group(1).contains(marker)) {
                return m.group(1);
            }
        }
        throw new AssertionError("no ```java block with " + marker);
    }

    /** Runs the compiled program's main in this JVM and returns what it printed. */
    private static String run(Path classes, List<String> args) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, JavaApiDocTest.class.getClassLoader())) {
            Method main = loader.loadClass("TrainAndPredict").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
