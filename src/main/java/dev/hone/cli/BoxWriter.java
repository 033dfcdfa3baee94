package dev.hone.cli;

import dev.hone.core.HoneException;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.report.BoxImages;
import dev.hone.report.MaskImages;
import dev.hone.tasks.CenterNetDecoder;
import dev.hone.tasks.Predictions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code hone predict}'s detection output: per image, its detections scoring at least
 * {@code minScore}, as {@code [class, score, x, y, w, h]} in the image's own pixels (COCO's box
 * convention: top-left corner, width, height), and with {@code --draw DIR} {@code DIR/<name>.png}, the
 * image with the boxes drawn. Boxes predicted at the model's input size are scaled back by the image's
 * width and height ratios.
 */
final class BoxWriter {
    private final Path drawDir;
    private final double minScore;
    private final List<String> classes;
    private final PrintWriter console;

    BoxWriter(Path drawDir, double minScore, List<String> classes, PrintWriter console) {
        this.drawDir = drawDir;
        this.minScore = minScore;
        this.classes = classes;
        this.console = console;
    }

    /**
     * Prints (and draws) each image's detections.
     *
     * @return per image: the image, its detections and the drawn file (or null), for {@code --json}
     * @throws HoneException when a drawing would overwrite one of the input images
     */
    List<Map<String, Object>> write(Predictions p, ImageFormat format, List<Path> files) {
        Set<Path> inputs = new HashSet<>();
        Map<String, Integer> stems = new java.util.HashMap<>();
        for (Path f : files) {
            inputs.add(f.toAbsolutePath().normalize());
            stems.merge(MaskWriter.stem(f), 1, Integer::sum);
        }
        if (drawDir != null) {
            try {
                Files.createDirectories(drawDir);
            } catch (IOException e) {
                throw HoneException.of("cannot create the folder for drawings (" + e.getMessage() + ")", drawDir,
                        "pass a writable --draw folder");
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            ImageDecoder.Header header = ImageDecoder.probe(file);
            double sx = (double) header.width() / format.width(), sy = (double) header.height() / format.height();
            float[] row = p.probabilities()[i];
            List<BoxImages.Box> boxes = new ArrayList<>();
            List<Map<String, Object>> detections = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int r = 0; r < row.length; r += CenterNetDecoder.FIELDS) {
                if (row[r] < 0 || row[r + 1] < minScore) { // class -1: a box without area, no detection
                    continue;
                }
                int k = (int) row[r];
                BoxImages.Box b = new BoxImages.Box(k, row[r + 1], row[r + 2] * sx, row[r + 3] * sy, row[r + 4] * sx, row[r + 5] * sy);
                boxes.add(b);
                double[] xywh = {b.x1(), b.y1(), b.x2() - b.x1(), b.y2() - b.y1()};
                text.append(String.format(Locale.ROOT, "%n  [%s, %.3f, %.1f, %.1f, %.1f, %.1f]", classes.get(k), b.score(),
                        xywh[0], xywh[1], xywh[2], xywh[3]));
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("class", classes.get(k));
                d.put("score", row[r + 1]);
                d.put("bbox", xywh);
                detections.add(d);
            }
            Path drawn = null;
            if (drawDir != null) {
                // two inputs with one stem (a.png, a.jpg) keep their extension, so neither drawing replaces the other
                String stem = stems.get(MaskWriter.stem(file)) > 1 ? file.getFileName().toString() : MaskWriter.stem(file);
                drawn = drawDir.resolve(stem + ".png");
                if (inputs.contains(drawn.toAbsolutePath().normalize())) {
                    throw HoneException.of("the drawing of " + file + " would overwrite an input image", drawn,
                            "pass a --draw folder that does not hold the images to predict");
                }
                // the boxes are in the pixels of the image as shown; a large photo's picture may be subsampled
                BufferedImage picture = MaskWriter.read(file);
                double scale = (double) picture.getWidth() / ImageDecoder.probe(file).width();
                MaskWriter.save(drawn, MaskImages.encode(BoxImages.draw(picture, boxes, classes, scale)));
            }
            console.println(file + ": " + boxes.size() + (boxes.size() == 1 ? " object" : " objects")
                    + String.format(Locale.ROOT, " (score >= %.2f)", minScore) + (drawn == null ? "" : "  -> " + drawn) + text);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("image", file.toString());
            entry.put("task", "detection");
            entry.put("detections", detections);
            entry.put("drawn", drawn == null ? null : drawn.toString());
            rows.add(entry);
        }
        console.flush();
        return rows;
    }
}
