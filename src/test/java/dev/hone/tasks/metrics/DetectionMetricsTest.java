package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases of pycocotools' COCOeval rules. Precision is {@code tp / (tp + fp + 2^-52)} in
 * pycocotools, so a "1" is 1 - 2e-16: every comparison has a tolerance of 1e-12. Random cases were also checked
 * against pycocotools 2.0.11 through {@link ScoreCocoDetections} (AP, AP50, AP75, APs/m/l, AR1/10/100, ARs/m/l
 * and per-class AP equal to 1e-12 on 400 seeded sets with crowds, ties, capped images and area overrides).
 */
class DetectionMetricsTest {
    private static final double EPS = 1e-12;
    private static final double U = DetectionMetrics.UNDEFINED;

    /** A truth row: class, x1, y1, x2, y2, ignore. */
    static float[] t(int c, float x1, float y1, float x2, float y2, int ignore) {
        return new float[] {c, x1, y1, x2, y2, ignore};
    }

    static float[] t(int c, float x1, float y1, float x2, float y2) {
        return t(c, x1, y1, x2, y2, 0);
    }

    /** A detection row: class, score, x1, y1, x2, y2. */
    static float[] d(int c, float score, float x1, float y1, float x2, float y2) {
        return new float[] {c, score, x1, y1, x2, y2};
    }

