package dev.hone.train;

import ai.djl.Model;
import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.models.ModelFactory;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.regularize.TestTimeAugmentation;
import dev.hone.regularize.WeightAveraging;
import dev.hone.tasks.Predictions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The choices made after training, on the validation split: which weights to keep (the last, the
 * EMA or the SWA average) and whether test-time flips help. Each candidate is kept only if it beats
 * the plain choice on validation, so they can never make the reported model worse there.
 */
final class FinalChoices {
    /** SWA averages the last quarter of the steps, where a decaying schedule's learning rate is low. */
    private static final double SWA_FRACTION = 0.25;

    private FinalChoices() {}

    /** The weight averages to keep during training: the policy's, or both EMA and SWA when validation is to choose. */
    static Map<String, WeightAveraging> averages(RegularizationPolicy policy, Model model, long totalSteps) {
        Map<String, WeightAveraging> a = new LinkedHashMap<>();
        String mode = policy.weightAveraging();
        if (mode == null || mode.equals("ema")) {
            a.put("ema", WeightAveraging.ema(model, WeightAveraging.emaDecay(totalSteps)));
        }
        if (mode == null || mode.equals("swa")) {
            a.put("swa", WeightAveraging.swa(model, totalSteps, SWA_FRACTION));
        }
        return a;
    }

    /** The averaging a policy fixes, or null when validation chooses (or there is none). */
    static String fixedAveraging(RegularizationPolicy policy) {
        return policy.weightAveraging() == null || policy.weightAveraging().equals("none") ? null : policy.weightAveraging();
    }

    /**
     * The weights kept ("last", "ema" or "swa"), whether to evaluate with flips, why, and the kept
     * choice's validation predictions (so the final evaluation does not predict the split again).
     */
    record Chosen(String weights, boolean testTimeAugmentation, List<Decision<?>> decisions, Predictions validation) {}

    /**
     * @param averages the averaging techniques that ran ({@code "ema"}, {@code "swa"}), possibly none
     * @param fixedAveraging the policy's averaging when it was fixed (replayed), else null
     * @param fixedTta the policy's test-time augmentation when fixed, else null
     * @param lastValidation the model's current weights' validation predictions when the fit loop made
     *     them (its last epoch, not restored by early stopping), else null: they are predicted here
     */
    static Chosen choose(Model model, ResidentDataset validation, Map<String, WeightAveraging> averages, String fixedAveraging,
            Boolean fixedTta, Predictions lastValidation) {
        return choose(model, validation, averages, fixedAveraging, fixedTta, lastValidation, Origin.USER);
    }

    /**
     * @param fixedBy the origin of the policy that fixed averaging and test-time flips: USER when replayed
     *     or {@code --regularization none}, DEFAULT when the policy was none by rule (no search ran)
     */
    static Chosen choose(Model model, ResidentDataset validation, Map<String, WeightAveraging> averages, String fixedAveraging,
            Boolean fixedTta, Predictions lastValidation, Origin fixedBy) {
        String fixedWhy = fixedBy == Origin.USER ? "fixed by the policy (replayed with --policy, or --regularization none)"
                : "set by the regularization-policy decision (" + fixedBy + "): no search ran, so the policy's value stands";
        long start = System.nanoTime();
        List<Decision<?>> decisions = new ArrayList<>();
        Predictions last = lastValidation != null ? lastValidation : Evaluator.predict(model.getBlock(), validation, 256);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("last", last.score());
        String kept = "last";
        double best = last.score();
        Predictions keptPredictions = last;
        byte[] lastWeights = null;
        for (Map.Entry<String, WeightAveraging> e : averages.entrySet()) {
            if (!e.getValue().hasAverage()) {
                continue;
            }
            if (lastWeights == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ModelFactory.writeWeights(model, out);
                lastWeights = out.toByteArray();
            }
            e.getValue().copyInto(model);
            Predictions averaged = Evaluator.predict(model.getBlock(), validation, 256);
            double acc = averaged.score();
            evidence.put(e.getKey(), acc);
            boolean fixed = e.getKey().equals(fixedAveraging);
            if (fixed || (fixedAveraging == null && acc > best)) {
                kept = e.getKey();
                best = acc;
                keptPredictions = averaged;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ModelFactory.writeWeights(model, out);
                lastWeights = out.toByteArray();
                if (fixed) {
                    break;
                }
            }
            ModelFactory.readWeights(model, new ByteArrayInputStream(lastWeights));
        }
        if (!averages.isEmpty()) {
            decisions.add(new Decision<>("weight-averaging", kept, fixedAveraging != null ? fixedBy : Origin.LEARNED,
                    fixedAveraging != null ? "policy" : "validation comparison",
                    fixedAveraging != null ? fixedWhy : String.format(
                            "validation %s of the last weights and of each average; the best kept (%s, %.4f)",
                            validation.task().validationMetric(), kept, best),
                    evidence, since(start)));
        }
        boolean tta = false;
        if (!validation.task().testTimeFlips()) {
            decisions.add(Decision.byDefault("test-time-augmentation", false, "averaging over horizontal flips does not apply to "
                    + validation.task().name() + ": flipping back its outputs is not defined"));
        } else if (fixedTta != null) {
            tta = fixedTta;
            if (tta) {
                keptPredictions = TestTimeAugmentation.predict(model.getBlock(), validation, 256);
            }
            decisions.add(new Decision<>("test-time-augmentation", tta, fixedBy, "policy", fixedWhy,
                    Map.of(), Duration.ZERO));
        } else {
            long t = System.nanoTime();
            Predictions flips = TestTimeAugmentation.predict(model.getBlock(), validation, 256);
            double flipped = flips.score();
            tta = flipped > best;
            if (tta) {
                keptPredictions = flips;
            }
            decisions.add(new Decision<>("test-time-augmentation", tta, Origin.LEARNED, "validation comparison", String.format(
                    "averaging over horizontal flips gave %.4f on validation vs %.4f without; %s", flipped, best,
                    tta ? "kept" : "not kept"), Map.of("withFlips", flipped, "without", best), since(t)));
        }
        return new Chosen(kept, tta, decisions, keptPredictions);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
