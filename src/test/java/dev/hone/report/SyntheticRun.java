package dev.hone.report;

import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small made-up run: 3 classes (one with a hostile name), 8x8 grey images, 3 epochs. */
final class SyntheticRun {
    static final List<String> CLASSES = List.of("cat", "<b>&\"x\"", "dog");
    static final String STOP_REASON = "completed 3 epochs";

    private SyntheticRun() {}

    /** 12 images, 4 per class, each a flat grey level plus a diagonal stripe. */
    static ImageSet images() {
        int n = 12;
        byte[] px = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 64; p++) {
                int y = p / 8;
                int x = p % 8;
                px[i * 64 + p] = (byte) (x == y ? 255 : 40 + 60 * labels[i]);
            }
        }
        return new ImageSet(px, labels, 1, 8, 8, CLASSES, i -> "/data/<test>/img&" + i + ".png");
    }

    /** Probabilities that get images 1, 5 and 8 wrong, 5 most confidently. */
    static float[][] probabilities(ImageSet set) {
        float[][] p = new float[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            int label = set.label(i);
            p[i] = new float[] {0.1f, 0.1f, 0.1f};
            p[i][label] = 0.8f;
        }
        p[1] = new float[] {0.6f, 0.3f, 0.1f};   // true 1, predicted 0
        p[5] = new float[] {0.9f, 0.05f, 0.05f}; // true 2, predicted 0
        p[8] = new float[] {0.2f, 0.7f, 0.1f};   // true 2, predicted 1
        return p;
    }

    static Evaluation evaluation(ImageSet set) {
        return EvaluationMetrics.compute("test", set, probabilities(set), 0.42, 5);
    }

    /** Decisions of all four origins, with number, string and map values. */
    static List<Decision<?>> decisions() {
        Map<String, Object> rangeTest = new LinkedHashMap<>();
        rangeTest.put("suggestion", "steepest-descent");
        rangeTest.put("minLossLr", 0.03);
        rangeTest.put("lrs", List.of(1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 3.0, 5.0, 10.0, 20.0));
        return List.of(
                Decision.user("epochs", 3),
                new Decision<>("learning-rate", 0.003, Origin.LEARNED, "lr-range-test",
                        "steepest descent of the smoothed loss, a tenth of the minimum", rangeTest,
                        Duration.ofMillis(14_200)),
                Decision.derived("weight-decay", 5e-4f, "rule", "scaled with batch size",
                        Map.of("batchSize", 64, "base", 1e-4)),
                Decision.byDefault("optimizer", "adamw", "no optimizer search yet; AdamW is robust"),
                Decision.derived("augmentation", Map.of("flip", true, "crop", 2), "joint-search",
                        "chosen with label smoothing, not one at a time", Map.of()));
    }

    static List<EpochMetrics> epochs() {
        return List.of(
                new EpochMetrics(1, 1.05, 0.45, 0.98, 0.50, 0.003, 1.2, 800),
                new EpochMetrics(2, 0.71, 0.70, 0.69, 0.72, 0.002, 1.1, 870),
                new EpochMetrics(3, 0.52, 0.81, 0.55, 0.79, 0.0005, 1.1, 872.5));
    }

    /** {@link #record()} whose test figures are a budget's sample of 1,000 of 10,000 test images. */
    static TrainingRecord sampledRecord() {
        TrainingRecord s = record();
        java.util.Map<String, Object> test = new java.util.LinkedHashMap<>(s.test());
        test.put("count", 1000);
        test.put("sampledFrom", 10000);
        return new TrainingRecord(s.formatVersion(), s.hone(), s.startedAt(), s.finishedAt(), null, s.seed(), s.command(),
                s.environment(), s.data(), s.decisions(), s.epochs(), s.stopReason(), test);
    }

    static TrainingRecord record() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", "17.0.15");
        env.put("os", "Linux amd64");
        env.put("djl", "0.35.1");
        env.put("device", "cpu()");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", "/data/<test>");
        data.put("train", Map.of("count", 36, "fingerprint", "sha256:aa11"));
        data.put("validation", Map.of("count", 12, "fingerprint", "sha256:bb22"));
        data.put("test", Map.of("count", 12, "fingerprint", "sha256:cc33"));
        return new TrainingRecord(TrainingRecord.FORMAT_VERSION, "0.1.0-SNAPSHOT", "2025-01-02T10:00:00Z",
                "2025-01-02T10:01:05Z", null, 42L, "hone train /data/<test>", env, data, decisions(), epochs(),
                STOP_REASON, Map.of("accuracy", 0.75, "loss", 0.42, "count", 12));
    }
}
