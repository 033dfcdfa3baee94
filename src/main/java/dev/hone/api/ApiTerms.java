package dev.hone.api;

import dev.hone.core.HoneException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java API's names for the CLI's options in an error's message: the checks behind both speak of {@code --epochs} or
 * {@code --resume}, which a {@link HoneTrainer.Builder} user sets as {@code optEpochs} or {@code optResume(true)}.
 */
final class ApiTerms {
    /** Each {@code hone train} flag and the builder method that sets it. */
    private static final Map<String, String> METHODS = new LinkedHashMap<>();

    static {
        String[][] pairs = {{"--data", "setData"}, {"--model", "setModel"}, {"--test", "optTest"}, {"--out", "optOut"},
            {"--budget", "optBudget"}, {"--epochs", "optEpochs"}, {"--seed", "optSeed"}, {"--resume", "optResume(true)"},
            {"--batch-size", "optBatchSize"}, {"--optimizer", "optOptimizer"}, {"--lr", "optLearningRate"},
            {"--schedule", "optSchedule"}, {"--weight-decay", "optWeightDecay"}, {"--width", "optWidth"},
            {"--small-stem", "optSmallStem(true)"}, {"--val-fraction", "optValidationFraction"},
            {"--regularization", "optRegularization"}, {"--policy", "optPolicy"}, {"--keep-duplicates", "optKeepDuplicates(true)"},
            {"--task", "optTask"}, {"--positive", "optPositive"}, {"--ignore-index", "optIgnoreIndex"}, {"--images", "optImages"},
            {"--unlabeled", "optUnlabeled"}, {"--ssl", "optSsl"}, {"--label-delimiter", "optLabelDelimiter"},
            {"--threshold-metric", "optThresholdMetric"}, {"--imbalance", "optImbalance"},
            {"--progressive-resizing", "optProgressiveResizing"}};
        for (String[] p : pairs) {
            METHODS.put(p[0], p[1]);
        }
    }

    /** A flag as a whole word: {@code --test} but not the start of {@code --test-fraction}. */
    private static final Pattern FLAG = Pattern.compile("--[a-z][a-z-]*[a-z]");

    private ApiTerms() {}

    /** {@code message} with each known flag replaced by its builder method; unknown words stay. */
    static String of(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = FLAG.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(METHODS.getOrDefault(m.group(), m.group())));
        }
        return m.appendTail(out).toString();
    }

    /**
     * {@code e} in the API's terms: a plain {@link HoneException} whose message names a flag becomes one naming the builder
     * method, with {@code e} as its cause; any other exception, or one naming no flag, is returned as it is.
     */
    static RuntimeException translate(RuntimeException e) {
        if (e.getClass() != HoneException.class || e.getMessage() == null) {
            return e;
        }
        String api = of(e.getMessage());
        return api.equals(e.getMessage()) ? e : new HoneException(api, e);
    }
}
