package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Noisy Student's filtering and balancing on small hand-made teacher outputs; no DJL. */
class PseudoLabelsTest {

    /** A row with {@code p} on class c and the rest spread evenly over the other k - 1. */
    private static float[] row(int k, int c, float p) {
        float[] r = new float[k];
        Arrays.fill(r, (1 - p) / (k - 1));
        r[c] = p;
        return r;
    }

    /**
     * 4 classes. Class 0: five images (confidences .9 .8 .7 .6 .28; the last is filtered). Class 1:
     * two images (.95 .5). Class 2: one image (.29, filtered). Class 3: none. Kept counts 4, 2, 0, 0;
     * the median of the non-empty ones is 3.
     */
    private static float[][] teacher() {
        return new float[][] {
            row(4, 0, 0.7f), row(4, 1, 0.95f), row(4, 0, 0.9f), row(4, 0, 0.28f), row(4, 2, 0.29f),
            row(4, 0, 0.6f), row(4, 1, 0.5f), row(4, 0, 0.8f),
        };
    }

    private static PseudoLabels.Builder paper(long seed) {
        return PseudoLabels.builder().setSeed(seed);
    }

    @Test
    void thresholdsThenTruncatesFullClassesToTheMostConfident() {
        PseudoLabelSelection s = paper(1).build().select(teacher());
        assertThat(s.predictedCounts()).containsExactly(5, 2, 1, 0);
        assertThat(s.keptCounts()).containsExactly(4, 2, 0, 0);
        assertThat(s.perClass()).isEqualTo(3);
        assertThat(s.balancedCounts()).containsExactly(3, 3, 0, 0);
        assertThat(s.filtered()).isEqualTo(2);
        // class 0 keeps .9, .8, .7 (rows 2, 7, 0) and drops .6 (row 5)
        assertThat(Arrays.copyOfRange(s.indices(), 0, 3)).containsExactly(2, 7, 0);
        // class 1 has rows 1 and 6 once each, then one of them again
        assertThat(Arrays.copyOfRange(s.indices(), 3, 5)).containsExactly(1, 6);
        assertThat(s.indices()[5]).isIn(1, 6);
        assertThat(s.classes()).containsExactly(0, 0, 0, 1, 1, 1);
        assertThat(s.size()).isEqualTo(6);
    }

    @Test
    void underFullClassesAreDuplicatedEvenlyToM() {
        PseudoLabelSelection s = paper(7).optPerClass(7).build().select(teacher());
        assertThat(s.balancedCounts()).containsExactly(7, 7, 0, 0);
        Map<Integer, Integer> copies = new HashMap<>();
        for (int i : s.indices()) {
            copies.merge(i, 1, Integer::sum);
        }
        // class 0: 4 images to 7 means each once, then 3 of the 4 a second time
        assertThat(copies.get(2) + copies.get(7) + copies.get(0) + copies.get(5)).isEqualTo(7);
        assertThat(copies.values()).allMatch(c -> c >= 1);
        assertThat(IntStream.of(2, 7, 0, 5).map(copies::get).max().getAsInt()).isEqualTo(2);
        // class 1: 2 images to 7 means 3 copies each, then one of them a fourth time
        assertThat(copies.get(1) + copies.get(6)).isEqualTo(7);
        assertThat(Math.abs(copies.get(1) - copies.get(6))).isEqualTo(1);
        assertThat(copies).doesNotContainKeys(3, 4);
    }

