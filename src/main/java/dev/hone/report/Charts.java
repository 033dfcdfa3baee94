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
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
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

    /**
     * Size of every chart, in pixels (a rate chart with many lines is {@link #WIDE_WIDTH} wide); wide enough
     * for a laptop screen, small enough to embed.
     */
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;

    /** Width of a rate chart whose legend stands beside the plot, so the plot keeps its size. */
    public static final int WIDE_WIDTH = 800;
    /** The most lines whose legend fits inside a rate chart without hiding the curves. */
    static final int LEGEND_INSIDE_MAX = 4;

    private Charts() {}

    /** Training and validation loss per epoch. */
    public static byte[] lossCurves(List<EpochMetrics> epochs) {
        return perEpoch("Loss", "loss", epochs, EpochMetrics::trainLoss, EpochMetrics::valLoss);
    }

    /**
     * The training measure and the validation metric per epoch, named by the task (e.g. subset accuracy and mAP for
     * multi-label), on one axis of fractions.
     */
    public static byte[] accuracyCurves(List<EpochMetrics> epochs, String trainingMeasure, String validationMetric) {
        String title = trainingMeasure.equals(validationMetric) ? capitalized(trainingMeasure)
                : "Training " + trainingMeasure + ", validation " + validationMetric;
        return perEpoch(title, trainingMeasure.equals(validationMetric) ? trainingMeasure : "fraction", epochs,
                EpochMetrics::trainAccuracy, EpochMetrics::valAccuracy);
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
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
     * Precision against recall, one line per class with its AP (average precision, as scikit-learn) in the
     * legend, and its operating point (precision and recall on the test set at the learned threshold)
     * marked as a diamond.
     *
     * @throws IllegalArgumentException when {@code curves} is empty
     */
    public static byte[] precisionRecall(String title, List<TaskCurves.PrecisionRecall> curves) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        Map<String, double[]> marked = new LinkedHashMap<>();
        for (TaskCurves.PrecisionRecall c : curves) {
            String name = String.format(Locale.ROOT, "%s (AP %.3f, t %.2f)", shortName(c.className()),
                    c.averagePrecision(), c.threshold());
            name = series.containsKey(name) ? name + " #" + (series.size() + 1) : name;
            series.put(name, new double[][] {c.recall(), c.precision()});
            marked.put(name, new double[] {c.operatingRecall(), c.operatingPrecision()});
        }
        return lineChart(title, "recall", "precision", series, marked, null);
    }

    /**
     * The ROC curve of a binary task, ROC-AUC in the title and legend, the operating point at the learned
     * threshold marked, and the chance diagonal.
     */
    public static byte[] roc(TaskCurves.Roc roc) {
        String name = String.format(Locale.ROOT, "%s (ROC-AUC %.3f, t %.2f)", shortName(roc.className()), roc.auc(),
                roc.threshold());
        return lineChart(String.format(Locale.ROOT, "ROC, AUC %.3f (diamond: operating point)", roc.auc()),
                "false-positive rate", "true-positive rate (recall)",
                Map.of(name, new double[][] {roc.falsePositiveRate(), roc.truePositiveRate()}),
                Map.of(name, new double[] {roc.operatingFalsePositiveRate(), roc.operatingTruePositiveRate()}),
                "chance (AUC 0.5)");
    }

    /**
     * A reliability diagram (Guo et al. 2017, arXiv:1706.04599): per non-empty bin, the fraction of
     * positives against the mean predicted probability, with the diagonal of perfect calibration and the
     * ECE (expected calibration error, in [0, 1]) in the title. NaN entries (empty bins) are skipped.
     */
    public static byte[] reliability(double[] meanConfidence, double[] observedFrequency, double ece) {
        return lineChart("Reliability diagram, ECE " + (Double.isFinite(ece) ? String.format(Locale.ROOT, "%.4f", ece) : "n/a"),
                "mean predicted probability", "fraction positive",
                Map.of("test bins", new double[][] {meanConfidence, observedFrequency}), Map.of(), "perfect calibration");
    }

    private static String shortName(String name) {
        return name == null ? "?" : name.length() <= 24 ? name : name.substring(0, 23) + "\u2026";
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
        XYChart chart = chart(WIDTH, title, xLabel, yLabel, logX);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE); // beside the plot: it hides no point
        addLines(chart, title, series, logX);
        if (markerX != null && Double.isFinite(markerX) && (!logX || markerX > 0)) {
            chart.addAnnotation(new AnnotationLine(markerX, true, false));
        }
        return encode(chart, title);
    }

    /**
     * Draws rates on the unit square: lines, a marked point on some of them, and the dashed diagonal
     * {@code y = x} when named. Both axes span [0, 1]. The legend goes to the corner the lines cross least;
     * with more than four lines it would hide them, so it stands beside the plot and the chart is
     * {@link #WIDE_WIDTH} wide.
     *
     * @param series name to {@code {xs, ys}}, as {@link #lineChart(String, String, String, Map, boolean, Double)}
     * @param marked line name to the {@code {x, y}} marked on it (an operating point), drawn as a diamond
     *     in the line's colour with no legend entry, the line then without vertex markers; names of lines
     *     not drawn are ignored
     * @param diagonal the legend name of the diagonal (chance for ROC, perfect calibration for a reliability
     *     diagram), or null for none
     * @throws IllegalArgumentException as {@link #lineChart(String, String, String, Map, boolean, Double)}
     */
    public static byte[] lineChart(String title, String xLabel, String yLabel, Map<String, double[][]> series,
            Map<String, double[]> marked, String diagonal) {
        boolean legendBeside = series.size() > LEGEND_INSIDE_MAX;
        XYChart chart = chart(legendBeside ? WIDE_WIDTH : WIDTH, title, xLabel, yLabel, false);
        var styler = chart.getStyler();
        styler.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        if (diagonal != null) {
            XYSeries d = chart.addSeries(diagonal, new double[] {0, 1}, new double[] {0, 1});
            d.setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY).setLineStyle(SeriesLines.DASH_DASH);
        }
        List<XYSeries> lines = addLines(chart, title, series, false);
        Color[] palette = styler.getSeriesColors();
        for (int i = 0; i < lines.size(); i++) {
            XYSeries line = lines.get(i);
            Color color = palette[i % palette.length];
            line.setMarkerColor(color).setLineColor(color);
            double[] p = marked.get(line.getName());
            if (p != null && p.length == 2 && Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                line.setMarker(SeriesMarkers.NONE); // only the marked point stands out
                XYSeries dot = chart.addSeries(line.getName() + " \u2022", new double[] {p[0]}, new double[] {p[1]});
                dot.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                dot.setMarker(SeriesMarkers.DIAMOND).setMarkerColor(color).setShowInLegend(false);
            }
        }
        styler.setMarkerSize(9);
        styler.setLegendPosition(legendBeside ? Styler.LegendPosition.OutsideE
                : emptiestCorner(series.values(), diagonal != null));
        return encode(chart, title);
    }

    private static XYChart chart(int width, String title, String xLabel, String yLabel, boolean logX) {
        XYChart chart = new XYChartBuilder().width(width).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart, logX);
        return chart;
    }

    /** Adds the series with a finite point; fails when none has one. */
    private static List<XYSeries> addLines(XYChart chart, String title, Map<String, double[][]> series, boolean logX) {
        List<XYSeries> added = new ArrayList<>();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[][] points = finitePoints(e.getKey(), e.getValue(), logX);
            if (points[0].length > 0) {
                XYSeries s = chart.addSeries(e.getKey(), points[0], points[1]);
                s.setMarker(points[0].length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
                added.add(s);
            }
        }
        if (added.isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' has no finite points to draw");
        }
        return added;
    }

    /**
     * Bars of counts over equal bins of [0, 1], each labelled by its lower edge: e.g. the teacher's confidence on the
     * unlabeled images.
     *
     * @throws IllegalArgumentException when there are no bins
     */
    public static byte[] histogram(String title, String xLabel, int[] counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("histogram '" + title + "' has no bins");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle("images").build();
        List<String> edges = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            edges.add(String.format(Locale.ROOT, "%.2f", (double) i / counts.length));
            values.add(counts[i]);
        }
        chart.addSeries("images", edges, values);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(90);
        return encode(chart, title);
    }

    private static byte[] encode(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String title) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + title + "'", e);
        }
    }

    /** The inside corner of the unit square crossed least by the lines (sampled along each segment). */
    static Styler.LegendPosition emptiestCorner(Iterable<double[][]> series, boolean diagonal) {
        int[] crowd = new int[4]; // SW, SE, NW, NE
        List<double[][]> all = new ArrayList<>();
        series.forEach(all::add);
        if (diagonal) {
            all.add(new double[][] {{0, 1}, {0, 1}});
        }
        for (double[][] xy : all) {
            for (int i = 0; xy != null && xy.length == 2 && i + 1 < Math.min(xy[0].length, xy[1].length); i++) {
                for (int s = 0; s < 8; s++) {
                    double x = xy[0][i] + (xy[0][i + 1] - xy[0][i]) * s / 8;
                    double y = xy[1][i] + (xy[1][i + 1] - xy[1][i]) * s / 8;
                    if (Double.isFinite(x) && Double.isFinite(y)) {
                        crowd[(x < 0.5 ? 0 : 1) + (y < 0.5 ? 0 : 2)]++;
                    }
                }
            }
        }
        Styler.LegendPosition[] corners = {Styler.LegendPosition.InsideSW, Styler.LegendPosition.InsideSE,
            Styler.LegendPosition.InsideNW, Styler.LegendPosition.InsideNE};
        int best = 0;
        for (int c = 1; c < 4; c++) {
            best = crowd[c] < crowd[best] ? c : best;
        }
        return corners[best];
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
