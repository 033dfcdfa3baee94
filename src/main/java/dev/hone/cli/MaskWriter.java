package dev.hone.cli;

import dev.hone.core.HoneException;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.data.PixelConverter;
import dev.hone.report.MaskImages;
import dev.hone.tasks.Predictions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code hone predict}'s segmentation output: per image, {@code <name>.png}, the predicted mask
 * at the image's own size (nearest neighbour from the model's input size), and with
 * {@code --overlay} {@code <name>-overlay.png}, the mask's colours over the image. Each file is
 * written to a temporary name and renamed, so a killed run leaves no half-written PNG.
 */
final class MaskWriter {
    private final Path dir;
    private final boolean overlay;
    private final List<String> classes;
    private final PrintWriter console;

    MaskWriter(Path dir, boolean overlay, List<String> classes, PrintWriter console) {
        this.dir = dir;
        this.overlay = overlay;
        this.classes = classes;
        this.console = console;
    }

    /**
     * Writes the masks (and overlays) and prints a line per image.
     *
     * @return per image: the image, the mask file, the overlay file (or null) and the share of its pixels per
     *     class, for {@code --json}
     * @throws HoneException when an output would overwrite one of the input images
     */
    List<java.util.Map<String, Object>> write(Predictions p, ImageFormat format, List<Path> files) {
        java.util.Set<Path> inputs = new java.util.HashSet<>();
        java.util.Map<String, Integer> stems = new java.util.HashMap<>();
        for (Path f : files) {
            inputs.add(f.toAbsolutePath().normalize());
            stems.merge(stem(f), 1, Integer::sum);
        }
        List<java.util.Map<String, Object>> rows = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw HoneException.of("cannot create the output folder (" + e.getMessage() + ")", dir, "pass a writable --out folder");
        }
        int h = format.height(), w = format.width();
        for (int i = 0; i < files.size(); i++) {
            byte[] small = new byte[h * w];
            float[] row = p.probabilities()[i];
            for (int q = 0; q < small.length; q++) {
                small[q] = (byte) (int) row[q];
            }
            Path file = files.get(i);
            ImageDecoder.Header header = ImageDecoder.probe(file);
            byte[] mask = PixelConverter.nearest(small, 1, h, w, header.height(), header.width());
            // two inputs with one stem (a.png, a.jpg) keep their extension, so neither mask replaces the other
            String stem = stems.get(stem(file)) > 1 ? file.getFileName().toString() : stem(file);
            Path maskFile = dir.resolve(stem + ".png");
            Path overlayFile = dir.resolve(stem + "-overlay.png");
            for (Path target : overlay ? List.of(maskFile, overlayFile) : List.of(maskFile)) {
                if (inputs.contains(target.toAbsolutePath().normalize())) {
                    throw HoneException.of("the mask or overlay of " + file + " would overwrite an input image", target,
                            "pass an --out folder that does not hold the images to predict");
                }
            }
            save(maskFile, MaskImages.png(mask, header.height(), header.width()));
            String written = maskFile.toString();
            if (overlay) {
                save(overlayFile, MaskImages.encode(MaskImages.overlay(read(file), mask, header.height(), header.width())));
                written += ", " + overlayFile;
            }
            console.println(file + ": pixels " + shares(mask) + "  -> " + written);
            java.util.Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("image", file.toString());
            entry.put("task", "segmentation");
            entry.put("mask", maskFile.toString());
            entry.put("overlay", overlay ? overlayFile.toString() : null);
            entry.put("pixelShare", pixelShares(mask));
            rows.add(entry);
        }
        console.flush();
        return rows;
    }

    /** The share of the mask's pixels per class, every class listed. */
    private java.util.Map<String, Double> pixelShares(byte[] mask) {
        long[] count = new long[256];
        for (byte b : mask) {
            count[b & 0xFF]++;
        }
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            m.put(classes.get(k), (double) count[k] / mask.length);
        }
        return m;
    }

    /** The classes covering at least 1% of the mask, largest first. */
    private String shares(byte[] mask) {
        long[] count = new long[256];
        for (byte b : mask) {
            count[b & 0xFF]++;
        }
        List<Integer> shown = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            if (count[k] * 100 >= mask.length) {
                shown.add(k);
            }
        }
        shown.sort((a, b) -> Long.compare(count[b], count[a]));
        return String.join(", ", shown.stream().map(k -> String.format(Locale.ROOT, "%s %.1f%%", classes.get(k),
                100.0 * count[k] / mask.length)).toList());
    }

    /** Images with a side of four times this (4096 pixels) or more are subsampled for the pictures of their predictions. */
    static final int PICTURE_SIDE = 1024;

    /**
     * The image a picture is drawn over, as a viewer shows it: upright by its EXIF orientation, in sRGB, as the model saw
     * it (the stored pixels of a phone photo lie sideways, and the masks and boxes are in the upright image's pixels);
     * subsampled, the same across and down, when a side is 4096 pixels or more ({@link #PICTURE_SIDE}).
     */
    static BufferedImage read(Path file) {
        return ImageDecoder.readShown(file, PICTURE_SIDE);
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static void save(Path target, byte[] png) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, png);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw HoneException.of("cannot write (" + e.getMessage() + ")", target, "pass a writable --out folder");
        }
    }
}
