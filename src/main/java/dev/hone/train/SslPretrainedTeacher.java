package dev.hone.train;

import dev.hone.data.ImageSet;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.ssl.SelfSupervisedPretraining;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code --ssl auto} and few labels: self-supervised pretraining of the encoder on the unlabeled images, then a
 * teacher fine-tuned from it, which starts Noisy Student's rounds in place of the teacher trained from scratch when it
 * beats that one on validation. This is SimCLRv2's recipe (Chen et al. 2020, "Big Self-Supervised Models are Strong
 * Semi-Supervised Learners", arXiv:2006.10029: pretrain, fine-tune on the labels, then distil with the unlabeled images),
 * with Noisy Student's rounds as the distillation. The decision is the {@code ssl-pretraining} record: the method, its
 * steps and seconds, both teachers' validation scores, and which one the rounds start from.
 */
final class SslPretrainedTeacher {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private SslPretrainedTeacher() {}

    /** The method {@code --ssl auto} pretrains with: Barlow Twins, whose loss needs no negatives and so suits a small batch. */
    static final SelfSupervisedPretraining.Method METHOD = SelfSupervisedPretraining.Method.BARLOW_TWINS;

    /**
     * Labels are few when the teacher, as long as it may train ({@link SslRounds#TEACHER_MAX_EPOCHS} epochs), took at
     * most this share of the time left: then a second, fine-tuned teacher costs little, and pretraining has time to
     * learn. On Fashion-MNIST (2 cores, 30 minutes, 2026-12-02) the teacher took 4% (79 of 1,650 s) at 1% of the labels and
     * 53% (508 of 956 s) at 10% (hone's rule). A teacher under a regularizing policy trains up to 4 times as many epochs
     * ({@link SslRounds#teacherMaxEpochs}): with the small-data prior, the 1% teacher took 12% (181 of 1,560 s), so
     * pretraining no longer runs there; when it ran, it gained nothing on test (docs/BENCHMARKS.md).
     */
    static final double FEW_LABELS_SHARE = 0.1;

    /** Unlabeled images per labeled one below which pretraining is not tried (hone's rule). */
    static final int MIN_UNLABELED_RATIO = 10;

    /**
     * The share of the time left after the two teachers that pretraining takes; Noisy Student's rounds and the final
     * student get the rest (hone's rule: the two halves of what the unlabeled images give, not measured apart).
     */
    static final double SHARE = 0.5;

    /**
     * Whether to pretrain: at least {@link #MIN_UNLABELED_RATIO} unlabeled images per labeled one and, with a budget, a
     * teacher that took at most {@link #FEW_LABELS_SHARE} of the {@code secondsLeft} after it. Without a budget the user
     * chose the run's length, and pretraining takes as many steps as the teacher.
     *
     * @param teacherSeconds the teacher's seconds, its training and its pass over the unlabeled images
     * @param secondsLeft the budget's seconds left after the teacher; {@code NaN} without a budget
     */
    static boolean worthIt(double teacherSeconds, double secondsLeft, int unlabeled, int labeled) {
        return unlabeled >= (long) MIN_UNLABELED_RATIO * labeled
                && (Double.isNaN(secondsLeft) || teacherSeconds <= FEW_LABELS_SHARE * secondsLeft);
    }

    /** Pretraining's seconds: {@link #SHARE} of what is left once the fine-tuned teacher has trained as long as the first. */
    static double seconds(double secondsLeft, double teacherSeconds) {
        return Math.max(0, SHARE * (secondsLeft - teacherSeconds));
    }

    /** What the rounds need from the datasets and the plan, for the fine-tuned teacher's trial. */
    record Setting(TrainingPlan plan, TrialRunner.Setup teacherSetup, ResidentDataset train, ResidentDataset validation,
            ResidentDataset monitor, ResidentDataset pool, ImageSet unlabeled) {}

