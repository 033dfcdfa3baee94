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
import javax.imageio.ImageIO;

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

    void write(Predictions p, ImageFormat format, List<Path> files) {
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
            String stem = stem(file);
            Path maskFile = dir.resolve(stem + ".png");
            save(maskFile, MaskImages.png(mask, header.height(), header.width()));
            String written = maskFile.toString();
            if (overlay) {
                Path overlayFile = dir.resolve(stem + "-overlay.png");
                save(overlayFile, MaskImages.encode(MaskImages.overlay(read(file), mask, header.height(), header.width())));
                written += ", " + overlayFile;
            }
            console.println(file + ": " + shares(mask) + "  -> " + written);
        }
        console.flush();
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

    private static BufferedImage read(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw HoneException.of("no image reader for this file", file, "use PNG, JPEG, BMP, GIF, TIFF or WebP");
            }
            return image;
        } catch (IOException e) {
            throw HoneException.of("cannot read the image for its overlay (" + e.getMessage() + ")", file, "check the file");
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void save(Path target, byte[] png) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, png);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw HoneException.of("cannot write (" + e.getMessage() + ")", target, "pass a writable --out folder");
        }
    }
}
