package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.data.DuplicateImages.Digest;
import dev.hone.data.DuplicateImages.Match;
import dev.hone.data.DuplicateImages;
import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exact copies of images across the train / validation / test splits, found once the splits are
 * made, and by default dropped from validation and test.
 *
 * <p>A validation or test image that is also a training image is scored on memory: early stopping and
 * the final choices then favour overfitting, and the test accuracy flatters the model. So such copies
 * leave validation and test, never train (training on them does no harm). {@code --keep-duplicates}
 * keeps them, with the warning still given, for the rare case where the copies are intended. Copies
 * inside the training split are counted for information only: they weigh double, but are not leakage.
 * Copies under different labels are more than that: the same picture in two classes means one of
 * them is mislabelled, and the warnings say so plainly, with a pair and both classes.
 * A test image that copies a validation image is dropped too, so the test set stays independent of
 * every choice hone made on validation.
 *
 * @param validationInTrain validation images that copy a training image
 * @param testInTrain test images that copy a training image
 * @param testInValidation test images that copy a validation image (an image may count in both pairs)
 * @param withinTrain training images that repeat an earlier training image
 * @param droppedFromValidation images dropped from validation (0 when kept)
 * @param droppedFromTest images dropped from test (0 when kept)
 * @param kept whether {@code --keep-duplicates} kept them
 */
