package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.models.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's label-change test: classes "left" and "right" are mirror images of each other, so a
 * horizontal flip turns one into the other. The distance analysis must veto flip, so that no trial
 * spends time on it, and the search must not choose it.
 */
class FlipRejectionTest {
    private static final List<String> CLASSES = List.of("left", "right", "top");
    private static final int SIZE = 16;

    /** Bright in its left half, right half or top half, with noise and a random stripe so no two match. */
    static ImageSet mirrored(int perClass, long seed) {
        Random r = new Random(seed);
        int n = perClass * CLASSES.size();
        byte[] px = new byte[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES.size();
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    boolean on = switch (labels[i]) {
                        case 0 -> x < SIZE / 2 - 1;
                        case 1 -> x > SIZE / 2;
                        default -> y < SIZE / 2 - 1;
                    };
                    int v = (on ? 170 : 60) + (int) (r.nextGaussian() * 45);
                    px[i * SIZE * SIZE + y * SIZE + x] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return new ImageSet(px, labels, 1, SIZE, SIZE, CLASSES, i -> "mirrored#" + i);
    }

    /** A narrow resnet9 on the mirrored images, AdamW at 3e-3, batch 16. */
    private static TrialRunner.Setup setup(ImageSet train, long seed, Path tmp) {
        return new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(8), new Shape(1, SIZE, SIZE), 3,
                dev.hone.tasks.SingleLabel.INSTANCE, "adamw", 3e-3, 0.05, 16, 0, seed, Normalization.of(train),
                Engine.getInstance().defaultDevice(), tmp.resolve("scratch"));
    }

    @Test
    void aFlipThatChangesTheLabelIsVetoedBeforeAnyTrial(@TempDir Path tmp) {
        ImageSet train = mirrored(70, 1);
        ImageSet validation = mirrored(70, 2); // 210 images: the search scores on at least 200
        TrialRunner.Setup setup = setup(train, 7L, tmp);

        RegularizationLearner.Result r = RegularizationLearner.learn(setup, train, validation, false, 0, 0, 1_000_000);

        assertThat(r.policy().augmentation().steps()).noneMatch(s -> s.transform().equals("flip-horizontal"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> distances = (List<Map<String, Object>>) r.decisions().get(0).evidence().get("distances");
        Map<String, Object> flip = distances.stream().filter(d -> d.get("transform").equals("flip-horizontal")).findFirst().orElseThrow();
        // the warm-up model tells left from right, so a flip moves two classes of three to the other: vetoed before any trial
        assertThat((Double) flip.get("classChange")).as("%s", distances).isGreaterThan(DistanceGroups.LABEL_CHANGE);
        assertThat(flip.get("vetoed")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> trials = (List<Map<String, Object>>) r.decisions().get(0).evidence().get("trials");
        assertThat(trials).noneMatch(t -> String.valueOf(t.get("policy")).contains("flip-horizontal"));
        // and label-preserving pairs were not vetoed wholesale
        assertThat(distances).filteredOn(d -> Boolean.FALSE.equals(d.get("vetoed"))).hasSizeGreaterThan(distances.size() / 2);
    }

    @Test
    void theSameSeedGivesTheSamePolicyAndTheSameTrials(@TempDir Path tmp) {
        ImageSet train = mirrored(70, 3);
        ImageSet validation = mirrored(70, 4);
        TrialRunner.Setup setup = setup(train, 11L, tmp);
        // a smaller final run than the flip test's, so the search gets fewer trials and the test stays short
        RegularizationLearner.Result first = RegularizationLearner.learn(setup, train, validation, false, 0, 0, 60_000);
        RegularizationLearner.Result second = RegularizationLearner.learn(setup, train, validation, false, 0, 0, 60_000);

        assertThat(second.policy()).isEqualTo(first.policy());
        assertThat(trials(second)).as("every trial's candidate, score and comparison").isEqualTo(trials(first));
        assertThat(trials(first)).as("the search must have run trials, else this test proves nothing").isNotEmpty();
    }

    /** The trial table without wall times, which differ from run to run. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> trials(RegularizationLearner.Result r) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.decisions().get(0).evidence().get("trials");
        return rows.stream().map(row -> {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(row);
            copy.remove("seconds");
            return (Map<String, Object>) copy;
        }).toList();
    }
}
