package dev.hone.report;

import dev.hone.data.ImageSet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The detection part of the test evaluation: COCO's headline figures (mAP over IoU 0.50:0.95, AP50,
 * AP75, AP by object size, AR) and VOC's mAP@0.5, AP per class, the precision-recall curves at IoU 0.5,
 * and the test (and validation) images with the best and the worst F1, their predicted and true boxes
 * drawn.
 */
final class DetectionSection {
    /** Rendered pictures are at least this many pixels on their short side, so that labels are readable. */
    private static final int MIN_PICTURE_SIDE = 192;

    private DetectionSection() {}

    static void append(StringBuilder html, Evaluation eval, ImageSet set, ImageSet validationSet) {
        Map<String, Object> m = eval.taskMetrics();
        html.append("<h3>Detection metrics</h3>\n<p>mAP <b>").append(Formats.percentOf(m.get("mAP"))).append("</b> (COCO's AP averaged over ")
                .append("IoU 0.50:0.05:0.95, 100 detections per image, computed as pycocotools does), AP50 ")
                .append(Formats.percentOf(m.get("AP50"))).append(", AP75 ").append(Formats.percentOf(m.get("AP75"))).append(", VOC mAP@0.5 ")
                .append(Formats.percentOf(m.get("vocMAP50"))).append(".</p>\n<table>\n").append(Html.row("th", "metric", "value"));
        for (String key : List.of("mAP", "AP50", "AP75", "APsmall", "APmedium", "APlarge", "AR1", "AR10", "AR100", "vocMAP50")) {
            html.append(Html.row("td", key, fixed(m.get(key))));
        }
        html.append("</table>\n<p class=\"note\">Size ranges are COCO's (small under 32x32 pixels, large over 96x96) on the box "
                + "area at the model's input size; n/a where no true box falls in the range.</p>\n");
        List<String> names = eval.classes() == null ? List.of() : eval.classes();
        if (m.get("perClass") instanceof List<?> rows) {
            html.append("<div class=\"grid\">\n<table>\n").append(Html.row("th", "class", "true boxes", "AP", "AP50", "AP75", "AR100"));
            for (Object o : rows) {
                if (o instanceof Map<?, ?> r) {
                    html.append(Html.row("td", Html.escape(String.valueOf(r.get("class"))), String.valueOf(r.get("truths")),
                            fixed(r.get("AP")), fixed(r.get("AP50")), fixed(r.get("AP75")), fixed(r.get("AR100"))));
                }
            }
            html.append("</table>\n");
            byte[] chart = curves(m);
            if (chart != null) {
                html.append("<figure class=\"chart\">").append(Html.img(chart, "precision-recall at IoU 0.5")).append("</figure>\n");
            }
            html.append("</div>\n");
        }
        if (set != null && set.detection()) {
            pictures(html, "Worst test images (lowest F1)", m.get("worstImages"), set, names);
            pictures(html, "Best test images (highest F1)", m.get("bestImages"), set, names);
        }
        if (validationSet != null && validationSet.detection()) {
            pictures(html, "Worst validation images (lowest F1)", m.get("validationWorstImages"), validationSet, names);
            pictures(html, "Best validation images (highest F1)", m.get("validationBestImages"), validationSet, names);
        }
    }

    /** The precision-recall curves at IoU 0.5 of every class with truths, or null when there are none. */
    private static byte[] curves(Map<String, Object> m) {
        if (!(m.get("precisionRecall50") instanceof Map<?, ?> pr) || !(pr.get("recall") instanceof List<?> recall)
                || !(pr.get("precision") instanceof Map<?, ?> perClass) || perClass.isEmpty()) {
            return null;
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        double[] r = recall.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        for (Map.Entry<?, ?> e : perClass.entrySet()) {
            if (e.getValue() instanceof List<?> p && p.size() == r.length) {
                series.put(String.valueOf(e.getKey()), new double[][] {r, p.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray()});
            }
        }
        return series.isEmpty() ? null : Charts.lineChart("Precision-recall at IoU 0.5 (test, COCO's 101 points)", "recall",
                "precision", series, false, null);
    }

    /** One figure per listed image: the image with its true boxes (dashed white) and its detections drawn. */
    private static void pictures(StringBuilder html, String title, Object listed, ImageSet set, List<String> names) {
        if (!(listed instanceof List<?> rows) || rows.isEmpty()) {
            return;
        }
        html.append("<h3>").append(Html.escape(title)).append("</h3>\n<p class=\"note\">True boxes dashed white; detections scoring "
                + "at least the shown score in their class's colour, with the score. F1 at IoU 0.5.</p>\n<div class=\"grid\">\n");
        int scale = Math.max(1, (MIN_PICTURE_SIDE + Math.min(set.height(), set.width()) - 1) / Math.min(set.height(), set.width()));
        for (Object o : rows) {
            if (!(o instanceof Map<?, ?> r) || !(r.get("index") instanceof Number idx) || idx.intValue() >= set.size()) {
                continue;
            }
            int i = idx.intValue();
            List<BoxImages.Box> boxes = new ArrayList<>();
            if (r.get("truths") instanceof List<?> truths) {
                for (Object t : truths) {
                    double[] v = numbers(t);
                    if (v.length >= 5) {
                        boxes.add(new BoxImages.Box((int) v[0], Double.NaN, v[1], v[2], v[1] + v[3], v[2] + v[4]));
                    }
                }
            }
            if (r.get("detections") instanceof List<?> detections) {
                for (Object d : detections) {
                    double[] v = numbers(d);
                    if (v.length >= 6) {
                        boxes.add(new BoxImages.Box((int) v[0], v[1], v[2], v[3], v[2] + v[4], v[3] + v[5]));
                    }
                }
            }
            BufferedImage image = ImageTiles.render(set, i, set.height() * scale, set.width() * scale);
            html.append("<figure>").append(Html.img(MaskImages.encode(BoxImages.draw(image, boxes, names, scale)), "image " + i))
                    .append("<figcaption>F1 ").append(fixed(r.get("f1"))).append("<br><span class=\"src\">")
                    .append(Html.escape(set.source(i))).append("</span></figcaption></figure>\n");
        }
        html.append("</div>\n");
    }

    private static double[] numbers(Object row) {
        if (row instanceof List<?> l) {
            return l.stream().mapToDouble(v -> v instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
        }
        if (row instanceof float[] f) {
            double[] out = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                out[k] = f[k];
            }
            return out;
        }
        return new double[0];
    }

    private static String fixed(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "n/a";
    }
}