    @Test
    void theSameSeedGivesTheSameSelection() {
        float[][] t = new float[200][];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < t.length; i++) {
            t[i] = row(4, r.nextInt(4), 0.3f + 0.7f * (float) r.nextDouble());
        }
        PseudoLabelSelection a = paper(42).optPerClass(90).build().select(t);
        PseudoLabelSelection b = paper(42).optPerClass(90).build().select(t);
        assertThat(a.indices()).containsExactly(b.indices());
        boolean anyDifferent = false;
        for (long seed = 43; seed < 53 && !anyDifferent; seed++) {
            anyDifferent = !Arrays.equals(a.indices(), paper(seed).optPerClass(90).build().select(t).indices());
        }
        assertThat(anyDifferent).as("another seed duplicates other images").isTrue();
    }

    @Test
    void softTargetsAreTheTeachersRowsAndHardOnesOneHot() {
        float[][] t = teacher();
        PseudoLabelSelection soft = paper(1).build().select(t);
        PseudoLabelSelection hard = paper(1).optSoftTargets(false).build().select(t);
        assertThat(soft.soft()).isTrue();
        assertThat(hard.soft()).isFalse();
        assertThat(hard.indices()).containsExactly(soft.indices());
        for (int j = 0; j < soft.size(); j++) {
            assertThat(soft.targets()[j]).containsExactly(t[soft.indices()[j]]);
            float[] oneHot = new float[4];
            oneHot[soft.classes()[j]] = 1;
            assertThat(hard.targets()[j]).containsExactly(oneHot);
        }
    }

    @Test
    void histogramCountsEveryImageOnceIncludingConfidenceOne() {
        float[][] t = {row(2, 0, 1f), row(2, 1, 0.5f), row(2, 0, 0.52f), row(2, 1, 0.77f), row(2, 0, 0.99f)};
        PseudoLabelSelection s = paper(1).build().select(t);
        int[] h = s.histogram();
        assertThat(h).hasSize(PseudoLabels.HISTOGRAM_BINS);
        assertThat(Arrays.stream(h).sum()).isEqualTo(t.length);
        assertThat(h[19]).isEqualTo(2); // 0.99 and 1.0
        assertThat(h[10]).isEqualTo(2); // 0.5 and 0.52
        assertThat(h[15]).isEqualTo(1); // 0.77
    }

    @Test
    void unbalancedKeepsEachImageAboveTheThresholdOnce() {
        PseudoLabelSelection s = paper(1).optUnbalanced().optThreshold(0.55).build().select(teacher());
        assertThat(s.perClass()).isEqualTo(-1);
        assertThat(s.indices()).containsExactly(2, 7, 0, 5, 1);
        assertThat(s.threshold()).isEqualTo(0.55);
    }

    @Test
    void theMedianIgnoresEmptyClassesAndRoundsUp() {
        assertThat(PseudoLabels.median(new int[] {0, 4, 2, 0})).isEqualTo(3);
        assertThat(PseudoLabels.median(new int[] {5, 1, 9})).isEqualTo(5);
        assertThat(PseudoLabels.median(new int[] {1, 2})).isEqualTo(2);
        assertThat(PseudoLabels.median(new int[] {0, 0})).isZero();
    }

    @Test
    void resultIsImmutable() {
        PseudoLabelSelection s = paper(1).build().select(teacher());
        s.indices()[0] = 99;
        s.targets()[0][0] = 99;
        s.histogram()[0] = 99;
        assertThat(s.indices()[0]).isEqualTo(2);
        assertThat(s.targets()[0][0]).isNotEqualTo(99f);
        assertThat(s.histogram()[0]).isZero();
    }

    @Test
    void refusesLogitsRaggedRowsMissingSeedsAndBadOptions() {
        PseudoLabels p = paper(1).build();
        assertThatThrownBy(() -> p.select(new float[][] {{2f, -1f}})).hasMessageContaining("not a probability");
        assertThatThrownBy(() -> p.select(new float[][] {{0.5f, 0.2f}})).hasMessageContaining("single-label");
        assertThatThrownBy(() -> p.select(new float[][] {{0.5f, 0.5f}, {1f}})).hasMessageContaining("row 1");
        assertThatThrownBy(() -> p.select(new float[0][])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PseudoLabels.builder().build()).hasMessageContaining("setSeed");
        assertThatThrownBy(() -> PseudoLabels.builder().optThreshold(1)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> PseudoLabels.builder().optPerClass(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
