package dev.hone.report;

import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Json;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts as PNG bytes, for the HTML report.
 *
 * <p>Everything is built on one {@link #lineChart} so that new plots (the learning-rate range test,
 * a noise-scale trace) are one short method each and all look alike. Rendering is headless: the
 * property is set before any AWT class loads, so reports can be written on servers without a display.
 */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Size of every chart, in pixels; wide enough for a laptop screen, small enough to embed. */
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;

    private Charts() {}

    /** Training and validation loss per epoch. */
    public static byte[] lossCurves(List<EpochMetrics> epochs) {
        return perEpoch("Loss", "loss", epochs, EpochMetrics::trainLoss, EpochMetrics::valLoss);
    }

    /** Training and validation accuracy per epoch. */
    public static byte[] accuracyCurves(List<EpochMetrics> epochs) {
        return perEpoch("Accuracy", "accuracy", epochs, EpochMetrics::trainAccuracy, EpochMetrics::valAccuracy);
    }

    /**
     * Loss against learning rate from a range test (Smith, arXiv:1506.01186), log x axis, with the
     * chosen rate marked when given.
     */
    public static byte[] rangeTest(double[] learningRates, double[] losses, Double chosen) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("loss", new double[][] {learningRates, losses});
        return lineChart("Learning-rate range test", "learning rate", "loss", series, true, chosen);
    }

    /**
     * Draws one line per series and encodes the chart as PNG.
     *
     * <p>Points whose x or y is not finite (e.g. a validation loss of NaN when there was no validation
     * set) are dropped; a series left with no points is not drawn.
     *
     * @param series name to {@code {xs, ys}}, drawn in the map's iteration order
     * @param logX whether the x axis is logarithmic (all x must then be positive)
     * @param markerX where to draw a vertical line, in data coordinates; null for none
     * @throws IllegalArgumentException when no series has a point to draw, or xs and ys differ in length
     */
    public static byte[] lineChart(String title, String xLabel, String yLabel, Map<String, double[][]> series,
            boolean logX, Double markerX) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart, logX);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[][] points = finitePoints(e.getKey(), e.getValue(), logX);
            if (points[0].length > 0) {
                XYSeries s = chart.addSeries(e.getKey(), points[0], points[1]);
                s.setMarker(points[0].length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' has no finite points to draw");
        }
        if (markerX != null && Double.isFinite(markerX) && (!logX || markerX > 0)) {
            chart.addAnnotation(new AnnotationLine(markerX, true, false));
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + title + "'", e);
        }
    }

    private static byte[] perEpoch(String title, String yLabel, List<EpochMetrics> epochs,
            ToDoubleFunction<EpochMetrics> train, ToDoubleFunction<EpochMetrics> validation) {
        double[] xs = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("train", new double[][] {xs, epochs.stream().mapToDouble(train).toArray()});
        series.put("validation", new double[][] {xs, epochs.stream().mapToDouble(validation).toArray()});
        return lineChart(title, "epoch", yLabel, series, false, null);
    }

    private static void style(XYChart chart, boolean logX) {
        var styler = chart.getStyler();
        styler.setXAxisLogarithmic(logX);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setAntiAlias(true);
    }

    private static double[][] finitePoints(String name, double[][] xy, boolean logX) {
        if (xy == null || xy.length != 2 || xy[0] == null || xy[1] == null || xy[0].length != xy[1].length) {
            throw new IllegalArgumentException("series '" + name + "' must be {xs, ys} of equal length");
        }
        int n = xy[0].length;
        double[] xs = new double[n];
        double[] ys = new double[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            double x = xy[0][i];
            double y = xy[1][i];
            if (Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0)) {
                xs[kept] = x;
                ys[kept] = y;
                kept++;
            }
        }
        return new double[][] {Arrays.copyOf(xs, kept), Arrays.copyOf(ys, kept)};
    }

    /** The charts in {@code decision}'s evidence, whether built in memory or read back from JSON. */
    public static List<ChartSpec> of(Decision<?> decision) {
        Object charts = decision.evidence().get(ChartSpec.EVIDENCE_KEY);
        List<ChartSpec> out = new ArrayList<>();
        if (charts instanceof List<?> list) {
            for (Object c : list) {
                out.add(c instanceof ChartSpec spec ? spec : Json.mapper().convertValue(c, ChartSpec.class));
            }
        }
        return out;
    }

    /** {@code chart} drawn as a PNG. */
    public static byte[] png(ChartSpec chart) {
        return lineChart(chart.title(), chart.xLabel(), chart.yLabel(), chart.series(), chart.logX(), chart.markerX());
    }
}
