package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection sets are split by the classes each image's boxes show, so rare classes land in every part. */
class DetectionSplitsTest {

    /** 40 images of 2x2: every image a 'common' box; images 5, 17 and 29 also a 'rare' one; every 4th image none at all. */
    static ImageSet set() {
        int n = 40;
        float[][] boxes = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            boolean rare = i == 5 || i == 17 || i == 29;
            boxes[i] = i % 4 == 0 ? new float[0]
                    : rare ? new float[] {0, 0, 0, 1, 1, 0, 1, 1, 1, 2, 2, 1}
                    : new float[] {0, 0, 0, 2, 2, 0};
        }
        return new ImageSet(new byte[n * 4], labels, 1, 2, 2, List.of("common", "rare"), i -> "img" + i).withBoxes(boxes);
    }

    @Test
    void aRareClassLandsInBothPartsOfEverySplit() {
        ImageSet set = set();
        for (long seed = 0; seed < 10; seed++) {
            Splits.Split s = Splits.stratified(set, 0.2, seed, "validation");
            assertThat(s.held()).hasSize(8);
            assertThat(s.kept()).hasSize(32);
            assertThat(set.subset(s.held()).classCounts()[1]).as("seed %d", seed).isPositive();
            assertThat(set.subset(s.kept()).classCounts()[1]).as("seed %d", seed).isPositive();
            assertThat(set.subset(s.held()).detection()).isTrue();
        }
    }

    @Test
    void testThenValidationHoldOutsKeepTheRareClassInAllThreeSets() {
        ImageSet set = set();
        Splits.Split t = Splits.stratified(set, 0.2, 42, "test");
        ImageSet pool = set.subset(t.kept());
        Splits.Split v = Splits.stratified(pool, 0.2, 42, "validation");
        assertThat(set.subset(t.held()).classCounts()[1]).isPositive();
        assertThat(pool.subset(v.held()).classCounts()[1]).isPositive();
        assertThat(pool.subset(v.kept()).classCounts()[1]).isPositive();
        // images without boxes are negatives, placed like any other image: none is lost
        long negatives = Arrays.stream(set.subset(t.held()).boxes()).filter(b -> b.length == 0).count()
                + Arrays.stream(pool.boxes()).filter(b -> b.length == 0).count();
        assertThat(negatives).isEqualTo(10);
    }

    @Test
    void aRunsSplittingHoldsOutTestAndValidationFromADetectionSet() {
        ImageSet set = set();
        dev.hone.data.DataBundle bundle = new dev.hone.data.DataBundle(set, null, "boxes", null, dev.hone.data.ImageFormat.of(set));
        Splitting split = Splitting.of(bundle, Defaults.holdOut(bundle), 42, true);
        assertThat(split.train().size() + split.validation().size() + split.test().size()).isEqualTo(40);
        for (ImageSet part : List.of(split.train(), split.validation(), split.test())) {
            assertThat(part.detection()).isTrue();
            assertThat(part.classCounts()[1]).isPositive();
        }
        assertThat(split.describe(bundle)).containsKeys("train", "validation", "test");
    }

    @Test
    void aGivenTestSetCapsDetectionValidationAt500Images() {
        int n = 10_000;
        float[][] boxes = new float[n][0];
        ImageSet train = new ImageSet(new byte[n], new int[n], 1, 1, 1, List.of("a"), i -> "x").withBoxes(boxes);
        dev.hone.data.DataBundle bundle = new dev.hone.data.DataBundle(train, train.subset(new int[] {0}), "t", "s",
                dev.hone.data.ImageFormat.of(train));
        assertThat(Defaults.holdOut(bundle)).isEqualTo(0.05);
    }

    @Test
    void theRecordsDataSectionCarriesTheSourcesWarningsOnlyWhenThereAreAny() {
        ImageSet set = set();
        dev.hone.data.DataBundle quiet = new dev.hone.data.DataBundle(set, null, "boxes", null, dev.hone.data.ImageFormat.of(set));
        dev.hone.data.DataBundle warned = new dev.hone.data.DataBundle(set, null, "boxes", null, dev.hone.data.ImageFormat.of(set),
                dev.hone.data.SkippedFiles.NONE, dev.hone.data.SkippedFiles.NONE, dev.hone.data.Conformed.NONE,
                dev.hone.data.Conformed.NONE, List.of("boxes: something to know. Fix: this"));
        Splitting split = Splitting.of(quiet, 0.1, 42, true);
        assertThat(split.describe(quiet)).doesNotContainKey("warnings");
        assertThat(split.describe(warned)).containsEntry("warnings", List.of("boxes: something to know. Fix: this"));
        // what hone notices once the data are read (a mistyped class name, a rare multi-label class) follows the sources'
        assertThat(split.describe(warned.withWarnings(List.of("class 'x' is rare"))))
                .containsEntry("warnings", List.of("boxes: something to know. Fix: this", "class 'x' is rare"));
        assertThat(quiet.withWarnings(List.of())).isSameAs(quiet);
    }
}
