package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binary and multi-label runs end to end on tiny generated images: the task is inferred and
 * recorded, thresholds are learned and saved, evaluation.json has the task's metrics, and predict
 * and evaluate apply the saved thresholds.
 */
class TasksEndToEndTest {
    @TempDir
    Path tmp;

    /** A 12x12 grey image with a bright bar in each quarter named by {@code marks} (0 top, 1 left, 2 bottom). */
    private static BufferedImage scene(boolean[] marks, Random r) {
        BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
                boolean on = (marks[0] && y < 3) || (marks[1] && x < 3) || (marks[2] && y >= 9);
                img.getRaster().setSample(x, y, 0, (on ? 200 : 20) + r.nextInt(30));
            }
        }
        return img;
    }

    @Test
    void multiLabelManifestTrainsScoresAndPredictsLabelSets() throws Exception {
        Random r = new Random(5);
        String[] names = {"top", "left", "bottom"};
        List<String> rows = new ArrayList<>(List.of("path,labels"));
        Files.createDirectories(tmp.resolve("img"));
        // enough images (a training split of at least 128) for the probes to run on the task's loss
        for (int i = 0; i < 220; i++) {
            boolean[] marks = {r.nextBoolean(), r.nextBoolean(), r.nextInt(4) == 0};
            ImageIO.write(scene(marks, r), "png", tmp.resolve("img/" + i + ".png").toFile());
            List<String> set = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                if (marks[k]) {
                    set.add(names[k]);
                }
            }
            rows.add("img/" + i + ".png," + String.join(";", set));
        }
        Path csv = Files.write(tmp.resolve("scenes.csv"), rows);
        Path out = tmp.resolve("ml");
        Cli.Outcome run = Cli.run("train", "--data", csv.toString(), "--model", "resnet9", "--width", "8", "--epochs", "6",
                "--regularization", "none", "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("test mAP:");
        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(eval.get("task").asText()).isEqualTo("multi-label");
        // prevalences are 0.25-0.5, so a random ranking scores about 0.4; with probes learning batch and lr it reached 0.64
        assertThat(eval.get("taskMetrics").get("mAP").asDouble()).isGreaterThan(0.55);
        assertThat(eval.get("taskMetrics").get("perClass")).hasSize(3);
        JsonNode model = Json.mapper().readTree(out.resolve("model/hone-model.json").toFile());
        assertThat(model.get("task").asText()).isEqualTo("multi-label");
        assertThat(model.get("thresholds")).hasSize(3);
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        assertThat(record.toString()).contains("\"name\":\"task\"").contains("\"name\":\"thresholds\"");
        // the batch-size, learning-rate and schedule learners ran unchanged on the multi-label loss (the range test
        // may read no valley on this tiny network, whose loss can still fall at the sweep's last rate: then its
        // decision is the rule's rate, but the range test ran)
        for (JsonNode d : record.get("decisions")) {
            String name = d.get("name").asText();
            if (name.equals("batch-size") || name.equals("schedule")) {
                assertThat(d.get("origin").asText()).as(name + ": " + d.get("rationale").asText()).isEqualTo("LEARNED");
            } else if (name.equals("lr")) {
                assertThat(d.get("method").asText()).as(d.get("rationale").asText()).isEqualTo("range-test");
                assertThat(d.get("evidence").get("smoothedLoss").size()).isGreaterThanOrEqualTo(10);
            }
        }
        // the worst mistakes are the test images whose label set is wrong: some unless every set is right (the run's
        // batch and rate come from timed probes, so a loaded machine can train another model from the same seed)
        assertThat(eval.get("worst").size() > 0).as("worst mistakes listed").isEqualTo(eval.get("accuracy").asDouble() < 1);

        Path json = tmp.resolve("p.json");
        Cli.Outcome predict = Cli.run("predict", "--model-dir", out.toString(), "--json", json.toString(),
                tmp.resolve("img/0.png").toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        JsonNode p = Json.mapper().readTree(json.toFile());
        assertThat(p.get(0).get("task").asText()).isEqualTo("multi-label");
        assertThat(p.get(0).get("probabilities")).hasSize(3);
        // the learned thresholds come first, so a class predicted below another's probability is explained
        assertThat(predict.out()).startsWith("thresholds: ").contains("(chosen on validation): each class is predicted at"
                + " its own or more");
        if (eval.get("worst").size() > 0) {
            assertThat(eval.get("worst").get(0).has("loss")).as("a multi-label image's loss is named loss").isTrue();
            assertThat(eval.get("worst").get(0).has("confidence")).isFalse();
        }

        Cli.Outcome evaluate = Cli.run("evaluate", "--model-dir", out.toString(), "--data", csv.toString(), "--label-delimiter",
                ";");
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        // the manifest has no test split: all of it is scored, and not called a test
        assertThat(evaluate.out()).startsWith("mAP:").doesNotContain("test mAP");
        assertThat(evaluate.err()).contains("warning: the data " + csv).contains("are the images this model was trained from");

        // class folders (one label per image) evaluate the multi-label model as sets of one, every class with its positives
        Path folders = tmp.resolve("singles");
        for (int i = 1; i < rows.size(); i++) {
            String[] row = rows.get(i).split(",", -1);
            if (!row[1].isEmpty() && !row[1].contains(";")) {
                Path to = folders.resolve(row[1]).resolve(i + ".png");
                Files.createDirectories(to.getParent());
                Files.copy(tmp.resolve(row[0]), to);
            }
        }
        Path singles = tmp.resolve("singles.json");
        Cli.Outcome bySet = Cli.run("evaluate", "--model-dir", out.toString(), "--data", folders.toString(), "--json",
                singles.toString());
        assertThat(bySet.status()).as(bySet.err()).isZero();
        assertThat(bySet.err()).doesNotContain("no positive test example");
        List<String> present = new ArrayList<>();
        try (var dirs = Files.list(folders)) {
            dirs.forEach(d -> present.add(d.getFileName().toString()));
        }
        assertThat(present).hasSizeGreaterThanOrEqualTo(2);
        for (JsonNode c : Json.mapper().readTree(singles.toFile()).get("taskMetrics").get("perClass")) {
            if (present.contains(c.get("class").asText())) {
                assertThat(c.get("support").asInt()).as(c.toString()).isPositive();
            }
        }
    }

    @Test
    void twoClassesTrainAsBinaryWithALearnedThresholdAndCalibration() throws Exception {
        Random r = new Random(6);
        for (String c : new String[] {"other", "top"}) {
            Files.createDirectories(tmp.resolve("bin/" + c));
            int n = c.equals("top") ? 30 : 90;
            for (int i = 0; i < n; i++) {
                ImageIO.write(scene(new boolean[] {c.equals("top"), r.nextBoolean(), false}, r), "png",
                        tmp.resolve("bin/" + c + "/" + i + ".png").toFile());
            }
        }
        Path out = tmp.resolve("binary");
        Cli.Outcome run = Cli.run("train", "--data", tmp.resolve("bin").toString(), "--model", "resnet9", "--width", "8",
                "--epochs", "4", "--regularization", "none", "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("test ROC-AUC:").contains("positive class 'top'");
        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(eval.get("task").asText()).isEqualTo("binary");
        JsonNode m = eval.get("taskMetrics");
        assertThat(m.get("positiveClass").asText()).isEqualTo("top");
        assertThat(m.get("rocAuc").asDouble()).isGreaterThan(0.9);
        assertThat(m.has("ece")).isTrue();
        assertThat(m.get("reliability")).hasSize(15);
        assertThat(m.get("atThreshold").has("f1")).isTrue();
        assertThat(m.get("atHalf").has("f1")).isTrue();
        JsonNode model = Json.mapper().readTree(out.resolve("model/hone-model.json").toFile());
        assertThat(model.get("positive").asInt()).isEqualTo(1);
        assertThat(model.get("thresholds")).hasSize(1);

        Cli.Outcome predict = Cli.run("predict", "--model-dir", out.toString(), tmp.resolve("bin/top/0.png").toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out()).startsWith(String.format(java.util.Locale.ROOT, "threshold: top %.3f (chosen on validation):"
                + " the positive class is predicted at this probability or more", model.get("thresholds").get(0).asDouble()));
    }
}
