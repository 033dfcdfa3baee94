package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hone's decodes against Pillow's: each fixture in {@code src/test/resources/decode/} has a reference
 * PNG that Pillow 9.4 made (EXIF orientation by {@code ImageOps.exif_transpose}, ICC to sRGB by
 * {@code ImageCms}), and {@code manifest.txt} gives the largest per-channel difference allowed: 0 for
 * lossless files, a few levels where two JPEG, WebP or colour-management implementations may round
 * differently. A missed orientation changes the shape or moves the red block by tens of levels; a
 * missed profile or CMYK conversion moves colours by 10 to 40 levels. Regenerate the fixtures with
 * {@code tools/make-decode-fixtures.py}.
 */
class ImageDecoderReferenceTest {
    @TempDir Path dir;

    /** A fixture, the difference allowed, and whether it bounds the largest or the mean difference. */
    record Fixture(String name, int tolerance, boolean mean) {
        @Override
        public String toString() {
            return name + " (" + (mean ? "mean" : "max") + " within " + tolerance + ")";
        }
    }

    static Stream<Fixture> fixtures() {
        String manifest = new String(resourceBytes("manifest.txt"), StandardCharsets.UTF_8);
        return manifest.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
            String[] parts = l.trim().split("\\s+");
            return new Fixture(parts[0], Integer.parseInt(parts[1]), parts[2].equals("mean"));
        });
    }

    @Test
    void manifestCoversWhatTheIssueAsksFor() {
        List<String> names = fixtures().map(Fixture::name).toList();
        assertThat(names).contains("orientation-3.jpg", "orientation-6.jpg", "orientation-8.jpg",
                "orientation-2.jpg", "orientation-5.jpg", "orientation-7.jpg", "orientation-6.tif",
                "orientation-5.png", "orientation-6.webp", "cmyk.jpg", "adobe-rgb.jpg", "adobe-rgb.png", "grey.jpg",
                "grey-16bit.png", "rgb-16bit.png", "rgb-lzw.tif", "lossless.webp", "lossy.webp");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesAsPillowDoes(Fixture fixture) throws IOException {
        Path file = dir.resolve(fixture.name());
        Files.write(file, resourceBytes(fixture.name()));
        BufferedImage reference = ImageIO.read(new java.io.ByteArrayInputStream(
                resourceBytes(fixture.name() + ".ref.png")));
        int h = reference.getHeight();
        int w = reference.getWidth();

        ImageDecoder.Header header = ImageDecoder.probe(file);
        assertThat(new int[] {header.height(), header.width()}).as("shown size").containsExactly(h, w);
        byte[] decoded = ImageDecoder.decode(file, new ImageFormat(3, h, w));
        // the picture predict draws masks and boxes over, and Hone.readImage gives the Java API, is the same upright image
        BufferedImage shown = ImageDecoder.readShown(file);
        assertThat(new int[] {shown.getHeight(), shown.getWidth()}).as("readShown's size").containsExactly(h, w);
        for (int y = 0; y < h; y += 3) {
            for (int x = 0; x < w; x += 3) {
                int rgb = shown.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    assertThat((rgb >> (16 - 8 * c)) & 0xFF).as("readShown at (%d, %d)", x, y)
                            .isCloseTo(decoded[c * h * w + y * w + x] & 0xFF, org.assertj.core.data.Offset.offset(1));
                }
            }
        }

        int worst = 0;
        long sum = 0;
        String where = "";
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = reference.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int expected = (rgb >> (16 - 8 * c)) & 0xFF;
                    int actual = decoded[c * h * w + y * w + x] & 0xFF;
                    int diff = Math.abs(expected - actual);
                    sum += diff;
                    if (diff > worst) {
                        worst = diff;
                        where = "channel " + c + " at (" + x + ", " + y + "): " + actual + " vs " + expected;
                    }
                }
            }
        }
        double mean = sum / (3.0 * h * w);
        if (fixture.mean()) {
            assertThat(mean).as("mean difference from Pillow (largest: %s)", where)
                    .isLessThanOrEqualTo(fixture.tolerance());
        } else {
            assertThat(worst).as("largest difference from Pillow, %s", where)
                    .isLessThanOrEqualTo(fixture.tolerance());
        }
    }

    private static byte[] resourceBytes(String name) {
        try (InputStream in = ImageDecoderReferenceTest.class.getResourceAsStream("/decode/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /decode/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
