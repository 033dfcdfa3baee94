package dev.hone.tasks.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores COCO-format detections with hone's own {@link DetectionMetrics}, so that a PyTorch peer's results are
 * measured by the same code as hone's: {@code --truth gt.coco.json --detections results.json}, metrics as JSON on
 * standard output.
 *
 * <p>The ground truth is a COCO annotation file: {@code images} (each with an {@code id}), {@code annotations}
 * ({@code image_id}, {@code category_id}, {@code bbox [x, y, w, h]} in pixels, optional {@code iscrowd}, default
 * 0, and optional {@code area}, default {@code w * h}) and {@code categories} ({@code id}, {@code name}).
 * Categories sorted by id become class indices 0..K-1; images are evaluated in order of id, as pycocotools. The
 * detections are a COCO results list of {@code {image_id, category_id, bbox [x, y, w, h], score}}. Boxes,
 * scores and the annotations' {@code area} are kept as the JSON's doubles, as pycocotools reads them, rather than
 * passed through hone's float rows. As pycocotools, annotations and results of a category absent from
 * {@code categories} are left out, and a result for an image absent from {@code images} is an error. One
 * difference: pycocotools never counts a match with an annotation whose {@code id} is 0 (it stores the id and
 * tests it for non-zero); here it counts. Checked against pycocotools 2.0.11 on random sets (every summary
 * value and per-class AP equal to 1e-12).
 *
 * <p>Output keys: {@code images}, {@code AP}, {@code AP50}, {@code AP75}, {@code APs}, {@code APm}, {@code APl},
 * {@code AR1}, {@code AR10}, {@code AR100}, {@code ARs}, {@code ARm}, {@code ARl}, {@code VOC_AP50}, and
 * {@code classes}: per category {@code id}, {@code name}, {@code truths}, {@code AP}, {@code AP50}, {@code AP75},
 * {@code AR100}, {@code VOC_AP50}. -1 means undefined (no regular truth), as pycocotools writes it.
 */
public final class ScoreCocoDetections {
    private static final String USAGE = "usage: score-detections --truth gt.coco.json --detections results.json";