    /**
     * Pretrains for {@code steps} (paced to {@code seconds} when above 0; 0 without a budget), fine-tunes a teacher
     * from the encoder for {@code teacherSteps} at the plan's peak learning rate, and returns it when it beats
     * {@code scratch} on validation ({@link SslGuardRail#beats}) and labels the unlabeled images; otherwise
     * {@code scratch}. Adds the {@code ssl-pretraining} decision to {@code d}.
     */
    static SslRounds.Teacher choose(Setting s, List<Decision<?>> d, SslRounds.Teacher scratch, long teacherSteps,
            double teacherSeconds, long steps, double seconds) {
        long begun = System.nanoTime();
        TrainingPlan plan = s.plan();
        if (steps < SslPlanning.MIN_TRIAL_STEPS) {
            d.add(SslPlanning.log(Decision.byDefault("ssl-pretraining", "none", String.format(Locale.ROOT, "the %.0f s left for"
                    + " pretraining fit %d steps, fewer than %d, so the teacher from scratch starts the rounds", seconds, steps,
                    SslPlanning.MIN_TRIAL_STEPS))));
            return scratch;
        }
        LOG.info("ssl: {} pretrains the encoder {} steps{} on the {} unlabeled images, for a teacher fine-tuned from it",
                METHOD.cliName(), steps, seconds > 0 ? " (" + Math.round(seconds) + " s)" : "", s.unlabeled().size());
        SslPretraining.Pretrained p = SslPretraining.train(METHOD, s.teacherSetup(), s.unlabeled(), scratch.weights(), steps,
                seconds);
        SslRounds.Teacher tuned = null;
        long fineTuneSteps = 0;
        if (p != null) {
            LOG.info("ssl: a teacher fine-tunes the pretrained encoder {} steps on the labeled images", teacherSteps);
            TrialRunner runner = new TrialRunner(s.teacherSetup(), s.train(), s.validation(), s.monitor())
                    .withProgress("ssl fine-tuned teacher");
            runner.continueFrom(p.weights(), s.teacherSetup().epochs(), 1.0);
            // paced as the first teacher is: its validation pass and pseudo-labeling come after its last step
            PhasePacing pacing = PhasePacing.add(runner, plan, "the fine-tuned teacher", teacherSteps, 1, s.monitor().size(),
                    s.validation().size() + s.pool().size());
            tuned = SslRounds.Teacher.train(runner, plan.policy(), s.pool(), teacherSteps, List.of(scratch.validation()));
            fineTuneSteps = PhasePacing.steps(pacing, teacherSteps);
        }
        boolean used = tuned != null && tuned.labels();
        Map<String, Object> evidence = new LinkedHashMap<>();
        if (p != null) {
            evidence.putAll(SslPretraining.evidence(METHOD, p));
        }
        evidence.put("teacherSeconds", teacherSeconds);
        evidence.put("scratchTeacherScore", scratch.score());
        if (tuned != null) {
            evidence.put("fineTunedTeacherSteps", fineTuneSteps);
            evidence.put("fineTunedTeacherScore", tuned.score());
            evidence.put("fineTunedTeacherLoss", tuned.validation().meanLoss());
        }
        evidence.put("scratchTeacherLoss", scratch.validation().meanLoss());
        if (tuned != null) {
            evidence.put("fineTunedVsScratch", SslGuardRail.compare(tuned.validation(), scratch.validation(), s.teacherSetup().task(),
                    s.teacherSetup().seed()).evidence());
        }
        evidence.put("used", used);
        double took = (System.nanoTime() - begun) / 1e9;
        String few = seconds > 0 ? String.format(Locale.ROOT, "the teacher trained %d steps in %.0f s, at most %.0f%% of the"
                + " time left, and", teacherSteps, teacherSeconds, 100 * FEW_LABELS_SHARE) : "no budget, so only the ratio counts:";
        String why = String.format(Locale.ROOT, "few labels (%s there are %d or more unlabeled images per labeled one), so,"
                + " as in SimCLRv2 (Chen et al. 2020, arXiv:2006.10029), %s pretrained the encoder on the %,d unlabeled images"
                + " for %s steps (%.0f s) and a second teacher fine-tuned it as long on the labeled images%s: validation score"
                + " %s against the teacher from scratch's %.4f. %s (%.0f s)", few, MIN_UNLABELED_RATIO,
                SelfSupervisedPretraining.source(METHOD), s.unlabeled().size(), p == null ? "no" : String.valueOf(p.steps()),
                p == null ? 0 : p.seconds(), tuned != null && fineTuneSteps < teacherSteps ? String.format(Locale.ROOT,
                " (%d of its %d steps, paced into their planned time)", fineTuneSteps, teacherSteps) : "",
                tuned == null ? "none" : String.format(Locale.ROOT, "%.4f", tuned.score()),
                scratch.score(), used ? "The fine-tuned teacher beat it, so it starts Noisy Student's rounds"
                        : "It did not beat it, so the teacher from scratch starts the rounds and the pretraining's time is lost",
                took);
        Decision<String> decision = new Decision<>("ssl-pretraining", used ? METHOD.cliName() : "none", Origin.LEARNED,
                "a fine-tuned teacher against the teacher from scratch", why, evidence, Duration.ofMillis((long) (took * 1000)));
        d.add(SslPlanning.log(decision));
        return used ? tuned : scratch;
    }

    /** The decision when pretraining is not tried, and why. */
    static Decision<String> skipped(double teacherSeconds, double secondsLeft, int unlabeled, int labeled) {
        String why = unlabeled < (long) MIN_UNLABELED_RATIO * labeled
                        ? String.format(Locale.ROOT, "%d unlabeled images for %d labeled ones, fewer than %d per labeled one",
                                unlabeled, labeled, MIN_UNLABELED_RATIO)
                        : String.format(Locale.ROOT, "the teacher took %.0f s, more than %.0f%% of the %.0f s left (labels"
                                + " are not few, or the policy's noise trains it longer), and a fine-tuned teacher would cost as much"
                                + " again", teacherSeconds,
                                100 * FEW_LABELS_SHARE, secondsLeft);
        return Decision.byDefault("ssl-pretraining", "none", "no self-supervised pretraining: " + why);
    }
}
