package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.record.EpochMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.style.Styler;

class ChartsTest {

    @Test
    void curvesArePngsOfTheChartSize() throws IOException {
        assertPng(Charts.lossCurves(SyntheticRun.epochs()));
        assertPng(Charts.accuracyCurves(SyntheticRun.epochs(), "accuracy", "accuracy"));
    }

    @Test
    void rangeTestPlotHasALogAxisAndAMarker() throws IOException {
        double[] lrs = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1};
        double[] losses = {2.3, 2.29, 2.2, 1.6, 1.1, 1.9, 9.0};
        assertPng(Charts.rangeTest(lrs, losses, 1e-3));
        assertPng(Charts.rangeTest(lrs, losses, null));
    }

    @Test
    void nonFinitePointsAreDroppedAndASeriesWithNoneLeftIsSkipped() throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("train", new double[][] {{1, 2, 3}, {1.0, Double.NaN, 0.5}});
        series.put("validation", new double[][] {{1, 2, 3}, {Double.NaN, Double.NaN, Double.NaN}});
        assertPng(Charts.lineChart("t", "x", "y", series, false, null));
        // one epoch, no validation: still a chart
        assertPng(Charts.lossCurves(List.of(new EpochMetrics(1, 0.7, 0.6, Double.NaN, Double.NaN, 0.1, 1, 10))));
    }

    @Test
    void nothingToDrawIsAnError() {
        Map<String, double[][]> series = Map.of("v", new double[][] {{1}, {Double.NaN}});
        assertThatThrownBy(() -> Charts.lineChart("empty", "x", "y", series, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'empty'");
        assertThatThrownBy(() -> Charts.lineChart("bad", "x", "y", Map.of("v", new double[][] {{1, 2}, {1}}),
                false, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("equal length");
    }

    @Test
    void precisionRecallRocAndReliabilityChartsArePngs() throws IOException {
        boolean[] y = new boolean[300];
        float[] s = TaskCurvesTest.scores(300, y, 7);
        TaskCurves curves = TaskCurves.binary("Shirt", s, y, 0.4);
        assertPng(Charts.precisionRecall("Precision-recall", curves.precisionRecall()));
        assertPng(Charts.roc(curves.roc()));
        // two classes whose shortened legend names coincide are both drawn
        TaskCurves.PrecisionRecall c = curves.precisionRecall().get(0);
        assertPng(Charts.precisionRecall("twins", List.of(c, c)));
        assertPng(Charts.reliability(new double[] {0.1, 0.5, Double.NaN, 0.9}, new double[] {0.2, 0.45, Double.NaN, 0.7},
                0.061));
        assertPng(Charts.reliability(new double[] {0.5}, new double[] {0.5}, Double.NaN));
    }

    @Test
    void aMarkedPointOnAnUndrawnLineIsIgnoredAndTheLegendAvoidsTheCurves() throws IOException {
        Map<String, double[][]> series = Map.of("roc", new double[][] {{0, 0.05, 0.2, 1}, {0, 0.7, 0.95, 1}});
        assertPng(Charts.lineChart("t", "x", "y", series, Map.of("other", new double[] {0.5, 0.5}), "chance"));
        // a good ROC curve hugs the upper left; the chance diagonal crosses lower left and upper right
        assertThat(Charts.emptiestCorner(series.values(), true)).isEqualTo(Styler.LegendPosition.InsideSE);
        // a good precision-recall curve: high precision until recall is high
        assertThat(Charts.emptiestCorner(List.<double[][]>of(new double[][] {{0, 0.5, 0.9, 1}, {1, 0.95, 0.8, 0.3}}), false))
                .isEqualTo(Styler.LegendPosition.InsideSW);
    }

    private static void assertPng(byte[] png) throws IOException {
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
    }
}
