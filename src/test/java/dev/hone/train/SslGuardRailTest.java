package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.tasks.Predictions;
import dev.hone.tasks.SingleLabel;
import org.junit.jupiter.api.Test;

/** The guard-rail's word on a comparison its validation split cannot resolve. */
class SslGuardRailTest {

    @Test
    void anIntervalWiderThanItsWidthIsCalledUnresolvedWithTheFix() {
        // 1% of Fashion-MNIST's labels: 60 validation images, gain -1.7 points, interval -10.0 to +6.7
        assertThat(SslGuardRail.unresolved(-0.1000, 0.0667, 60)).contains("spans 17 points", "60 validation images cannot tell",
                "the rule's, not the evidence's", "--val-fraction");
        // 10%: 600 images, an interval of 6 points
        assertThat(SslGuardRail.unresolved(-0.01, 0.05, 600)).isEmpty();
        assertThat(SslGuardRail.unresolved(-0.042, 0.042, 600)).as("exactly the width").isEmpty();
        // 5 images of 60 apart (8.3 points) have resolved; 6 (10 points) have not
        assertThat(SslGuardRail.unresolved(-3 / 60.0, 2 / 60.0, 60)).as("5 sixtieths").isEmpty();
        assertThat(SslGuardRail.unresolved(-3 / 60.0, 3 / 60.0, 60)).as("6 sixtieths").contains("spans 10 points");
        // a wide interval above 0, or below it, has decided (a review's "+8.3 to +25.0 ... cannot tell these two models apart")
        assertThat(SslGuardRail.unresolved(0.0833, 0.2500, 60)).isEmpty();
        assertThat(SslGuardRail.unresolved(-0.1167, -0.0167, 60)).isEmpty();
        // an interval ending exactly at 0 is not significant either way: the split has not decided
        assertThat(SslGuardRail.unresolvedInterval(-0.1167, 0.0)).isTrue();
        assertThat(SslGuardRail.unresolvedInterval(0.0, 0.1167)).isTrue();
    }

    @Test
    void onASplitTooSmallToResolveAModelOnUnlabeledImagesIsKeptUnlessSignificantlyWorse() {
        // 60 validation images (1% of Fashion-MNIST's labels): the teacher gets 48 right, FixMatch 47, with 8 images
        // each gets right that the other does not
        Predictions teacher = predictions(60, i -> i < 48);
        Predictions oneBehind = predictions(60, i -> i < 40 || (i >= 48 && i < 55));
        SslGuardRail.Outcome tie = SslGuardRail.decide(oneBehind, teacher, SingleLabel.INSTANCE, 1, SslGuardRail.FinalRun.FIXMATCH, true);
        assertThat(tie.verdict().beats()).isFalse();
        assertThat(tie.unresolved()).as("interval %s to %s", tie.gain().low(), tie.gain().high()).isTrue();
        assertThat(tie.keptAsNotWorse()).isTrue();
        assertThat(tie.kept()).isTrue();
        // two unlabeled images beside hundreds of labeled ones are no ground for the prior
        assertThat(SslGuardRail.decide(oneBehind, teacher, SingleLabel.INSTANCE, 1, SslGuardRail.FinalRun.FIXMATCH, false).kept())
                .isFalse();
        // the teacher's continuation on the labels alone uses no unlabeled image: the prior does not speak for it
        assertThat(SslGuardRail.decide(oneBehind, teacher, SingleLabel.INSTANCE, 1, SslGuardRail.FinalRun.CONTINUED, true).kept())
                .isFalse();
        // fifteen images behind: significantly worse, dropped however small the split
        Predictions farBehind = predictions(60, i -> i < 33);
        assertThat(SslGuardRail.decide(farBehind, teacher, SingleLabel.INSTANCE, 1, SslGuardRail.FinalRun.FIXMATCH, true).kept())
                .isFalse();
    }

    @Test
    void onASplitThatResolvesTheGainTheModelMustBeatItsTeacher() {
        // 600 validation images (10% of the labels): one image behind, and the interval is narrow
        Predictions teacher = predictions(600, i -> i < 540);
        Predictions oneBehind = predictions(600, i -> i < 539);
        SslGuardRail.Outcome o = SslGuardRail.decide(oneBehind, teacher, SingleLabel.INSTANCE, 1, SslGuardRail.FinalRun.FIXMATCH, true);
        assertThat(o.unresolved()).isFalse();
        assertThat(o.kept()).isFalse();
        assertThat(SslGuardRail.decide(predictions(600, i -> i < 541), teacher, SingleLabel.INSTANCE, 1,
                SslGuardRail.FinalRun.FIXMATCH, true).kept()).isTrue();
    }

    /** {@code n} class-0 images among 3 classes, right where {@code right} says, ranked second otherwise. */
    private static Predictions predictions(int n, java.util.function.IntPredicate right) {
        float[][] p = new float[n][];
        float[][] t = new float[n][3];
        int[] y = new int[n];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            p[i] = right.test(i) ? new float[] {0.6f, 0.3f, 0.1f} : new float[] {0.35f, 0.45f, 0.2f};
            t[i][0] = 1;
            loss -= Math.log(p[i][0]);
            correct += right.test(i) ? 1 : 0;
        }
        return new Predictions(p, y, t, loss / n, (double) correct / n);
    }
}
