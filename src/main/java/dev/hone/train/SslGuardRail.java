package dev.hone.train;

import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.PairedComparison;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semi-supervised guard-rail after the final run: the unlabeled images' model is kept only when it beats the
 * teacher, the supervised model it started from, on the validation images.
 */
final class SslGuardRail {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private SslGuardRail() {}

    /**
     * Whether {@code challenger} beats {@code incumbent} on the same validation images: a higher score, or an equal one
     * with a lower mean validation loss. On a small validation split equal scores are common (60 images move accuracy
     * in steps of 1.7 points), and a student trained on 100 times the images tied its teacher there; the loss is the
     * finer measure of the same predictions.
     */
    static boolean beats(Predictions challenger, Predictions incumbent) {
        return challenger.score() > incumbent.score()
                || (challenger.score() == incumbent.score() && challenger.meanLoss() < incumbent.meanLoss());
    }

    /** What the guard-rail found: whether the student stays, the teacher's validation predictions, and the record. */
    record GuardRail(boolean studentKept, Predictions teacher, Decision<String> decision) {}

    /**
     * The guard-rail after the final run: the teacher's weights predict the validation images in {@code model} (which
     * holds the final run's and gets them back), and the final run is kept only when it {@link #beats} the teacher. The
     * paired bootstrap's interval is recorded, not required: a small validation split rarely makes a real gain
     * significant, and the teacher is the fallback either way.
     *
     * @param trained the final run's validation predictions, as the final choices left them
     * @param continuation whether the final run continued the teacher on the labeled images (the first round lost)
     *     rather than training a student
     * @param teacherName which model the final run started from, as the {@code ssl} decision's {@code finalTeacher}
     *     names it: {@code teacher}, {@code supervised arm}, {@code FixMatch arm} or {@code round-N student} (one trained
     *     on pseudo-labels)
     * @param test makes the test images (closed here), or null: only when the final run is dropped, its test score is
     *     recorded for the user ({@code droppedModelTestScore}), as the method's own figure; no choice reads it
     */
    static GuardRail judge(ai.djl.Model model, float[][] teacherWeights, ResidentDataset validation, Predictions trained,
            Task task, long seed, boolean continuation, String teacherName, java.util.function.Supplier<ResidentDataset> test) {
        float[][] trainedWeights = TrialRunner.capture(model);
        Double droppedTest = null;
        TrialRunner.restore(model, teacherWeights);
        Predictions teacher = Evaluator.predict(model.getBlock(), validation, 256);
        boolean kept = beats(trained, teacher);
        if (kept) {
            TrialRunner.restore(model, trainedWeights);
        }
        int testImages = 0;
        if (!kept && test != null) {
            try (ResidentDataset images = test.get()) {
                testImages = images.size();
                if (testImages > 0) {
                    TrialRunner.restore(model, trainedWeights);
                    droppedTest = Evaluator.predict(model.getBlock(), images, 256).score();
                    TrialRunner.restore(model, teacherWeights);
                }
            }
        }
        PairedComparison c = PairedComparison.of(task,
                trained, teacher, seed);
        String role = continuation ? "continued" : "student";
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("trained", role);
        evidence.put("teacher", teacherName);
        evidence.put("studentScore", trained.score());
        evidence.put("teacherScore", teacher.score());
        evidence.put("studentLoss", trained.meanLoss());
        evidence.put("teacherLoss", teacher.meanLoss());
        evidence.put("gain", c.gain());
        evidence.put("low", c.low());
        evidence.put("high", c.high());
        evidence.put("pValue", c.pValue());
        evidence.put("validationImages", validation.size());
        if (droppedTest != null) {
            evidence.put("droppedModelTestScore", droppedTest);
        }
        String metric = task.validationMetric();
        String name = continuation ? "the " + teacherName + "'s continuation" : "the student";
        boolean pseudoTrained = teacherName.startsWith("round-") || teacherName.equals(SslFixMatch.ARM);
        String why = String.format(java.util.Locale.ROOT, "on %d validation images %s scored %s %.4f and its teacher (the %s) %.4f"
                + " (gain %+.4f, 95%% interval %+.4f to %+.4f; validation loss %.4f against %.4f, which decides a tie): %s",
                validation.size(), name, metric, trained.score(), teacherName, teacher.score(), c.gain(), c.low(), c.high(),
                trained.meanLoss(), teacher.meanLoss(), kept ? name + " is the trained model"
                        : name + " did not beat its teacher, so the " + teacherName + "'s weights are the trained model"
                                + (pseudoTrained ? ", themselves trained on pseudo-labels: the unlabeled images are used through them"
                                        : continuation ? "" : " and the unlabeled images are not used"))
                + (droppedTest == null ? "" : String.format(java.util.Locale.ROOT, ". For the record only (no choice reads it):"
                        + " %s would have scored %s %.4f on the %d test images", name, metric, droppedTest, testImages));
        Decision<String> decision = new Decision<>("ssl-guard-rail", kept ? role : "teacher", Origin.LEARNED,
                name + " against its teacher on validation", why, evidence, Duration.ZERO);
        LOG.info("decision: {}", decision.describe());
        return new GuardRail(kept, teacher, decision);
    }
}
