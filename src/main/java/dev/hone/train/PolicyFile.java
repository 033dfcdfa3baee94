package dev.hone.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Transform;
import dev.hone.core.HoneException;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.record.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code --policy} file, read strictly: a run's output folder stands for its {@code policy.json}; a field hone does
 * not know, a value of the wrong JSON type, a value out of its range and a file with no policy field are refused,
 * naming the file, the field and the fix, before any training. A policy that is read and then written back must be one
 * that trains as it says.
 */
public final class PolicyFile {
    /** The fields of {@link RegularizationPolicy} as {@code policy.json} writes them: its record components. */
    static final Set<String> FIELDS = java.util.Arrays.stream(RegularizationPolicy.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** Averaging a policy may fix; null leaves it to validation. */
    static final List<String> AVERAGING = List.of("none", "ema", "swa");
    /** Mixing alphas above this mix nearly every pair half and half; the papers use 0.2 to 1. */
    static final double MAX_ALPHA = 10;
    private static final String FIX = "pass the policy.json written by an earlier hone train, or leave out --policy to search";
    private static final ObjectMapper STRICT = strict();

    private PolicyFile() {}

    private static ObjectMapper strict() {
        ObjectMapper m = Json.mapper().copy();
        // a field misspelt inside "augmentation" ("magnitde") is refused too, not read as 0
        m.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // "0.5" or "" for a number, 1 for a boolean or 1.5 for a count is a hand-edit gone wrong, not a value to guess at
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Float).setCoercion(CoercionInputShape.Integer,
                CoercionAction.TryConvert).setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert);
        return m;
    }

    /** The file {@code given} names: itself, or a folder's {@code policy.json} (a run's output folder). */
    static Path resolve(Path given) {
        return Files.isDirectory(given) ? given.resolve(RegularizationPolicy.FILE) : given;
    }

    /**
     * Reads and checks a policy file.
     *
     * @param given the file, or a run's output folder holding one
     * @throws HoneException naming the file, the field and the fix: not found, not JSON, not a policy, a newer format, a
     *     value of the wrong type or out of its range
     */
    public static RegularizationPolicy read(Path given) {
        Path file = resolve(given).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw HoneException.of(Files.isDirectory(given) ? "policy file not found in the folder " + given.toAbsolutePath()
                    : "policy file not found", file, "pass the policy.json of an earlier run's output folder (or the folder),"
                    + " or leave out --policy to search");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HoneException.of("the policy file is not JSON (" + Json.describe(e) + ")", file, FIX);
        } catch (IOException e) {
            throw HoneException.of("cannot read the policy file (" + e.getMessage() + ")", file, "make it readable, or " + FIX);
        }
        if (tree == null || !tree.isObject()) {
            throw HoneException.of("the policy file holds no JSON object", file, FIX);
        }
        checkFields(tree, file);
        RegularizationPolicy p;
        try {
            p = STRICT.treeToValue(tree, RegularizationPolicy.class);
        } catch (ValueInstantiationException e) {
            // the record's own checks (a transform, a magnitude, a repeated step) say what is wrong and how to fix it
            if (e.getCause() instanceof HoneException cause) {
                throw new HoneException("policy file " + file + ": " + cause.getMessage());
            }
            throw HoneException.of("the policy file's \"augmentation\" is malformed (it needs a \"steps\" list of steps, each"
                    + " with a \"transform\" and a \"magnitude\")", file,
                    "give \"augmentation\": {\"steps\": [{\"transform\": \"rotate\", \"magnitude\": 0.5}, ...]}, or " + FIX);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw HoneException.of("the policy file has a field hone does not know: '" + e.getPropertyName() + "' in "
                    + place(e.getPath().subList(0, Math.max(0, e.getPath().size() - 1))), file,
                    "use the fields of a policy.json that hone train writes (a step has \"transform\" and \"magnitude\")");
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "a value" : place(e.getPath());
            throw HoneException.of("the policy file's " + field + " has a value of the wrong type", file,
                    "give numbers as numbers (0.5, not \"0.5\"; whole numbers for augmentationsPerBatch and formatVersion), true,"
                    + " false or null for testTimeAugmentation, and strings for transforms and weightAveraging");
        } catch (IOException e) {
            throw HoneException.of("the policy file cannot be read as a policy (" + Json.describe(e) + ")", file, FIX);
        }
        check(p, tree.has("formatVersion"), file);
        return tree.has("formatVersion") ? p : p.withFormatVersion(RegularizationPolicy.FORMAT_VERSION);
    }

    /**
     * A place in the file as Jackson's path to it gives it, e.g. {@code augmentation.steps[0].magnitude}, or
     * {@code the file} for its top level.
     */
    static String place(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "the file" : b.toString();
    }

    private static void checkFields(JsonNode tree, Path file) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = tree.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                unknown.add(name + suggestion(name));
            }
        }
        if (!unknown.isEmpty()) {
            Path beside = file.resolveSibling(RegularizationPolicy.FILE);
            throw HoneException.of("the policy file has fields hone does not know: " + String.join(", ", unknown), file,
                    (!file.getFileName().equals(beside.getFileName()) && Files.isRegularFile(beside) ? "pass " + beside
                            + ", the run's policy beside it; a policy has " : "use the fields of a policy.json that hone"
                            + " train writes: ") + String.join(", ", sorted()));
        }
        boolean any = false;
        for (Iterator<String> names = tree.fieldNames(); names.hasNext();) {
            any |= !names.next().equals("formatVersion");
        }
        if (!any) {
            throw HoneException.of("the policy file sets nothing (no policy field)", file, FIX);
        }
    }

    /** {@code " (did you mean mixupAlpha?)"} for a field that names a known one loosely, else empty. */
    static String suggestion(String name) {
        String n = loose(name);
        for (String f : sorted()) {
            String k = loose(f);
            if (n.length() >= 5 && (k.startsWith(n) || n.startsWith(k))) { // "test" is no "testTimeAugmentation" meant
                return " (did you mean " + f + "?)";
            }
        }
        return "";
    }

    private static String loose(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }

    private static List<String> sorted() {
        return FIELDS.stream().sorted().toList();
    }

    private static void check(RegularizationPolicy p, boolean versioned, Path file) {
        if (versioned && p.formatVersion() > RegularizationPolicy.FORMAT_VERSION) {
            throw HoneException.of("policy file is from a newer hone (format " + p.formatVersion() + ")", file,
                    "upgrade hone, or run without --policy to search again");
        }
        if (versioned && p.formatVersion() < 1) {
            throw HoneException.of("the policy file's formatVersion is " + p.formatVersion() + ", not a format hone wrote", file,
                    "set \"formatVersion\": " + RegularizationPolicy.FORMAT_VERSION);
        }
        range(p.augmentationsPerBatch() >= 0, "augmentationsPerBatch", p.augmentationsPerBatch(),
                "0 (every step on every batch) or how many of the steps to draw for each batch", file);
        range(p.labelSmoothing() >= 0 && p.labelSmoothing() < 1, "labelSmoothing", p.labelSmoothing(), "in [0, 1)", file);
        range(p.mixupAlpha() >= 0 && p.mixupAlpha() <= MAX_ALPHA, "mixupAlpha", p.mixupAlpha(), "0 (off) to " + MAX_ALPHA, file);
        range(p.cutmixAlpha() >= 0 && p.cutmixAlpha() <= MAX_ALPHA, "cutmixAlpha", p.cutmixAlpha(), "0 (off) to " + MAX_ALPHA, file);
        range(p.weightDecay() == null || (p.weightDecay() >= 0 && p.weightDecay() < 1), "weightDecay", p.weightDecay(),
                "null (the optimizer's) or in [0, 1), as --weight-decay takes", file);
        range(p.dropout() >= 0 && p.dropout() < 1, "dropout", p.dropout(), "in [0, 1)", file);
        range(p.stochasticDepth() >= 0 && p.stochasticDepth() < 1, "stochasticDepth", p.stochasticDepth(), "in [0, 1)", file);
        range(p.weightAveraging() == null || AVERAGING.contains(p.weightAveraging()), "weightAveraging",
                p.weightAveraging() == null ? null : "\"" + p.weightAveraging() + "\"",
                "null (validation chooses), \"none\", \"ema\" or \"swa\", in lower case", file);
    }

    private static void range(boolean ok, String field, Object value, String expected, Path file) {
        if (!ok) {
            throw HoneException.of("the policy file's " + field + " is " + value, file, "give " + expected);
        }
    }

    /**
     * Checks that the policy can train this network on these images: dropout and stochastic depth need a built-in network
     * that has them, colour transforms need colour images.
     *
     * @throws HoneException naming the file and the fix
     */
    static void checkFits(RegularizationPolicy p, Path given, ModelSpec spec, int channels) {
        Path file = resolve(given).toAbsolutePath();
        if ((p.dropout() > 0 && !ModelFactory.supportsDropout(spec))
                || (p.stochasticDepth() > 0 && !ModelFactory.supportsStochasticDepth(spec))) {
            throw HoneException.of("the policy has dropout or stochastic depth, which hone cannot add to the network "
                    + spec.displayName(), file, "set \"dropout\" and \"stochasticDepth\" to 0 in the file, or train"
                    + " a built-in --model with residual blocks with it");
        }
        Set<String> usable = new java.util.TreeSet<>();
        Transform.forChannels(channels).forEach(t -> usable.add(t.id()));
        List<String> unusable = new ArrayList<>();
        for (AugmentationPolicy.Step s : p.augmentation().steps()) {
            if (!usable.contains(s.transform())) {
                unusable.add(s.transform());
            }
        }
        if (!unusable.isEmpty()) {
            throw HoneException.of("the policy's " + String.join(", ", unusable) + " needs colour images, and these have "
                    + channels + " channel" + (channels == 1 ? "" : "s"), file, "remove " + (unusable.size() == 1 ? "that step"
                    : "those steps") + " from \"augmentation\"; on these images hone can apply " + String.join(", ", usable));
        }
    }
}
