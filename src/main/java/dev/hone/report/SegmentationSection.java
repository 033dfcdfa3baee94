package dev.hone.report;

import dev.hone.data.ImageSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The segmentation part of the test evaluation: mIoU, pixel accuracy and mean Dice, IoU and Dice per
 * class with a bar chart, and image / truth / prediction overlays for the test images with the best
 * and the worst mIoU.
 */
final class SegmentationSection {
    private SegmentationSection() {}

    static void append(StringBuilder html, Evaluation eval, ImageSet set, ImageSet validationSet) {
        Map<String, Object> m = eval.taskMetrics();
        html.append("<h3>Segmentation metrics</h3>\n<p>mIoU <b>").append(Formats.percentOf(m.get("mIoU"))).append("</b> (mean over the ")
                .append("classes present in the truth or the prediction), pixel accuracy ").append(Formats.percentOf(m.get("pixelAccuracy")))
                .append(", mean Dice ").append(Formats.percentOf(m.get("meanDice"))).append(". Pixels of the ignore index (255, or ")
                .append("--ignore-index) count for nothing.</p>\n");
        List<String> names = new ArrayList<>();
        List<Double> ious = new ArrayList<>();
        if (m.get("perClass") instanceof List<?> rows) {
            html.append("<div class=\"grid\">\n<table>\n").append(Html.row("th", "class", "IoU", "Dice", "pixels"));
            for (Object o : rows) {
                if (o instanceof Map<?, ?> r) {
                    html.append(Html.row("td", Html.escape(String.valueOf(r.get("class"))), fixed(r.get("iou")),
                            fixed(r.get("dice")), String.valueOf(r.get("pixels"))));
                    if (r.get("iou") instanceof Number n) {
                        names.add(String.valueOf(r.get("class")));
                        ious.add(n.doubleValue());
                    }
                }
            }
            html.append("</table>\n");
            if (!names.isEmpty()) {
                html.append("<figure class=\"chart\">").append(Html.img(iouChart(names, ious), "IoU per class")).append("</figure>\n");
            }
            html.append("</div>\n");
        }
        if (set != null && set.segmentation()) {
            overlays(html, "Worst test images (lowest mIoU)", m.get("worstImages"), set);
            overlays(html, "Best test images (highest mIoU)", m.get("bestImages"), set);
        }
        if (validationSet != null && validationSet.segmentation()) {
            overlays(html, "Worst validation images (lowest mIoU)", m.get("validationWorstImages"), validationSet);
            overlays(html, "Best validation images (highest mIoU)", m.get("validationBestImages"), validationSet);
        }
    }

    /** One figure per listed image: the image, its true mask and the predicted mask over it. */
    private static void overlays(StringBuilder html, String title, Object listed, ImageSet set) {
        if (!(listed instanceof List<?> rows) || rows.isEmpty()) {
            return;
        }
        html.append("<h3>").append(Html.escape(title)).append("</h3>\n<p class=\"note\">Each: the image, the true mask over it, "
                + "the predicted mask over it (background unpainted; VOC colours).</p>\n<div class=\"grid\">\n");
        int hw = set.height() * set.width();
        for (Object o : rows) {
            if (!(o instanceof Map<?, ?> r) || !(r.get("index") instanceof Number idx) || idx.intValue() >= set.size()) {
                continue;
            }
            int i = idx.intValue();
            BufferedImage image = ImageTiles.render(set, i);
            byte[] truth = java.util.Arrays.copyOfRange(set.masks(), i * hw, (i + 1) * hw);
            html.append("<figure>").append(Html.img(ImageTiles.encodePng(image), "image " + i))
                    .append(Html.img(MaskImages.encode(MaskImages.overlay(image, truth, set.height(), set.width())), "truth " + i));
            if (r.get("predictedMask") instanceof String b64) {
                byte[] predicted = MaskImages.indices(Base64.getDecoder().decode(b64));
                if (predicted.length == hw) {
                    html.append(Html.img(MaskImages.encode(MaskImages.overlay(image, predicted, set.height(), set.width())),
                            "prediction " + i));
                }
            }
            html.append("<figcaption>mIoU ").append(fixed(r.get("mIoU"))).append("<br><span class=\"src\">")
                    .append(Html.escape(set.source(i))).append("</span></figcaption></figure>\n");
        }
        html.append("</div>\n");
    }

    private static byte[] iouChart(List<String> names, List<Double> ious) {
        CategoryChart chart = new CategoryChartBuilder().width(520).height(320).title("IoU per class (test)")
                .xAxisTitle("class").yAxisTitle("IoU").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("IoU", names, ious);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the IoU chart", e);
        }
    }

    private static String fixed(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "n/a";
    }
}