    private ScoreCocoDetections() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the tool; returns its exit status: 0, or 2 on bad arguments or unreadable input (message on err). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path truth = null;
        Path detections = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--truth") || a.equals("--detections")) && i + 1 < args.length) {
                Path p = Path.of(args[++i]);
                if (a.equals("--truth")) {
                    truth = p;
                } else {
                    detections = p;
                }
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else {
                err.println("score-detections: unexpected argument '" + a + "'\n" + USAGE);
                return 2;
            }
        }
        if (truth == null || detections == null) {
            err.println("score-detections: both --truth and --detections are required\n" + USAGE);
            return 2;
        }
        try {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(score(truth, detections)));
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("score-detections: " + e.getMessage());
            return 2;
        }
    }

    /** Reads the two files and returns the metrics as the ordered map printed as JSON. */
    static Map<String, Object> score(Path truthFile, Path detectionFile) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode gt = mapper.readTree(Files.readAllBytes(truthFile));
        JsonNode dt = mapper.readTree(Files.readAllBytes(detectionFile));
        if (gt == null || !gt.path("images").isArray() || !gt.path("categories").isArray()) {
            throw new IllegalArgumentException(truthFile + " is not a COCO annotation file: it needs the arrays "
                    + "images, annotations and categories");
        }
        if (dt == null || !dt.isArray()) {
            throw new IllegalArgumentException(detectionFile + " is not a COCO results file: it must be a JSON "
                    + "list of {image_id, category_id, bbox, score}");
        }
        TreeMap<Long, String> categories = new TreeMap<>();
        for (JsonNode c : gt.get("categories")) {
            categories.put(id(c, "id", truthFile), c.path("name").asText(""));
        }
        Map<Long, Integer> classOf = indexOf(categories.keySet());
        TreeMap<Long, Boolean> imageIds = new TreeMap<>();
        for (JsonNode im : gt.get("images")) {
            imageIds.put(id(im, "id", truthFile), true);
        }
        Map<Long, Integer> imageOf = indexOf(imageIds.keySet());
        int n = imageOf.size();
        List<List<double[]>> truths = rows(n); // class, x, y, w, h, area, crowd
        for (JsonNode a : gt.path("annotations")) {
            Integer i = imageOf.get(id(a, "image_id", truthFile));
            Integer k = classOf.get(id(a, "category_id", truthFile));
            if (i == null || k == null) {
                continue; // pycocotools evaluates only the listed images and categories
            }
            double[] b = bbox(a, truthFile);
            double area = a.has("area") ? a.get("area").asDouble() : b[2] * b[3];
            truths.get(i).add(new double[] {k, b[0], b[1], b[2], b[3], area, a.path("iscrowd").asInt(0)});
        }
        List<List<double[]>> dets = rows(n); // class, score, x, y, w, h
        for (JsonNode d : dt) {
            long imageId = id(d, "image_id", detectionFile);
            Integer i = imageOf.get(imageId);
            if (i == null) {
                throw new IllegalArgumentException(detectionFile + " has a result for image " + imageId + ", which "
                        + truthFile + " does not list; results must belong to the ground truth's images");
            }
            Integer k = classOf.get(id(d, "category_id", detectionFile));
            if (k == null) {
                continue;
            }
            if (!d.path("score").isNumber()) {
                throw new IllegalArgumentException(detectionFile + ": a result has no numeric score: " + d);
            }
            double[] b = bbox(d, detectionFile);
            dets.get(i).add(new double[] {k, d.get("score").asDouble(), b[0], b[1], b[2], b[3]});
        }
        List<ImageBoxes> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            images.add(boxes(truths.get(i), dets.get(i)));
        }
        DetectionMetrics m = DetectionMetrics.evaluate(images, categories.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", m.images());
        out.put("AP", m.ap());
        out.put("AP50", m.ap50());
        out.put("AP75", m.ap75());
        out.put("APs", m.apSmall());
        out.put("APm", m.apMedium());
        out.put("APl", m.apLarge());
        out.put("AR1", m.ar1());
        out.put("AR10", m.ar10());
        out.put("AR100", m.ar100());
        out.put("ARs", m.arSmall());
        out.put("ARm", m.arMedium());
        out.put("ARl", m.arLarge());
        out.put("VOC_AP50", m.vocMap50());
        List<Map<String, Object>> classes = new ArrayList<>();
        int k = 0;
        for (Map.Entry<Long, String> c : categories.entrySet()) {
            DetectionMetrics.ClassMetrics cm = m.classes().get(k++);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", c.getKey());
            row.put("name", c.getValue());
            row.put("truths", cm.truths());
            row.put("AP", cm.ap());
            row.put("AP50", cm.ap50());
            row.put("AP75", cm.ap75());
            row.put("AR100", cm.ar100());
            row.put("VOC_AP50", cm.vocAp50());
            classes.add(row);
        }
        out.put("classes", classes);
        return out;
    }

    private static ImageBoxes boxes(List<double[]> t, List<double[]> d) {
        int g = t.size();
        int[] tc = new int[g];
        double[][] tb = new double[g][];
        double[] ta = new double[g];
        boolean[] crowd = new boolean[g];
        for (int j = 0; j < g; j++) {
            double[] r = t.get(j);
            tc[j] = (int) r[0];
            tb[j] = new double[] {r[1], r[2], r[3], r[4]};
            ta[j] = r[5];
            crowd[j] = r[6] != 0;
        }
        int n = d.size();
        int[] dc = new int[n];
        double[] ds = new double[n];
        double[][] db = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] r = d.get(j);
            dc[j] = (int) r[0];
            ds[j] = r[1];
            db[j] = new double[] {r[2], r[3], r[4], r[5]};
        }
        return new ImageBoxes(tc, tb, ta, crowd, dc, ds, db);
    }

    private static List<List<double[]>> rows(int n) {
        List<List<double[]>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    private static Map<Long, Integer> indexOf(Iterable<Long> sortedIds) {
        Map<Long, Integer> out = new LinkedHashMap<>();
        for (Long id : sortedIds) {
            out.put(id, out.size());
        }
        return out;
    }

    private static long id(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToExactIntegral()) {
            throw new IllegalArgumentException(file + ": " + field + " must be an integer, in " + node);
        }
        return v.asLong();
    }

    private static double[] bbox(JsonNode node, Path file) {
        JsonNode b = node.get("bbox");
        if (b == null || !b.isArray() || b.size() != 4) {
            throw new IllegalArgumentException(file + ": bbox must be [x, y, w, h], in " + node);
        }
        double[] out = new double[4];
        for (int j = 0; j < 4; j++) {
            if (!b.get(j).isNumber() || !Double.isFinite(b.get(j).asDouble())) {
                throw new IllegalArgumentException(file + ": bbox must hold 4 finite numbers, in " + node);
            }
            out[j] = b.get(j).asDouble();
        }
        return out;
    }
}
