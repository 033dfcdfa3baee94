package dev.hone.data.detection;

import dev.hone.core.HoneException;
import dev.hone.data.ImageFolderSource;
import dev.hone.data.SkippedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a YOLO folder: images in {@code images/}, one label file per image in {@code labels/} at the
 * same path with {@code .txt} ({@code images/a/b.jpg} goes with {@code labels/a/b.txt}).
 *
 * <p>A label file holds one box per line, {@code class cx cy w h}: a class index and the box's centre,
 * width and height as fractions of the image's width and height, each in [0, 1]. Blank lines are
 * skipped. An image without a label file, or with an empty one, is a negative. Refused, naming the file
 * and line: a line of other than five fields (a segmentation polygon, or a prediction with a
 * confidence), a class that is not a whole number from 0 or is beyond the named classes, a value
 * outside [0, 1]; a label file whose image is missing.
 */
final class YoloLabels {
    static final String IMAGES = "images";
    static final String LABELS = "labels";

    private YoloLabels() {}

    /** The annotated images (corners as fractions), the largest class index used (-1 for none), what was skipped. */
    record Found(List<AnnotatedImage> images, int largestClass, SkippedFiles skipped) {}

    /**
     * Whether {@code dir} holds both {@code images/} and {@code labels/}, and {@code labels/} holds {@code .txt}
     * files or no images: a {@code labels/} of PNG masks is segmentation data under another folder name.
     */
    static boolean isYoloFolder(Path dir) {
        Path labels = dir.resolve(LABELS);
        if (!Files.isDirectory(dir.resolve(IMAGES)) || !Files.isDirectory(labels)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(labels)) {
            boolean[] images = {false};
            boolean text = walk.filter(Files::isRegularFile).anyMatch(p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                images[0] |= ImageFolderSource.isImageFile(p);
                return name.endsWith(".txt") && !YoloClasses.isClassesFile(p);
            });
            return text || !images[0];
        } catch (IOException e) {
            return true; // reading the folder names it and the problem
        }
    }

    /**
     * @param classes the number of named classes, or -1 when the data names none
     * @param namesFile the file naming them, for messages, or null
     */
    static Found read(Path dir, int classes, Path namesFile) {
        return read(dir.resolve(IMAGES), dir.resolve(LABELS), classes, namesFile);
    }

    /** As {@link #read(Path, int, Path)} for images and label files in the given folders. */
    static Found read(Path images, Path labels, int classes, Path namesFile) {
        SkippedFiles.Builder skipped = new SkippedFiles.Builder();
        List<Path> files = ImageFolderSource.imageFiles(images, skipped);
        if (files.isEmpty()) {
            throw HoneException.of("images folder holds no images (" + ImageFolderSource.FORMATS + ")", images,
                    "put the images there, and each image's boxes in " + labels + " under its name with .txt");
        }
        Set<Path> expected = new HashSet<>();
        List<AnnotatedImage> out = new ArrayList<>(files.size());
        int largest = -1;
        for (Path image : files) {
            Path label = labels.resolve(ImageFolderSource.relativeStem(images.relativize(image)) + ".txt");
            expected.add(label.normalize());
            float[] boxes = Files.isRegularFile(label) ? rows(label, image, classes, namesFile) : new float[0];
            for (int r = 0; r < boxes.length; r += 6) {
                largest = Math.max(largest, (int) boxes[r]);
            }
            out.add(new AnnotatedImage(image, label, 0, 0, true, boxes));
        }
        for (Path label : labelFiles(labels)) {
            if (!expected.contains(label.normalize()) && !YoloClasses.isClassesFile(label)) {
                throw HoneException.of("label file without an image: " + images.resolve(ImageFolderSource.relativeStem(labels.relativize(label)) + ".*")
                        + " does not exist", label, "add the image to " + images + " under the label file's name, or delete the label file");
            }
        }
        return new Found(out, largest, skipped.build());
    }

    private static float[] rows(Path label, Path image, int classes, Path namesFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(label, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HoneException("cannot read the label file (" + e + "): " + label + ". Fix: check that the file is readable text", e);
        }
        List<Float> values = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).replace("\uFEFF", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String at = label + " line " + (n + 1) + " (the boxes of " + image + ")";
            String[] f = line.split("\\s+");
            if (f.length != 5) {
                throw HoneException.of("a YOLO box line has " + f.length + " fields, not the 5 of 'class cx cy w h'"
                        + (f.length > 5 ? " (a polygon or a confidence column?)" : ""), at,
                        "write each box as 'class cx cy w h', fractions of the image's size; export boxes, not polygons or predictions");
            }
            int cls;
            try {
                cls = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                cls = -1;
            }
            if (cls < 0 || (classes >= 0 && cls >= classes)) {
                throw HoneException.of("class '" + f[0] + "' is not " + (classes >= 0 ? "one of the " + classes + " class indices 0-"
                        + (classes - 1) + (namesFile != null ? " named in " + namesFile : "") : "a class index (a whole number from 0)"), at,
                        classes >= 0 ? "name every class the labels use in " + (namesFile != null ? namesFile : "data.yaml") + ", or correct the line"
                                : "write the class as its index, 0 for the first class");
            }
            float[] v = new float[4];
            for (int k = 0; k < 4; k++) {
                try {
                    v[k] = Float.parseFloat(f[k + 1]);
                } catch (NumberFormatException e) {
                    v[k] = Float.NaN;
                }
                if (!(v[k] >= 0f && v[k] <= 1f)) {
                    throw HoneException.of("YOLO box value '" + f[k + 1] + "' (" + List.of("cx", "cy", "w", "h").get(k)
                            + ") is not a fraction in [0, 1]", at,
                            "write cx cy w h as fractions of the image's width and height (pixels divided by the size), or delete the line");
                }
            }
            values.add((float) cls);
            values.add(v[0] - v[2] / 2);
            values.add(v[1] - v[3] / 2);
            values.add(v[0] + v[2] / 2);
            values.add(v[1] + v[3] / 2);
            values.add(0f);
        }
        float[] out = new float[values.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = values.get(k);
        }
        return out;
    }

    private static List<Path> labelFiles(Path labels) {
        try (Stream<Path> walk = Files.walk(labels)) {
            return walk.filter(p -> Files.isRegularFile(p) && !ImageFolderSource.isHidden(p)
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new HoneException("cannot list the label files (" + e + "): " + labels + ". Fix: check that the folder is readable", e);
        }
    }
}
