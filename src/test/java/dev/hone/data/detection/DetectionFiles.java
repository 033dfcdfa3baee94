package dev.hone.data.detection;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes tiny images and annotation files for detection tests. */
final class DetectionFiles {
    private DetectionFiles() {}

    /** A grey PNG of {@code w x h} (width x height) at {@code file}, its folders created. */
    static Path png(Path file, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (7 * x + 3 * y + w) % 256);
            }
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code content} as UTF-8 at {@code file}, its folders created. */
    static Path text(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A VOC annotation of a {@code w x h} image with the given {@code <object>} elements. */
    static String vocXml(String filename, int w, int h, String... objects) {
        StringBuilder b = new StringBuilder("<annotation>\n  <folder>VOC</folder>\n  <filename>" + filename + "</filename>\n"
                + "  <size><width>" + w + "</width><height>" + h + "</height><depth>3</depth></size>\n");
        for (String o : objects) {
            b.append(o).append('\n');
        }
        return b.append("</annotation>\n").toString();
    }

    /** A VOC {@code <object>}: 1-based inclusive pixel numbers. */
    static String vocObject(String name, boolean difficult, int xmin, int ymin, int xmax, int ymax) {
        return "  <object><name>" + name + "</name><pose>Unspecified</pose><truncated>0</truncated><difficult>"
                + (difficult ? 1 : 0) + "</difficult><bndbox><xmin>" + xmin + "</xmin><ymin>" + ymin + "</ymin><xmax>" + xmax
                + "</xmax><ymax>" + ymax + "</ymax></bndbox></object>";
    }
}
