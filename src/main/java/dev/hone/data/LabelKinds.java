package dev.hone.data;

import dev.hone.core.HoneException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a classification set to the kind of labels a run or a model has: one class per image (single-label and binary)
 * or a set of classes per image (multi-label). A test set or evaluation data may come in the other kind: class folders
 * or a {@code path,label} CSV for a multi-label model, whose one label is a set of one; or a {@code path,labels} CSV for a
 * single-label model, which is read only when every image has exactly one label.
 */
public final class LabelKinds {
    /** How many images without exactly one label a refusal names. */
    private static final int SHOWN = 3;

    private LabelKinds() {}

    /** A single-label {@code set} as a multi-label one: each image's label a set of one. */
    public static ImageSet setsOfOne(ImageSet set) {
        int k = set.numClasses();
        byte[] hot = new byte[set.size() * k];
        for (int i = 0; i < set.size(); i++) {
            hot[i * k + set.label(i)] = 1;
        }
        return set.withMultiHot(hot);
    }

    /**
     * {@code set} with labels of the wanted kind; the set itself when it has them, and segmentation and detection sets as
     * they are.
     *
     * @param multiLabel whether a set of labels per image is wanted
     * @param name the data's name, for the refusal
     * @param wanted what has that kind, for the refusal: e.g. "the model in DIR" or "--data"
     * @throws HoneException when one label per image is wanted and an image has none or several, naming the first
     *     {@value #SHOWN} such images and their labels
     */
    public static ImageSet as(ImageSet set, boolean multiLabel, String name, String wanted) {
        return as(set, multiLabel, name, wanted, "give every image exactly one label, or train a multi-label model"
                + " (--task multi-label) to be tested on sets of labels");
    }

    /** As {@link #as(ImageSet, boolean, String, String)}, with the refusal's {@code fix}. */
    public static ImageSet as(ImageSet set, boolean multiLabel, String name, String wanted, String fix) {
        if (set.segmentation() || set.detection() || set.multiLabel() == multiLabel) {
            return set;
        }
        if (multiLabel) {
            return setsOfOne(set);
        }
        int[] labels = new int[set.size()];
        List<String> faults = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < set.size(); i++) {
            List<String> shown = set.shown(i);
            if (shown.size() == 1) {
                labels[i] = set.classNames().indexOf(shown.get(0));
            } else {
                count++;
                if (faults.size() < SHOWN) {
                    faults.add(set.source(i) + " (" + (shown.isEmpty() ? "no label" : String.join(", ", shown)) + ")");
                }
            }
        }
        if (count > 0) {
            throw HoneException.of(count + " of the " + set.size() + " images have no label or several, but " + wanted + " has one"
                    + " class per image (single-label); e.g. " + String.join("; ", faults), name, fix);
        }
        return new ImageSet(set.pixels(), labels, set.channels(), set.height(), set.width(), set.classNames(), set::source);
    }
}
