package dev.hone.data.multilabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IterativeStratificationTest {

    /** 60 images: label 0 on every other one, labels 1-6 rare (2, 2, 2, 3, 2 and 4 positives), some together. */
    static boolean[][] rareLabels() {
        boolean[][] t = new boolean[60][7];
        for (int i = 0; i < 60; i += 2) {
            t[i][0] = true;
        }
        int[][] rare = {{1, 3}, {5, 40}, {7, 41}, {7, 12, 50}, {13, 33}, {3, 20, 21, 59}};
        for (int k = 0; k < rare.length; k++) {
            for (int i : rare[k]) {
                t[i][k + 1] = true;
            }
        }
        return t;
    }

    /** Labels with decaying frequencies (40 % down to 2 %), drawn independently; some images have none. */
    static boolean[][] synthetic(int n, long seed) {
        double[] p = {0.4, 0.3, 0.2, 0.15, 0.1, 0.08, 0.05, 0.04, 0.03, 0.02};
        Random r = new Random(seed);
        boolean[][] t = new boolean[n][p.length];
        for (boolean[] row : t) {
            for (int k = 0; k < p.length; k++) {
                row[k] = r.nextDouble() < p[k];
            }
        }
        return t;
    }

    static IterativeStratification.Split randomSplit(int n, double fraction, long seed) {
        List<Integer> order = new java.util.ArrayList<>(IntStream.range(0, n).boxed().toList());
        java.util.Collections.shuffle(order, new Random(seed));
        int held = (int) Math.round(n * fraction);
        return new IterativeStratification.Split(order.subList(held, n).stream().mapToInt(i -> i).sorted().toArray(),
                order.subList(0, held).stream().mapToInt(i -> i).sorted().toArray());
    }

    /** Mean over labels of |share of the label's positives held out - fraction|: 0 is perfect. */
    static double labelDeviation(boolean[][] t, IterativeStratification.Split s, double fraction) {
        int[] all = SplitCounts.positives(t, IntStream.range(0, t.length).toArray());
        int[] held = SplitCounts.positives(t, s.held());
        double sum = 0;
        for (int k = 0; k < all.length; k++) {
            sum += Math.abs((double) held[k] / all[k] - fraction);
        }
        return sum / all.length;
    }

    static int labelsMissingFromAPart(boolean[][] t, IterativeStratification.Split s) {
        int[] all = SplitCounts.positives(t, IntStream.range(0, t.length).toArray());
        int[] kept = SplitCounts.positives(t, s.kept());
        int[] held = SplitCounts.positives(t, s.held());
        return (int) IntStream.range(0, all.length).filter(k -> all[k] >= 2 && (kept[k] == 0 || held[k] == 0)).count();
    }

    @Test
    void everyLabelWithTwoPositivesLandsInBothParts() {
        boolean[][] t = rareLabels();
        int randomMisses = 0;
        for (long seed = 0; seed < 50; seed++) {
            IterativeStratification.Split s = IterativeStratification.holdOut(t, 0.2, seed);
            assertThat(labelsMissingFromAPart(t, s)).as("seed %d", seed).isZero();
            randomMisses += labelsMissingFromAPart(t, randomSplit(t.length, 0.2, seed));
        }
        assertThat(randomMisses).as("the case is hard for a random split").isGreaterThan(50);
    }

    @Test
    void partSizesAreWithinOneOfTheTargetAndCoverEveryImageOnce() {
        for (int n : new int[] {0, 1, 2, 7, 60, 101}) {
            boolean[][] t = synthetic(n, n);
            for (double f : new double[] {0, 0.1, 0.2, 0.25, 0.5, 0.9, 1}) {
                IterativeStratification.Split s = IterativeStratification.holdOut(t, f, 7);
                assertThat(Math.abs(s.held().length - n * f)).as("n=%d f=%s", n, f).isLessThanOrEqualTo(1.0);
                int[] both = IntStream.concat(Arrays.stream(s.kept()), Arrays.stream(s.held())).sorted().toArray();
                assertThat(both).containsExactly(IntStream.range(0, n).toArray());
                assertThat(s.kept()).isSorted();
                assertThat(s.held()).isSorted();
            }
        }
    }

    @Test
    void imagesWithoutLabelsFillThePartsToSize() {
        boolean[][] none = new boolean[10][3];
        IterativeStratification.Split s = IterativeStratification.holdOut(none, 0.3, 1);
        assertThat(s.held()).hasSize(3);
        assertThat(s.kept()).hasSize(7);
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        boolean[][] t = synthetic(200, 3);
        IterativeStratification.Split a = IterativeStratification.holdOut(t, 0.2, 42);
        IterativeStratification.Split b = IterativeStratification.holdOut(t, 0.2, 42);
        IterativeStratification.Split c = IterativeStratification.holdOut(t, 0.2, 43);
        assertThat(a.held()).isEqualTo(b.held());
        assertThat(a.kept()).isEqualTo(b.kept());
        assertThat(a.held()).isNotEqualTo(c.held());
    }

    @Test
    void labelProportionsAreCloserThanARandomSplits() {
        double stratified = 0;
        double random = 0;
        int worse = 0;
        for (long seed = 0; seed < 20; seed++) {
            boolean[][] t = synthetic(400, 100 + seed);
            double s = labelDeviation(t, IterativeStratification.holdOut(t, 0.2, seed), 0.2);
            double r = labelDeviation(t, randomSplit(t.length, 0.2, seed), 0.2);
            stratified += s / 20;
            random += r / 20;
            worse += s > r ? 1 : 0;
        }
        assertThat(stratified).isLessThan(random / 2);
        assertThat(worse).isLessThanOrEqualTo(2);
    }

    @Test
    void threePartsEachGetLabelsWithThreePositives() {
        boolean[][] t = rareLabels();
        int[][] parts = IterativeStratification.split(t, new double[] {0.7, 0.15, 0.15}, 5);
        assertThat(Arrays.stream(parts).mapToInt(p -> p.length).toArray()).containsExactly(42, 9, 9);
        for (int[] p : parts) {
            int[] c = SplitCounts.positives(t, p);
            assertThat(c[0]).isPositive();
            assertThat(c[4]).isEqualTo(1);   // the label with 3 positives: one in each part
            assertThat(c[6]).isPositive();
        }
    }

    @Test
    void countsPerClassAndPartForTheRecord() {
        boolean[][] t = {{true, false}, {true, true}, {false, false}, {true, false}};
        Map<String, int[]> parts = new LinkedHashMap<>();
        parts.put("train", new int[] {0, 2, 3});
        parts.put("validation", new int[] {1});
        Map<String, Map<String, Integer>> table = SplitCounts.perClass(List.of("cat", "dog"), t, parts);
        assertThat(table).containsExactly(Map.entry("cat", Map.of("train", 2, "validation", 1)),
                Map.entry("dog", Map.of("train", 0, "validation", 1)));
        assertThat(table.get("cat").keySet()).containsExactly("train", "validation");
        assertThat(SplitCounts.withoutPositives(List.of("cat", "dog"), t, new int[] {0, 2, 3})).containsExactly("dog");
    }

    @Test
    void badArgumentsAreRefused() {
        boolean[][] t = rareLabels();
        assertThatThrownBy(() -> IterativeStratification.holdOut(t, 1.5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IterativeStratification.split(t, new double[] {0.5, 0.4}, 0))
                .hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> IterativeStratification.split(new boolean[][] {{true}, {true, false}}, new double[] {1}, 0))
                .hasMessageContaining("labels");
    }
}