    /** One image's rows, concatenated. */
    static float[] img(float[]... rows) {
        int n = 0;
        for (float[] r : rows) {
            n += r.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    static float[][] images(float[]... perImage) {
        return perImage;
    }

    static DetectionMetrics eval(float[][] truths, float[][] dets, int classes) {
        return DetectionMetrics.evaluate(truths, dets, classes);
    }

    @Test
    void onePerfectDetectionScoresOne() {
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10))), images(img(d(0, 0.9f, 0, 0, 10, 10))), 1);
        assertThat(m.images()).isEqualTo(1);
        for (double v : new double[] {m.ap(), m.ap50(), m.ap75(), m.ar1(), m.ar10(), m.ar100(), m.vocMap50()}) {
            assertThat(v).isCloseTo(1.0, within(EPS));
        }
        // area 100 <= 32^2: small; no medium or large truth, so those are undefined
        assertThat(m.apSmall()).isCloseTo(1.0, within(EPS));
        assertThat(m.arSmall()).isCloseTo(1.0, within(EPS));
        assertThat(m.apMedium()).isEqualTo(U);
        assertThat(m.apLarge()).isEqualTo(U);
        assertThat(m.arLarge()).isEqualTo(U);
        DetectionMetrics.ClassMetrics c = m.classes().get(0);
        assertThat(c.truths()).isEqualTo(1);
        assertThat(c.detections()).isEqualTo(1);
        assertThat(c.precision50()).hasSize(101).allSatisfy(p -> assertThat(p).isCloseTo(1.0, within(EPS)));
    }

    @Test
    void falsePositiveAboveATruePositiveOn101RecallPoints() {
        // truths A, B; detections: A (0.9, TP), far away (0.8, FP), B (0.7, TP)
        // recall [.5, .5, 1], precision [1, .5, 2/3] -> monotone [1, 2/3, 2/3]
        // recall points 0.00..0.50 (51) read index 0 -> 1; 0.51..1.00 (50) read index 2 -> 2/3
        // AP = (51 + 50 * 2/3) / 101 = 253/303 at every IoU threshold (all matches have IoU 1)
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10), t(0, 20, 0, 30, 10))),
                images(img(d(0, 0.9f, 0, 0, 10, 10), d(0, 0.8f, 100, 100, 110, 110), d(0, 0.7f, 20, 0, 30, 10))), 1);
        assertThat(m.ap()).isCloseTo(253.0 / 303, within(EPS));
        assertThat(m.ap50()).isCloseTo(253.0 / 303, within(EPS));
        assertThat(m.ar100()).isCloseTo(1.0, within(EPS));
        // AR1 and AR10: one image, so the cap of 1 keeps A only: recall 1/2
        assertThat(m.ar1()).isCloseTo(0.5, within(EPS));
        assertThat(m.ar10()).isCloseTo(1.0, within(EPS));
        List<Double> curve = m.classes().get(0).precision50();
        assertThat(curve.get(50)).isCloseTo(1.0, within(EPS));
        assertThat(curve.get(51)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(curve.get(100)).isCloseTo(2.0 / 3, within(EPS));
        // VOC all points: mrec [0, .5, .5, 1, 1], envelope [1, 1, 2/3, 2/3, 0]: .5 * 1 + .5 * 2/3 = 5/6
        assertThat(m.vocMap50()).isCloseTo(5.0 / 6, within(EPS));
    }

    @Test
    void scoreTiesKeepInputOrderThenImageOrder() {
        float[] truth = img(t(0, 0, 0, 10, 10));
        float[] tp = d(0, 0.8f, 0, 0, 10, 10);
        float[] fp = d(0, 0.8f, 50, 50, 60, 60);
        // FP first: recall [0, 1], precision [0, .5] -> monotone [.5, .5]: AP .5
        assertThat(eval(images(truth), images(img(fp, tp)), 1).ap()).isCloseTo(0.5, within(EPS));
        // TP first: recall [1, 1], precision [1, .5] -> every recall point reads index 0: AP 1
        assertThat(eval(images(truth), images(img(tp, fp)), 1).ap()).isCloseTo(1.0, within(EPS));
        // across images, ties rank the earlier image first
        float[] none = new float[0];
        assertThat(eval(images(none, truth), images(img(fp), img(tp)), 1).ap()).isCloseTo(0.5, within(EPS));
        assertThat(eval(images(truth, none), images(img(tp), img(fp)), 1).ap()).isCloseTo(1.0, within(EPS));
    }

    @Test
    void aCrowdRegionAbsorbsDuplicateDetections() {
        // regular A, crowd C (100..200); three detections inside C outrank the TP on A. Crowd IoU = intersection
        // over detection area = 1, so all three match C and are ignored: AP 1.
        float[] dets = img(d(0, 0.95f, 110, 110, 130, 130), d(0, 0.9f, 150, 150, 170, 170),
                d(0, 0.85f, 120, 160, 140, 180), d(0, 0.8f, 0, 0, 10, 10));
        DetectionMetrics crowd = eval(images(img(t(0, 0, 0, 10, 10), t(0, 100, 100, 200, 200, 1))), images(dets), 1);
        assertThat(crowd.ap()).isCloseTo(1.0, within(EPS));
        assertThat(crowd.ar100()).isCloseTo(1.0, within(EPS));
        assertThat(crowd.classes().get(0).truths()).isEqualTo(1);
        assertThat(crowd.classes().get(0).ignoredTruths()).isEqualTo(1);
        // the same box as a regular truth: plain IoU 400/10000, so three FPs, then the TP; 2 truths:
        // recall [0, 0, 0, .5], precision [0, 0, 0, .25] -> monotone .25; points 0..0.50 read .25, the rest 0
        // AP = 51 * .25 / 101
        DetectionMetrics plain = eval(images(img(t(0, 0, 0, 10, 10), t(0, 100, 100, 200, 200))), images(dets), 1);
        assertThat(plain.ap()).isCloseTo(51 * 0.25 / 101, within(EPS));
    }

    @Test
    void aDetectionPrefersTheRegularTruthToACrowdRegion() {
        // A (0..10) regular, C (0..100) crowd around it; the detection 0..10 x 0..6 has IoU .6 with A and crowd
        // IoU 1 with C. It takes A at thresholds .50, .55, .60 (TP), and C at .65..95 (ignored, A missed: 0).
        // AP = 3/10; if it took C for its higher IoU it would be ignored everywhere and AP would be 0.
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10), t(0, 0, 0, 100, 100, 1))),
                images(img(d(0, 0.9f, 0, 0, 10, 6))), 1);
        assertThat(m.ap50()).isCloseTo(1.0, within(EPS));
        assertThat(m.ap()).isCloseTo(0.3, within(EPS));
    }

    @Test
    void detectionsInImagesWithoutTruthAreFalsePositives() {
        // image 1 has no truth; its detection (0.9) is an FP ranked above image 0's TP (0.8): AP .5
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10)), new float[0]),
                images(img(d(0, 0.8f, 0, 0, 10, 10)), img(d(0, 0.9f, 0, 0, 10, 10))), 1);
        assertThat(m.images()).isEqualTo(2);
        assertThat(m.ap()).isCloseTo(0.5, within(EPS));
        assertThat(m.ar100()).isCloseTo(1.0, within(EPS));
        assertThat(m.vocMap50()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void aClassWithoutDetectionsScoresZeroAndCounts() {
        // class 0 perfect (1), class 1 has a truth and no detection (0): mean .5
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10), t(1, 20, 20, 30, 30))),
                images(img(d(0, 0.9f, 0, 0, 10, 10))), 2);
        assertThat(m.classes().get(1).ap()).isZero();
        assertThat(m.classes().get(1).ar100()).isZero();
        assertThat(m.classes().get(1).precision50()).hasSize(101).containsOnly(0.0);
        assertThat(m.ap()).isCloseTo(0.5, within(EPS));
        assertThat(m.ar100()).isCloseTo(0.5, within(EPS));
        assertThat(m.vocMap50()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void aClassWithoutTruthIsUndefinedAndLeftOut() throws Exception {
        // class 1 has only a (false) detection: no AP; the means are class 0's
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10))),
                images(img(d(0, 0.9f, 0, 0, 10, 10), d(1, 0.95f, 0, 0, 10, 10))), 2);
        DetectionMetrics.ClassMetrics c1 = m.classes().get(1);
        assertThat(c1.truths()).isZero();
        assertThat(c1.detections()).isEqualTo(1);
        assertThat(c1.ap()).isEqualTo(U);
        assertThat(c1.ap50()).isEqualTo(U);
        assertThat(c1.ar100()).isEqualTo(U);
        assertThat(c1.vocAp50()).isEqualTo(U);
        assertThat(c1.precision50()).isEmpty();
        // -1, not NaN: the record serialises to plain JSON
        String json = new ObjectMapper().writeValueAsString(m);
        assertThat(json).doesNotContain("NaN").contains("\"ap\":-1.0").contains("\"vocMap50\":1.0");
        assertThat(m.ap()).isCloseTo(1.0, within(EPS));
        assertThat(m.vocMap50()).isCloseTo(1.0, within(EPS));
        // no truth at all: every mean is undefined
        DetectionMetrics empty = eval(images(new float[0]), images(img(d(0, 0.9f, 0, 0, 10, 10))), 1);
        assertThat(empty.ap()).isEqualTo(U);
        assertThat(empty.ar100()).isEqualTo(U);
        assertThat(empty.vocMap50()).isEqualTo(U);
    }

    @Test
    void atMostOneHundredDetectionsPerImageAndClass() {
        float[] truth = img(t(0, 0, 0, 10, 10));
        // 99 FPs with scores above the TP: the TP is the 100th and counts. recall reaches 1 at index 99 with
        // precision 1/100; monotone makes every point .01: AP .01. AR100 1, AR10 and AR1 0.
        DetectionMetrics in = eval(images(truth), images(withFalsePositives(99, 0, d(0, 0.01f, 0, 0, 10, 10))), 1);
        assertThat(in.ap()).isCloseTo(0.01, within(EPS));
        assertThat(in.ar100()).isCloseTo(1.0, within(EPS));
        assertThat(in.ar10()).isZero();
        assertThat(in.ar1()).isZero();
        // 100 FPs above it: the TP is the 101st and is cut: AP 0; VOC has no cap: 1/101
        DetectionMetrics out = eval(images(truth), images(withFalsePositives(100, 0, d(0, 0.01f, 0, 0, 10, 10))), 1);
        assertThat(out.ap()).isZero();
        assertThat(out.ar100()).isZero();
        assertThat(out.vocMap50()).isCloseTo(1.0 / 101, within(EPS));
        // the cap is per class: 100 detections of class 1 leave class 0's TP in
        DetectionMetrics other = eval(images(truth), images(withFalsePositives(100, 1, d(0, 0.01f, 0, 0, 10, 10))), 2);
        assertThat(other.classes().get(0).ap()).isCloseTo(1.0, within(EPS));
    }

    /** n FPs of class c with scores above 0.01, far from the truth, then {@code last}. */
    private static float[] withFalsePositives(int n, int c, float[] last) {
        float[][] rows = new float[n + 1][];
        for (int i = 0; i < n; i++) {
            rows[i] = d(c, 0.5f + i / 1000f, 200 + i, 200, 210 + i, 210);
        }
        rows[n] = last;
        return img(rows);
    }

    @Test
    void areaRangesIgnoreTruthsAndUnmatchedDetectionsOutsideThem() {
        // truths of area 20^2 (small), 50^2 (medium), 100^2 (large), each detected exactly (.9, .8, .7), and a
        // large FP (100^2) ranked first (.95)
        float[] truths = img(t(0, 0, 0, 20, 20), t(0, 100, 0, 150, 50), t(0, 200, 0, 300, 100));
        float[] dets = img(d(0, 0.95f, 400, 400, 500, 500), d(0, 0.9f, 0, 0, 20, 20), d(0, 0.8f, 100, 0, 150, 50),
                d(0, 0.7f, 200, 0, 300, 100));
        DetectionMetrics m = eval(images(truths), images(dets), 1);
        // all: FP, TP, TP, TP: recall [0, 1/3, 2/3, 1], precision [0, .5, 2/3, .75] -> monotone .75: AP .75
        assertThat(m.ap()).isCloseTo(0.75, within(EPS));
        // small: medium/large truths ignored, their TPs matched to ignored truths are ignored, the large FP is
        // unmatched outside the range and ignored: the small TP alone: AP 1 (medium likewise)
        assertThat(m.apSmall()).isCloseTo(1.0, within(EPS));
        assertThat(m.apMedium()).isCloseTo(1.0, within(EPS));
        // large: the FP counts, the small and medium TPs are ignored: FP, -, -, TP: monotone .5: AP .5
        assertThat(m.apLarge()).isCloseTo(0.5, within(EPS));
        assertThat(m.arLarge()).isCloseTo(1.0, within(EPS));
        // both ends are inclusive: a 32 x 32 box is small and medium
        DetectionMetrics edge = eval(images(img(t(0, 0, 0, 32, 32))), images(img(d(0, 0.9f, 0, 0, 32, 32))), 1);
        assertThat(edge.apSmall()).isCloseTo(1.0, within(EPS));
        assertThat(edge.apMedium()).isCloseTo(1.0, within(EPS));
        assertThat(edge.apLarge()).isEqualTo(U);
    }

    @Test
    void aBoxOfIou06CountsAtAp50NotAtAp75() {
        // truth 10 x 10, detection 10 x 6 inside it: IoU 60/100 = .6, a match at .50, .55, .60 only
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10))), images(img(d(0, 0.9f, 0, 0, 10, 6))), 1);
        assertThat(m.ap50()).isCloseTo(1.0, within(EPS));
        assertThat(m.ap75()).isZero();
        assertThat(m.ap()).isCloseTo(0.3, within(EPS));
        assertThat(m.ar100()).isCloseTo(0.3, within(EPS));
        assertThat(m.vocMap50()).isCloseTo(1.0, within(EPS));
    }

    @Test
    void greedyMatchingGivesADuplicateTheNextFreeTruth() {
        // A 10 x 10 and B 10 x 8 overlap with IoU .8; two detections equal to A. COCO: the first takes A, the
        // second takes B (IoU .8 >= .5): AP50 1. VOC: the second's best overlap is A, already detected: a
        // duplicate FP: recall [.5, .5], precision [1, .5]: AP .5
        DetectionMetrics m = eval(images(img(t(0, 0, 0, 10, 10), t(0, 0, 0, 10, 8))),
                images(img(d(0, 0.9f, 0, 0, 10, 10), d(0, 0.8f, 0, 0, 10, 10))), 1);
        assertThat(m.ap50()).isCloseTo(1.0, within(EPS));
        assertThat(m.vocMap50()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void paddingRowsAreSkipped() {
        float[] truth = img(t(0, 0, 0, 10, 10), t(-1, 0, 0, 0, 0));
        float[] dets = img(d(0, 0.9f, 0, 0, 10, 10), d(-1, 0.95f, 50, 50, 60, 60), d(0, 0f, 50, 50, 60, 60));
        DetectionMetrics m = eval(images(truth), images(dets), 1);
        assertThat(m.classes().get(0).truths()).isEqualTo(1);
        assertThat(m.classes().get(0).detections()).isEqualTo(1);
        assertThat(m.ap()).isCloseTo(1.0, within(EPS));
    }

    @Test
    void thresholdsAreNumpysDoubles() {
        // np.linspace(.5, .95, 10)[8] and np.linspace(0, 1, 101) entries as numpy prints them
        assertThat(CocoEvaluation.IOU_THRESHOLDS[8]).isEqualTo(0.8999999999999999);
        assertThat(CocoEvaluation.IOU_THRESHOLDS[5]).isEqualTo(0.75);
        List<Double> r = DetectionMetrics.recallThresholds();
        assertThat(r).hasSize(101);
        assertThat(r.get(35)).isEqualTo(0.35000000000000003);
        assertThat(r.get(57)).isEqualTo(0.5700000000000001);
        assertThat(r.get(70)).isEqualTo(0.7000000000000001);
        assertThat(r.get(95)).isEqualTo(0.9500000000000001);
        assertThat(r.get(50)).isEqualTo(0.5);
        assertThat(r.get(100)).isEqualTo(1.0);
    }

    @Test
    void rejectsMalformedInput() {
        float[][] one = images(img(t(0, 0, 0, 10, 10)));
        assertThatThrownBy(() -> eval(one, images(new float[0], new float[0]), 1)).hasMessageContaining("1 images");
        assertThatThrownBy(() -> eval(images(new float[5]), images(new float[0]), 1))
                .hasMessageContaining("not a whole number of rows of 6");
        assertThatThrownBy(() -> eval(one, images(img(d(3, 0.9f, 0, 0, 1, 1))), 2))
                .hasMessageContaining("class 3.0");
        assertThatThrownBy(() -> eval(one, images(img(d(0, Float.NaN, 0, 0, 1, 1))), 1))
                .hasMessageContaining("score NaN");
        assertThatThrownBy(() -> eval(images(img(t(0, 0, 0, Float.POSITIVE_INFINITY, 1))), images(new float[0]), 1))
                .hasMessageContaining("finite");
    }
}
