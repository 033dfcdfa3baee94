package dev.hone.train;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What makes two runs the same run: the data fingerprints and every user choice that can change
 * the result. A resume must match it exactly, and an output directory holding another run is
 * never overwritten.
 */
public record RunIdentity(Map<String, String> fields) {

    /** The budget field is kept as its seconds, so that {@code 1m}, {@code 60s} and a file written before all compare equal. */
    public RunIdentity {
        fields = new TreeMap<>(fields);
        String budget = fields.get("budget");
        if (budget != null) {
            fields.put("budget", seconds(budget));
        }
    }

    /** A budget as its seconds, e.g. {@code 90s} for {@code 1m30s}; the text as it is when it is not one ({@code null}). */
    static String seconds(String budget) {
        try {
            return dev.hone.metalearn.budget.Budget.text(dev.hone.metalearn.budget.Budget.parse(budget));
        } catch (RuntimeException e) {
            return budget;
        }
    }

    public String key() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(fields.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fields that differ from {@code other}, as {@code name: this vs other}, for error messages, e.g. "budget: 1m vs
     * not set; epochs: not set vs 1".
     */
    public String differences(RunIdentity other) {
        return differences(other, Map.of(), Map.of());
    }

    /**
     * As {@link #differences(RunIdentity)}, with the data named: a fingerprint field ({@code data}, {@code test},
     * {@code unlabeled}) whose data are named on both sides reads "data: PATH vs PATH (other images)", or "data: the
     * images of PATH changed", instead of two hashes.
     *
     * @param sources this run's data as the user named them, by field; empty when not known (a run of an earlier hone)
     * @param otherSources the other run's
     */
    public String differences(RunIdentity other, Map<String, String> sources, Map<String, String> otherSources) {
        StringBuilder out = new StringBuilder();
        TreeMap<String, String> all = new TreeMap<>(fields);
        other.fields.forEach(all::putIfAbsent);
        for (String name : all.keySet()) {
            String a = fields.get(name);
            String b = other.fields.get(name);
            if (Objects.equals(a, b)) {
                continue;
            }
            String mine = source(name, a, sources);
            String theirs = source(name, b, otherSources);
            out.append(out.length() == 0 ? "" : "; ").append(name).append(": ");
            if (mine != null && theirs != null) {
                out.append(mine.equals(theirs) ? "the images of " + mine + " changed" : mine + " vs " + theirs + " (other images)");
            } else {
                out.append(shown(a, mine)).append(" vs ").append(shown(b, theirs));
            }
        }
        return out.toString();
    }

    /**
     * The name of field {@code name}'s data among {@code sources}, or null; a test split the data bring (no {@code --test},
     * not held out) is named after the data.
     */
    private static String source(String name, String value, Map<String, String> sources) {
        String given = sources.get(name);
        if (given == null && name.equals("test") && !"held-out".equals(value) && sources.get("data") != null) {
            return "the test split of " + sources.get("data");
        }
        return given;
    }

    /** A fingerprint shown with the data's name where known; a split held out of the training data by name. */
    private static String shown(String value, String source) {
        if ("held-out".equals(value)) {
            return "a split held out of --data";
        }
        return source != null ? source + " (" + shown(value) + ")" : shown(value);
    }

    /** A flag left out is kept as "null" (so that existing runs keep their key), and read as "not set". */
    private static String shown(String value) {
        return value == null || "null".equals(value) ? "not set" : value;
    }
}