record DuplicateCheck(Pair validationInTrain, Pair testInTrain, Pair testInValidation, Pair withinTrain,
        int droppedFromValidation, int droppedFromTest, boolean kept) {

    /** How many examples of each pair the record names. */
    static final int EXAMPLES = 3;

    /**
     * The copies between two splits (or within one).
     *
     * @param count images of the second split that copy an image of the first
     * @param differentLabel of those, how many carry another label than their original: identical
     *     pictures in two classes, so one of each pair is mislabelled
     * @param examples the first few as {@code {first: source, second: source}}
     * @param agreeing the first copy under the same label, {@code a.png = b.png}, or null
     * @param contradiction the first copy under another label, {@code a.png (class 'x') = b.png (class 'y')},
     *     or null
     */
    record Pair(String first, String second, int count, int differentLabel, List<Map<String, String>> examples,
            String agreeing, String contradiction) {

        static Pair of(String first, ImageSet firstSet, String second, ImageSet secondSet, List<Match> matches) {
            int different = 0;
            List<Map<String, String>> examples = new ArrayList<>();
            String agreeing = null;
            String contradiction = null;
            for (Match m : matches) {
                String a = labelsOf(firstSet, m.original());
                String b = labelsOf(secondSet, m.index());
                String original = firstSet.source(m.original());
                String copy = secondSet.source(m.index());
                if (!a.equals(b)) {
                    different++;
                    if (contradiction == null) {
                        contradiction = original + " (" + a + ") = " + copy + " (" + b + ")";
                    }
                } else if (agreeing == null) {
                    agreeing = original + " = " + copy;
                }
                if (examples.size() < EXAMPLES) {
                    Map<String, String> e = new LinkedHashMap<>();
                    e.put(first.equals(second) ? "original" : first, original);
                    e.put(first.equals(second) ? "copy" : second, copy);
                    examples.add(e);
                }
            }
            return new Pair(first, second, matches.size(), different, examples, agreeing, contradiction);
        }

        /** Image {@code i}'s label as the comparison and the message give it: "class 'cat'", or a multi-label set. */
        private static String labelsOf(ImageSet set, int i) {
            if (!set.multiLabel()) {
                return "class '" + set.classNames().get(set.label(i)) + "'";
            }
            List<String> shown = set.shown(i);
            return shown.isEmpty() ? "no label" : "labels '" + String.join(";", shown) + "'";
        }

        /** {@code a.png = b.png} for the first example. */
        String example() {
            return examples.isEmpty() ? "" : String.join(" = ", examples.get(0).values());
        }
    }

    /** The checked splits: validation and test without the copies unless kept, and what was found. */
    record Outcome(ImageSet validation, ImageSet test, DuplicateCheck check) {}

    /**
     * Finds the copies and drops them from {@code validation} and {@code test} unless {@code keep}.
     *
     * @throws HoneException when dropping would leave validation or test empty
     */
    static Outcome apply(ImageSet train, ImageSet validation, ImageSet test, String testName, boolean keep) {
        Digest[] dTrain = DuplicateImages.digests(train);
        Digest[] dValidation = DuplicateImages.digests(validation);
        Digest[] dTest = DuplicateImages.digests(test);
        List<Match> validationInTrain = DuplicateImages.across(train, dTrain, validation, dValidation);
        List<Match> testInTrain = DuplicateImages.across(train, dTrain, test, dTest);
        List<Match> testInValidation = DuplicateImages.across(validation, dValidation, test, dTest);
        DuplicateCheck partial = new DuplicateCheck(Pair.of("train", train, "validation", validation, validationInTrain),
                Pair.of("train", train, "test", test, testInTrain),
                Pair.of("validation", validation, "test", test, testInValidation),
                Pair.of("train", train, "train", train, DuplicateImages.within(train, dTrain)), 0, 0, keep);
        if (keep) {
            return new Outcome(validation, test, partial);
        }
        ImageSet keptValidation = validationInTrain.isEmpty() ? validation
                : validation.subset(DuplicateImages.without(validation.size(), validationInTrain));
        List<Match> fromTest = new ArrayList<>(testInTrain);
        fromTest.addAll(testInValidation);
        ImageSet keptTest = fromTest.isEmpty() ? test : test.subset(DuplicateImages.without(test.size(), fromTest));
        if (validation.size() > 0 && keptValidation.size() == 0) {
            throw new HoneException("all " + validation.size() + " validation images are exact copies of training images (e.g. "
                    + partial.validationInTrain().example() + "), so nothing independent is left to validate on. Fix: remove the "
                    + "copies from the data, or pass --keep-duplicates to keep them (validation scores will then flatter the model)");
        }
        if (test.size() > 0 && keptTest.size() == 0) {
            Pair example = partial.testInTrain().count() > 0 ? partial.testInTrain() : partial.testInValidation();
            throw new HoneException("all " + test.size() + " test images of " + testName + " are exact copies of training or "
                    + "validation images (e.g. " + example.example() + "), so no honest test is possible. Fix: give test images "
                    + "that are not in the training data, or pass --keep-duplicates to keep them (the test accuracy will then "
                    + "flatter the model)");
        }
        return new Outcome(keptValidation, keptTest, new DuplicateCheck(partial.validationInTrain(), partial.testInTrain(),
                partial.testInValidation(), partial.withinTrain(), validation.size() - keptValidation.size(),
                test.size() - keptTest.size(), false));
    }

    /** Whether any validation or test image copies an image it must be independent of. */
    boolean leaks() {
        return validationInTrain.count() + testInTrain.count() + testInValidation.count() > 0;
    }

    /**
     * The console warnings: one per leaking pair, a note on copies inside training, and one per pair
     * whose copies carry contradictory labels.
     */
    List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (Pair p : List.of(validationInTrain, testInTrain, testInValidation)) {
            if (p.count() == 0) {
                continue;
            }
            String of = p.first().equals("train") ? "training" : p.first();
            String what = p.count() + " " + p.second() + (p.count() == 1 ? " image is an exact copy of a " + of + " image"
                    : " images are exact copies of " + of + " images") + " (e.g. " + p.example() + ")"
                    + (p.differentLabel() > 0 ? ", " + p.differentLabel() + " of them under another label" : "");
            out.add(what + (kept ? "; kept because of --keep-duplicates, so the " + p.second() + " scores flatter the model"
                    : "; dropped from " + p.second() + ", which keeps its scores honest (--keep-duplicates keeps them)"));
        }
        int repeats = withinTrain.count() - withinTrain.differentLabel();
        if (repeats > 0) {
            out.add(repeats + " training " + (repeats == 1 ? "image repeats" : "images repeat")
                    + " another training image under the same label (e.g. " + withinTrain.agreeing()
                    + "); kept, they weigh more in training");
        }
        for (Pair p : List.of(withinTrain, validationInTrain, testInTrain, testInValidation)) {
            if (p.differentLabel() > 0) {
                out.add(contradiction(p));
            }
        }
        return out;
    }

    /** Identical pictures in two classes: one label of each pair is wrong, and no split can make that right. */
    private static String contradiction(Pair p) {
        String of = p.first().equals("train") ? "training" : p.first();
        String split = p.second().equals("train") ? "training" : p.second();
        int n = p.differentLabel();
        String who = p.first().equals(p.second())
                ? n + (n == 1 ? " pair" : " pairs") + " of identical " + split + " images carry contradictory labels"
                : n + " " + split + (n == 1 ? " image is identical to a " + of + " image but carries"
                        : " images are identical to " + of + " images but carry") + " a contradictory label";
        return who + ": the same picture is in two classes, e.g. " + p.contradiction() + ", so the model is taught two "
                + "answers for one picture. Fix: remove the mislabelled copy from the data (keep the one in its right class "
                + "folder or manifest row)";
    }

    /** A decision when copies were found: dropped (DERIVED) or kept (USER); empty when none leak. */
    Optional<Decision<?>> decision() {
        if (!leaks()) {
            return Optional.empty();
        }
        if (kept) {
            return Optional.of(Decision.user("keep-duplicates", true));
        }
        return Optional.of(Decision.derived("duplicates", "dropped " + droppedFromValidation + " from validation, "
                + droppedFromTest + " from test", "exact pixel match",
                "validation and test images that copy a training (or, for test, a validation) image measure memory, not "
                        + "generalisation, so they were left out; training keeps its copy",
                Map.of("validationInTrain", validationInTrain.count(), "testInTrain", testInTrain.count(),
                        "testInValidation", testInValidation.count())));
    }

    /** The record's {@code data.duplicates}: counts per pair, examples, what was dropped. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "SHA-256 (first 128 bits) of each image's decoded pixels, confirmed byte by byte");
        for (Pair p : List.of(validationInTrain, testInTrain, testInValidation, withinTrain)) {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("copies", p.count());
            pair.put("differentLabel", p.differentLabel());
            if (p.contradiction() != null) {
                pair.put("contradictoryExample", p.contradiction());
            }
            pair.put("examples", p.examples());
            m.put(key(p), pair);
        }
        m.put("droppedFromValidation", droppedFromValidation);
        m.put("droppedFromTest", droppedFromTest);
        m.put("kept", kept);
        m.put("warnings", warnings());
        return m;
    }

    private static String key(Pair p) {
        return p.first().equals(p.second()) ? "within" + capital(p.first()) : p.first() + capital(p.second());
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
