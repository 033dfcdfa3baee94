package dev.hone.train;

import dev.hone.data.DataBundle;
import dev.hone.data.DatasetFingerprint;
import dev.hone.data.ImageSet;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.record.Decision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The train / validation / test sets of a run and how they were made.
 *
 * <p>A given test set is used as it is; otherwise one is held out first, stratified with the run
 * seed, so it is never seen by training, validation or any meta-learner. Validation is then held
 * out of what remains. Last, exact copies of training images are found in validation and test and
 * dropped from them, unless the user keeps them ({@link DuplicateCheck}).
 */
record Splitting(ImageSet train, ImageSet validation, ImageSet test, String testName, List<Decision<?>> decisions,
        DuplicateCheck duplicates) {
    /** How a test split held out of the training data is named: this, then the data's source. */
    static final String HELD_OUT = "held-out test split of ";

    static Splitting of(DataBundle bundle, double fraction, long seed) {
        return of(bundle, fraction, seed, false);
    }

    /** @param keepDuplicates keep validation and test images that copy training images (still reported) */
    static Splitting of(DataBundle bundle, double fraction, long seed, boolean keepDuplicates) {
        return of(bundle, fraction, seed, keepDuplicates, false);
    }

    /**
     * @param userFraction whether {@code fraction} is the user's ({@code --val-fraction}): the held-out splits it sizes are
     *     then recorded as {@code USER}
     */
    static Splitting of(DataBundle bundle, double fraction, long seed, boolean keepDuplicates, boolean userFraction) {
        List<Decision<?>> decisions = new ArrayList<>();
        ImageSet pool = bundle.train();
        ImageSet test = bundle.test();
        String testName;
        if (test == null) {
            Splits.Split s = Splits.stratified(pool, fraction, seed, "test");
            test = pool.subset(s.held());
            pool = pool.subset(s.kept());
            testName = HELD_OUT + bundle.trainSource();
            decisions.add(heldOut(userFraction, "test-split", test.size() + " images", "no test set was given, so "
                    + pct(fraction) + " of every class was held out with the run seed; it is used only for the final evaluation",
                    Map.of("fraction", fraction)));
        } else {
            testName = bundle.testSource();
            decisions.add(Decision.derived("test-split", test.size() + " images", "supplied with the data",
                    "the test set that came with the data: " + bundle.testSource(), Map.of()));
        }
        Splits.Split v = Splits.stratified(pool, fraction, seed, "validation");
        ImageSet validation = pool.subset(v.held());
        ImageSet train = pool.subset(v.kept());
        DuplicateCheck.Outcome checked = DuplicateCheck.apply(train, validation, test, testName, keepDuplicates);
        validation = checked.validation();
        test = checked.test();
        decisions.add(heldOut(userFraction, "validation-split", validation.size() + " images", pct(fraction)
                + " of every class of the training data, drawn with the run seed",
                Map.of("fraction", fraction, "trainImages", train.size())));
        checked.check().decision().ifPresent(decisions::add);
        return new Splitting(train, validation, test, testName, decisions, checked.check());
    }

    /** A stratified hold-out's decision: the user's when {@code --val-fraction} sized it. */
    private static Decision<String> heldOut(boolean userFraction, String name, String value, String why, Map<String, Object> evidence) {
        return userFraction ? new Decision<>(name, value, dev.hone.record.Origin.USER, "stratified hold-out",
                "fixed by --val-fraction: " + why, evidence, null) : Decision.derived(name, value, "stratified hold-out", why, evidence);
    }

    private static String pct(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    /**
     * The record's {@code data} section: sizes, fingerprints and class balance of each split, the
     * files each source skipped, by reason ({@code skipped.train}, {@code skipped.test}), and the images
     * resized or converted between colour and grey ({@code conformed.train}, {@code conformed.test}), and what the
     * sources warned of ({@code warnings}, only when they did, e.g. segmentation classes that no mask pixel uses).
     */
    Map<String, Object> describe(DataBundle bundle) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", bundle.trainSource());
        data.put("format", bundle.format() + " (channels x height x width)");
        data.put("classes", train.classNames());
        data.put("train", split(train));
        data.put("validation", split(validation));
        Map<String, Object> t = split(test);
        t.put("source", testName);
        data.put("test", t);
        Map<String, Object> skipped = new LinkedHashMap<>();
        skipped.put("train", bundle.trainSkipped().describe());
        skipped.put("test", bundle.testSkipped().describe());
        data.put("skipped", skipped);
        Map<String, Object> conformed = new LinkedHashMap<>();
        conformed.put("train", bundle.trainConformed().describe());
        conformed.put("test", bundle.testConformed().describe());
        data.put("conformed", conformed);
        data.put("duplicates", duplicates.describe());
        if (!bundle.warnings().isEmpty()) {
            data.put("warnings", bundle.warnings());
        }
        return data;
    }

    /**
     * {@link #describe(DataBundle)} and, with {@code --unlabeled}, the unlabeled images as read: path, count, format,
     * fingerprint, the copies of labeled or test images and the repeats dropped, the files skipped
     * ({@link UnlabeledSet#describe()}); whether semi-supervised learning then used them or not.
     */
    Map<String, Object> describe(DataBundle bundle, UnlabeledSet unlabeled) {
        Map<String, Object> data = describe(bundle);
        if (unlabeled != null) {
            data.put("unlabeled", unlabeled.describe());
        }
        return data;
    }

    private static Map<String, Object> split(ImageSet set) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", set.size());
        m.put("fingerprint", DatasetFingerprint.of(set));
        m.put("classCounts", Arrays.stream(set.classCounts()).boxed().toList());
        return m;
    }
}
