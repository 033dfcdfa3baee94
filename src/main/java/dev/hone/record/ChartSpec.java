package dev.hone.record;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line chart carried in a decision's evidence under {@code charts}, so the report can draw how a
 * meta-learner decided (noise scale over the probe, throughput against batch size, loss against
 * learning rate) from the record alone.
 *
 * @param series name to {x values, y values}
 * @param markerX where the choice is marked, or null
 */
public record ChartSpec(String title, String xLabel, String yLabel, boolean logX, Double markerX,
        Map<String, double[][]> series) {

    public static final String EVIDENCE_KEY = "charts";

    /** A chart with one series. */
    public static ChartSpec of(String title, String xLabel, String yLabel, boolean logX, Double markerX,
            String name, double[] xs, double[] ys) {
        Map<String, double[][]> s = new LinkedHashMap<>();
        s.put(name, new double[][] {xs, ys});
        return new ChartSpec(title, xLabel, yLabel, logX, markerX, s);
    }
}
