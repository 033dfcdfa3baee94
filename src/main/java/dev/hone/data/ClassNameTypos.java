package dev.hone.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Classes that look like a mistyped label of another class: a class of very few images whose name is within two edits
 * of a class many times larger (e.g. {@code tshrit}, 1 image, beside {@code tshirt}, 121). A typo in one row of a CSV
 * manifest, or one misnamed folder, otherwise trains as a class of its own and shows only after training, as a class
 * with no test images. It is a warning, not an error: a small class with a similar name can be real. Names that differ
 * only in their digits (numbered classes, {@code class 07} beside {@code class 00}) are not suspected. Two names that differ
 * only in case ({@code Green} beside {@code green}) are, whatever their counts: the rarer is named.
 */
public final class ClassNameTypos {
    /** The most images a suspected class may have: a mistyped label is rarely repeated. */
    static final int MAX_IMAGES = 3;
    /** How many times more images the class it resembles must have. */
    static final int RATIO = 10;
    /** The most single-character insertions, deletions, substitutions or adjacent swaps between the two names. */
    static final int MAX_EDITS = 2;

    private ClassNameTypos() {}

    /**
     * One console line per suspected class, e.g. "class 'tshrit' has 1 image, and its name is 1 edit from 'tshirt'
     * (121 images): a mistyped label? e.g. shirts/a.png in data.csv. Fix: correct the label, or ignore this if 'tshrit'
     * is a class of its own".
     *
     * @param set the labelled images (single-label, binary or multi-label, counting an image for each class it shows;
     *     segmentation and detection sets give none)
     * @param source where they came from, named in the line
     */
    public static List<String> lines(ImageSet set, String source) {
        List<String> lines = new ArrayList<>();
        if (set.segmentation() || set.detection()) {
            return lines;
        }
        int[] counts = set.classCounts(); // a multi-label set's: the images showing each class
        List<String> names = set.classNames();
        for (int k = 0; k < names.size(); k++) {
            if (counts[k] == 0) {
                continue;
            }
            int like = -1;
            int edits = MAX_EDITS + 1;
            for (int j = 0; j < names.size(); j++) {
                boolean sameButCase = j != k && names.get(j).equalsIgnoreCase(names.get(k));
                if (sameButCase && counts[j] >= counts[k] && (counts[j] > counts[k] || j < k)) {
                    like = j; // the rarer spelling of two that differ only in case is suspected, whatever its count
                    edits = 0;
                    break;
                }
                int d = j == k || counts[k] > MAX_IMAGES || counts[j] < RATIO * counts[k]
                        || differInNumbersOnly(names.get(k), names.get(j)) ? MAX_EDITS + 1 : editDistance(names.get(k), names.get(j));
                if (d < edits || (d == edits && like >= 0 && counts[j] > counts[like])) {
                    like = j;
                    edits = d;
                }
            }
            if (like >= 0 && edits == 0) {
                lines.add(String.format(Locale.ROOT, "classes '%s' (%d image%s) and '%s' (%d) differ only in case, so they train as"
                        + " two classes: a mistyped label? e.g. %s in %s. Fix: spell the label one way, or ignore this if they"
                        + " are different classes", names.get(k), counts[k], counts[k] == 1 ? "" : "s", names.get(like),
                        counts[like], firstOf(set, k), source));
            } else if (like >= 0 && edits <= MAX_EDITS) {
                lines.add(String.format(Locale.ROOT, "class '%s' has %d image%s, and its name is %d edit%s from '%s' (%d images):"
                        + " a mistyped label? e.g. %s in %s. Fix: correct the label, or ignore this if '%s' is a class of its own",
                        names.get(k), counts[k], counts[k] == 1 ? "" : "s", edits, edits == 1 ? "" : "s", names.get(like),
                        counts[like], firstOf(set, k), source, names.get(k)));
            }
        }
        return lines;
    }

    /**
     * The model class within {@link #MAX_EDITS} edits of {@code name} (the closest, the first of a tie), or null: what a
     * label the model does not know was perhaps meant to be.
     */
    public static String closest(String name, List<String> classes) {
        String best = null;
        int edits = MAX_EDITS + 1;
        for (String c : classes) {
            int d = differInNumbersOnly(name, c) ? MAX_EDITS + 1 : editDistance(name, c);
            if (d < edits) {
                best = c;
                edits = d;
            }
        }
        return best;
    }

    /**
     * Whether two names are the same once their digits are taken out ({@code class 07} and {@code class 00}, {@code 001} and
     * {@code 017}, {@code cat2} and {@code cat}): numbered classes lie within an edit or two of each other by design.
     */
    static boolean differInNumbersOnly(String a, String b) {
        return !a.equalsIgnoreCase(b) && a.replaceAll("\\d", "").equalsIgnoreCase(b.replaceAll("\\d", ""));
    }

    private static String firstOf(ImageSet set, int k) {
        for (int i = 0; i < set.size(); i++) {
            if (set.multiLabel() ? set.positive(i, k) : set.label(i) == k) {
                return set.source(i);
            }
        }
        return "?";
    }

    /**
     * Optimal string alignment distance, ignoring case: insertions, deletions, substitutions and swaps of two adjacent
     * characters each count one (Damerau 1964, restricted form).
     */
    static int editDistance(String a, String b) {
        a = a.toLowerCase(Locale.ROOT);
        b = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
