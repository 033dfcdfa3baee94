package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Decision;
import dev.hone.record.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainerTest {

    @Test
    void mentionsEveryDecisionTheStopReasonAndTheMostConfusedPairs() {
        TrainingRecord record = SyntheticRun.record();

        String text = Explainer.explain(record, SyntheticRun.evaluation(SyntheticRun.images()));

        for (Decision<?> d : record.decisions()) {
            assertThat(text).contains(d.name() + " = ");
        }
        assertThat(text).contains("epochs = 3 (USER, flag): fixed by the user with --epochs")
                .contains("learning-rate = 0.003 (LEARNED, lr-range-test): steepest descent")
                .contains("weight-decay = 0.0005 (DERIVED, rule)", "augmentation = {\"crop\":2,\"flip\":true}")
                .contains("optimizer = adamw (DEFAULT)")
                .contains("minLossLr=0.03", "lrs=[10 values: 1e-5 .. 20]", "cost 14.2 s")
                .contains("stopped: " + SyntheticRun.STOP_REASON)
                .contains("images: train 36, validation 12, test 12")
                .contains("fingerprint=sha256:aa11")
                .contains("accuracy 75.00% on 12 images of test")
                .contains("most confused")
                .contains("<b>&\"x\" -> cat: 1 time", "dog -> cat: 1 time", "dog -> <b>&\"x\": 1 time");
        assertThat(text.lines().filter(l -> l.matches("\\s+[123]\\s+\\d\\.\\d{4}.*"))).hasSize(3);
    }

    /** A run killed and resumed: its record starts at the first attempt and says when, and how long, the resumed part ran. */
    @Test
    void aResumedRunShowsItsFirstStartTheResumeAndBothDurations() {
        TrainingRecord r = resumed("2026-12-06T03:29:35Z", "2026-12-06T03:30:47Z");
        String text = Explainer.explain(r, null);
        assertThat(text).contains("  started:  2026-12-06T03:29:35Z\n  resumed:  2026-12-06T03:30:47Z (after an"
                + " interruption, --resume)\n  finished: 2026-12-06T03:32:38Z (3m 03s since the first start; the resumed part"
                + " 1m 51s)");
        String html = ReportWriter.render(r, null, null);
        assertThat(html).contains("time<b>3m 03s</b>", "resumed part<b>1m 51s</b>",
                "Started 2026-12-06T03:29:35Z, interrupted and resumed 2026-12-06T03:30:47Z, finished 2026-12-06T03:32:38Z.");

        assertThat(text).doesNotContain("working, the pause");

        // with the seconds the stopped part spent (the resume decision's), the time working leaves the pause out
        java.util.List<Decision<?>> decisions = new java.util.ArrayList<>(r.decisions());
        decisions.add(Decision.derived("resume", "after epoch 2", "checkpoint", "stopped after epoch 2",
                java.util.Map.of("epoch", 2, "secondsSpentBefore", 20.4)));
        TrainingRecord spent = new TrainingRecord(r.formatVersion(), r.hone(), r.startedAt(), r.finishedAt(), r.resumedAt(),
                r.seed(), r.command(), r.environment(), r.data(), decisions, r.epochs(), r.stopReason(), r.test());
        assertThat(Explainer.explain(spent, null)).contains("(3m 03s since the first start; the resumed part 1m 51s; 2m 11s"
                + " working, the pause before --resume left out)");
        assertThat(ReportWriter.render(spent, null, null)).contains("time working (the pause before --resume left out)<b>2m 11s</b>");

        // interrupted three times: every resume is named, oldest first, and the resumed part is the last one's
        TrainingRecord thrice = new TrainingRecord(r.formatVersion(), r.hone(), r.startedAt(), r.finishedAt(), r.resumedAt(),
                List.of("2026-12-06T03:30:01Z", "2026-12-06T03:30:20Z"), r.seed(), r.command(), r.environment(),
                r.data(), r.decisions(), r.epochs(), r.stopReason(), r.test());
        assertThat(Explainer.explain(thrice, null)).contains("  resumed:  2026-12-06T03:30:01Z, 2026-12-06T03:30:20Z and"
                + " 2026-12-06T03:30:47Z (after 3 interruptions, --resume)", "the resumed part 1m 51s");
        assertThat(ReportWriter.render(thrice, null, null)).contains("interrupted and resumed 2026-12-06T03:30:01Z,"
                + " 2026-12-06T03:30:20Z and 2026-12-06T03:30:47Z, finished");
        // and the record keeps them, absent from the file for a run resumed once
        assertThat(Json.mapper().valueToTree(thrice).get("earlierResumes")).hasSize(2);
        assertThat(Json.mapper().valueToTree(r).has("earlierResumes")).isFalse();
        assertThat(Json.mapper().convertValue(Json.mapper().valueToTree(thrice), TrainingRecord.class).earlierResumes())
                .isEqualTo(thrice.earlierResumes());
        assertThat(Json.mapper().convertValue(Json.mapper().valueToTree(r), TrainingRecord.class).earlierResumes()).isEmpty();

        // the first attempt began before hone kept its start: the record's start is the resumed one's, and says so
        TrainingRecord unknown = resumed("2026-12-06T03:30:47Z", "2026-12-06T03:30:47Z");
        assertThat(Explainer.explain(unknown, null)).contains("  started:  2026-12-06T03:30:47Z (resumed after an interruption;"
                + " when the first attempt started was not kept)\n  finished: 2026-12-06T03:32:38Z (1m 51s)\n")
                .doesNotContain("resumed:");
        assertThat(ReportWriter.render(unknown, null, null)).contains("when the first attempt started was not kept")
                .doesNotContain("resumed part");

        // a run in one go shows no resume
        assertThat(Explainer.explain(SyntheticRun.record(), null)).doesNotContain("resumed").contains("(1m 05s)");
    }

    @Test
    void aTestSampledForTheBudgetIsSaid() {
        TrainingRecord s = SyntheticRun.record();
        TrainingRecord sampled = SyntheticRun.sampledRecord();
        assertThat(Explainer.explain(sampled, null)).contains("on a sample of 1000 of the 10000 test images: the budget ran out");
        assertThat(Explainer.explain(s, null)).doesNotContain("a sample of");
    }

    @Test
    void epochsTrainedOnDownscaledImagesAreMarkedAndTheirLowValidationExplained() {
        TrainingRecord s = SyntheticRun.record();
        List<dev.hone.record.EpochMetrics> epochs = List.of(
                new dev.hone.record.EpochMetrics(1, 1.05, 0.45, 1.98, 0.30, 0.003, 1.2, 800, "8x8"),
                new dev.hone.record.EpochMetrics(2, 0.71, 0.70, 0.69, 0.72, 0.002, 1.1, 870, "8x8 to 12x12"),
                new dev.hone.record.EpochMetrics(3, 0.52, 0.81, 0.55, 0.79, 0.0005, 1.1, 872.5));
        TrainingRecord resized = new TrainingRecord(s.formatVersion(), s.hone(), s.startedAt(), s.finishedAt(), null, s.seed(),
                s.command(), s.environment(), s.data(), s.decisions(), epochs, s.stopReason(), s.test());
        String said = "epochs 1 to 2 trained on downscaled images (progressive resizing) but were validated at full size, so"
                + " their validation figures are low until the images reach full size";

        String text = Explainer.explain(resized, null);
        assertThat(text).contains("trained at").contains(said);
        assertThat(text.lines().filter(l -> l.matches("\\s+1\\s.*\\s8x8"))).hasSize(1);
        assertThat(text.lines().filter(l -> l.matches("\\s+3\\s.*\\sfull size"))).hasSize(1);
        assertThat(ReportWriter.render(resized, null, null)).contains("<th>trained at</th>", "<td>8x8 to 12x12</td>",
                "<td>full size</td>", "Epochs 1 to 2 trained on downscaled images");

        // a run that trained at full size throughout shows neither the column nor the sentence
        assertThat(Explainer.explain(s, null)).doesNotContain("trained at").doesNotContain("downscaled");
        assertThat(ReportWriter.render(s, null, null)).doesNotContain("trained at").doesNotContain("downscaled");
    }

    private static TrainingRecord resumed(String started, String resumedAt) {
        TrainingRecord s = SyntheticRun.record();
        return new TrainingRecord(s.formatVersion(), s.hone(), started, "2026-12-06T03:32:38Z", resumedAt, s.seed(), s.command(),
                s.environment(), s.data(), s.decisions(), s.epochs(), s.stopReason(), s.test());
    }

    @Test
    void theTrainingTableNamesTheTasksMeasuresNotAccuracyForEveryTask() {
        TrainingRecord single = SyntheticRun.record();
        assertThat(Explainer.explain(single, null)).contains("train acc").contains("val acc");

        java.util.List<Decision<?>> decisions = new java.util.ArrayList<>(single.decisions());
        decisions.add(Decision.derived("task", "multi-label", "inferred from the data", "several labels per image",
                java.util.Map.of()));
        TrainingRecord multi = new TrainingRecord(single.formatVersion(), single.hone(), single.startedAt(), single.finishedAt(), null,
                single.seed(), single.command(), single.environment(), single.data(), decisions, single.epochs(),
                single.stopReason(), single.test());
        String text = Explainer.explain(multi, null);
        assertThat(text).contains("train subset accuracy").contains("val mAP").doesNotContain("val acc");
        assertThat(ReportWriter.render(multi, null, null)).contains("train subset accuracy").contains("val mAP");
    }

    @Test
    void binaryAndMultiLabelResultsLeadWithTheirOwnMetrics() {
        TrainingRecord record = SyntheticRun.record();
        Evaluation base = SyntheticRun.evaluation(SyntheticRun.images());
        String multi = Explainer.explain(record, base.forTask("multi-label", java.util.Map.of("mAP", 0.5998, "microF1", 0.5393,
                "macroF1", 0.5496, "subsetAccuracy", 0.2, "hammingLoss", 0.172)));
        assertThat(multi).contains("mAP 59.98%; at the learned thresholds micro F1 53.93%, macro F1 54.96%, subset accuracy"
                + " 20.00%, Hamming loss 17.20% on 12 images of test").doesNotContain("no class was mistaken");
        String binary = Explainer.explain(record, base.forTask("binary", java.util.Map.of("rocAuc", 0.896,
                "averagePrecision", 0.8, "threshold", 0.375)));
        assertThat(binary).contains("ROC-AUC 89.60%, average precision 80.00%; decided at the learned threshold 0.375:")
                .contains("accuracy 75.00% on 12 images of test");
        assertThat(ReportWriter.render(record, base.forTask("multi-label", java.util.Map.of("mAP", 0.5998, "microF1", 0.5393,
                "subsetAccuracy", 0.2)), null)).contains("test mAP").contains("59.98%").doesNotContain("test accuracy");
    }

    /** Segmentation and detection: their own names, percentages as the console writes them, no classification figures. */
    @Test
    void segmentationAndDetectionResultsUseTheirOwnNamesAndPercentages() {
        TrainingRecord record = SyntheticRun.record();
        Evaluation base = new Evaluation("test", 60, 0.7630, 1.4963, List.of("background", "a"), List.of(), 0.1651, null, null);
        String segmentation = Explainer.explain(record, base.forTask("segmentation", java.util.Map.of("mIoU", 0.1236)));
        assertThat(segmentation).contains("mIoU 12.36%, pixel accuracy 76.30%, mean Dice 16.51% on 60 images of test")
                .doesNotContain("mean Dice 0.1651").doesNotContain("macro F1");
        String detection = Explainer.explain(record, base.forTask("detection", java.util.Map.of("mAP", 0.25, "AP50", 0.5)));
        assertThat(detection).contains("mAP 25.00% (COCO AP 0.50:0.95), AP50 50.00%").doesNotContain("macro F1")
                .doesNotContain("accuracy 76.30%");
        String report = ReportWriter.render(record, base.forTask("segmentation", java.util.Map.of("mIoU", 0.1236)), null);
        assertThat(report).contains("mean Dice<b>16.51%</b>").doesNotContain("macro F1").doesNotContain("test accuracy");
    }

    @Test
    void withoutAnEvaluationTheRecordHeadlineIsUsed() throws Exception {
        TrainingRecord record = RecordIo.readRecord(RecordIoTest.fixture());

        String text = Explainer.explain(record, null);

        for (Decision<?> d : record.decisions()) {
            assertThat(text).contains(d.name() + " = ");
        }
        assertThat(text).contains("augmentation = {\"flip\":false,\"randomCrop\":2} (DERIVED, data-profile)")
                .contains("batch-size = 256 (LEARNED, gradient-noise-scale)", "bSimple=1480", "cost 14.2 s")
                .contains("stopped: completed 4 epochs", "accuracy 98.53% on 10000 images, mean loss 0.0467", "(12m 38s)")
                .contains("lrs=[1e-6,1e-5,0.0001,0.001,0.01,0.1,1]");
    }
}
