package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final String IMG = "<img src=\"data:image/png;base64,";

    @TempDir
    Path dir;

    @Test
    void reportOfASmallRunIsSelfContainedAndEscaped() throws IOException {
        ImageSet set = SyntheticRun.images();
        Evaluation evaluation = SyntheticRun.evaluation(set);
        Path file = dir.resolve("run/report.html");

        ReportWriter.write(file, SyntheticRun.record(), evaluation, set);

        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        for (Decision<?> d : SyntheticRun.decisions()) {
            assertThat(html).contains(">" + d.name() + "<").contains("badge " + d.origin());
        }
        assertThat(html).contains("lr-range-test", "steepest descent of the smoothed loss",
                SyntheticRun.STOP_REASON, "75.00%", "Confusion matrix", "Per class", "Most confident mistakes");
        // the hostile class name and paths appear only escaped
        assertThat(html).contains("&lt;b&gt;&amp;&quot;x&quot;").doesNotContain("<b>&\"x\"");
        assertThat(html).contains("/data/&lt;test&gt;/img&amp;5.png").doesNotContain("<test>");
        // 2 curves + one tile per mistake (3 wrong predictions)
        assertThat(count(html, IMG)).isEqualTo(2 + evaluation.worst().size()).isEqualTo(5);
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "<link");
        assertEmbeddedImagesDecode(html);
    }

    @Test
    void withoutImagesOrEvaluationTheGridAndTestSectionAreLeftOut() {
        ImageSet set = SyntheticRun.images();

        String noImages = ReportWriter.render(SyntheticRun.record(), SyntheticRun.evaluation(set), null);
        String noEvaluation = ReportWriter.render(SyntheticRun.record(), null, null);

        assertThat(noImages).contains("Confusion matrix").doesNotContain("<figure");
        assertThat(count(noImages, IMG)).isEqualTo(2);
        assertThat(noEvaluation).doesNotContain("Confusion matrix").contains("75.00%"); // headline from the record
    }

    @Test
    void aTestSampledForTheBudgetIsSaidUnderTheHeadline() {
        TrainingRecord s = SyntheticRun.record();
        TrainingRecord sampled = SyntheticRun.sampledRecord();
        assertThat(ReportWriter.render(sampled, null, null)).contains("a sample of 1000 of the 10000 test images");
        assertThat(ReportWriter.render(s, null, null)).doesNotContain("a sample of");
    }

    @Test
    void versionOneRecordRenders() throws Exception {
        String html = ReportWriter.render(RecordIo.readRecord(RecordIoTest.fixture()), null, null);

        assertThat(html).contains("gradient-noise-scale", "54000", "completed 4 epochs", "12m 38s", "98.53%");
    }

    private static void assertEmbeddedImagesDecode(String html) throws IOException {
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int decoded = 0;
        while (m.find()) {
            assertThat(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))))).isNotNull();
            decoded++;
        }
        assertThat(decoded).isEqualTo(5);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    /** A class without test images reads n/a with a warning; an accuracy at chance level is marked on the card. */
    @Test
    void classWithoutTestImagesAndChanceLevelAreShown() {
        ImageSet set = new ImageSet(new byte[4], new int[] {0, 0, 1, 1}, 1, 1, 1, java.util.List.of("a", "b", "c"),
                i -> "x" + i + ".png");
        float[][] p = {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 1, 0}};
        Evaluation evaluation = EvaluationMetrics.compute("test", set, p, 0.1, 3);

        String html = ReportWriter.render(SyntheticRun.record(), evaluation, set);
        String explained = Explainer.explain(SyntheticRun.record(), evaluation);

        assertThat(html).contains("<td>c</td><td>n/a</td><td>n/a</td><td>n/a</td><td>0</td>")
                .contains("macro F1 1.0000").contains("Warning: class c has no test images")
                .contains("no better than chance").contains("majority class &#39;a&#39; 50.00%");
        assertThat(explained).contains("macro F1 1.0000").contains("warning: class c has no test images")
                .contains("NOT significantly above it");
    }
}
