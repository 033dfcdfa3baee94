package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.record.Decision;
import dev.hone.record.Json;
import dev.hone.ssl.NoisyStudentData;
import dev.hone.ssl.SelfSupervisedPretraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resume after semi-supervised planning finished: the saved plan's final run gets back what it starts from, read from
 * the files {@link SslFinalRuns} wrote in the work folder ({@link SslPlanning#TEACHER}, {@link SslPlanning#START} and,
 * for a Noisy Student, the pseudo-labels in {@link SslPlanning#FILE}). A run killed during planning resumes through
 * {@link SslProgress} instead.
 */
final class SslResume {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private SslResume() {}

    /**
     * The student's set and its teacher's weights again, from the files saved when Noisy Student was chosen; the
     * weights FixMatch, a continuation or a pretrained encoder's fine-tuning starts from; a result without them when the
     * saved plan uses no unlabeled image.
     *
     * @throws HoneException when the saved pseudo-labels or weights are missing or belong to other unlabeled images
     */
    static SslPlanning.Result resume(TrainingPlan plan, Path work, Splitting split, UnlabeledSet unlabeled) {
        boolean chosen = ssl(plan, x -> "noisy-student".equals(x.value()));
        boolean continued = ssl(plan, x -> x.evidence() != null && Boolean.TRUE.equals(x.evidence().get("continuation")));
        boolean fixMatch = ssl(plan, x -> "fixmatch".equals(x.value()));
        boolean pretrained = ssl(plan, x -> SelfSupervisedPretraining.Method.names().contains(String.valueOf(x.value())));
        Path teacher = work.resolve(SslPlanning.TEACHER);
        Path start = work.resolve(SslPlanning.START);
        if (pretrained) {
            if (!Files.exists(teacher) || !Files.exists(start)) {
                throw HoneException.of("The saved plan fine-tunes a pretrained encoder, but its weights or the teacher's are missing",
                        Files.exists(teacher) ? start : teacher, "start again without --resume");
            }
            LOG.info("resuming the pretrained encoder's fine-tuning from {}", start);
            return new SslPlanning.Result(plan, null, TeacherWeights.read(teacher), null, TeacherWeights.read(start));
        }
        if (fixMatch) {
            if (unlabeled == null || !Files.exists(teacher)) {
                throw HoneException.of("The saved plan trains FixMatch, but its unlabeled images or the weights it starts from are"
                        + " missing", teacher, "resume with the same --unlabeled images, or start again without --resume");
            }
            LOG.info("resuming FixMatch from {}", teacher);
            return new SslPlanning.Result(plan, null, TeacherWeights.read(teacher), SslPlanning.unlabeledAsSet(unlabeled,
                    split.train()));
        }
        if (continued) {
            if (!Files.exists(teacher)) {
                throw HoneException.of("The saved plan continues a teacher whose weights are missing", teacher,
                        "start again without --resume");
            }
            LOG.info("resuming the teacher's continuation from {}", teacher);
            return new SslPlanning.Result(plan, null, TeacherWeights.read(teacher));
        }
        if (!chosen) {
            return new SslPlanning.Result(plan);
        }
        Path file = work.resolve(SslPlanning.FILE);
        if (unlabeled == null || !Files.exists(file) || !Files.exists(teacher)) {
            throw HoneException.of("The saved plan trains a Noisy Student, but its pseudo-labels or its teacher are missing",
                    Files.exists(file) ? teacher : file, "resume with the same --unlabeled images, or start again without --resume");
        }
        SslPlanning.PseudoLabelFile f = Json.read(file, SslPlanning.PseudoLabelFile.class);
        if (!unlabeled.fingerprint().equals(f.unlabeledFingerprint())) {
            throw HoneException.of("The saved pseudo-labels belong to other unlabeled images", file,
                    "resume with the --unlabeled images the run started with, or start again without --resume");
        }
        // start: a kept first-round student the final student continues
        LOG.info("resuming with the {} pseudo-labels saved in {} and the teacher in {}", f.indices().length, file, teacher);
        ImageSet studentSet = f.multiHot() != null
                ? NoisyStudentData.combineMultiLabel(split.train(), f.labeledCopies(), unlabeled, f.indices(), f.multiHot())
                : f.softTargets() != null
                        ? NoisyStudentData.combineSoft(split.train(), f.labeledCopies(), unlabeled, f.indices(), f.classes(), f.softTargets())
                        : NoisyStudentData.combine(split.train(), f.labeledCopies(), unlabeled, f.indices(), f.classes());
        return new SslPlanning.Result(plan, studentSet, TeacherWeights.read(teacher), null,
                Files.exists(start) ? TeacherWeights.read(start) : null);
    }

    /** Whether an {@code ssl} decision of the saved plan satisfies {@code test}. */
    private static boolean ssl(TrainingPlan plan, Predicate<Decision<?>> test) {
        return plan.decisions().stream().anyMatch(x -> x.name().equals("ssl") && test.test(x));
    }
}
