package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    @TempDir Path dir;

    @Test
    void greyPngKeepsExactValues() {
        Path file = TestImages.save(TestImages.grey(3, 4, 100), "png", dir.resolve("g.png"));
        byte[] out = ImageDecoder.decode(file, new ImageFormat(1, 3, 4));
        // pixel (x=2, y=1) is 100 + 20 + 1
        assertThat(out[1 * 4 + 2] & 0xFF).isEqualTo(121);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "gif"})
    void colourBecomesGreyByLuminance(String format) {
        Path file = TestImages.save(TestImages.solid(4, 4, 0x00FF00), format, dir.resolve("c." + format));
        byte[] out = ImageDecoder.decode(file, new ImageFormat(1, 2, 2));
        assertThat(out[0] & 0xFF).isEqualTo(150); // 0.587 * 255
    }

    @Test
    void greyBecomesColourByReplication() {
        Path file = TestImages.save(TestImages.grey(2, 2, 50), "png", dir.resolve("g.png"));
        byte[] out = ImageDecoder.decode(file, new ImageFormat(3, 2, 2));
        assertThat(out[0]).isEqualTo(out[4]).isEqualTo(out[8]).isEqualTo((byte) 50);
    }

    @Test
    void alphaIsDropped() {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                img.setRGB(x, y, 0x80_0A_14_1E);
            }
        }
        Path file = TestImages.save(img, "png", dir.resolve("a.png"));
        byte[] out = ImageDecoder.decode(file, new ImageFormat(3, 2, 2));
        assertThat(out).hasSize(12);
        assertThat(new int[] {out[0], out[4], out[8]}).containsExactly(10, 20, 30);
    }

    @Test
    void colourJpegDecodesAndResizes() {
        Path file = TestImages.save(TestImages.solid(40, 30, 0xC86432), "jpg", dir.resolve("c.jpg"));
        byte[] out = ImageDecoder.decode(file, new ImageFormat(3, 8, 8));
        assertThat(out[0] & 0xFF).isBetween(190, 210);
        assertThat(out[64] & 0xFF).isBetween(90, 110);
        assertThat(out[128] & 0xFF).isBetween(40, 60);
    }

    @Test
    void probeReadsSizeAndColourFromTheHeader() {
        Path grey = TestImages.save(TestImages.grey(5, 7, 0), "png", dir.resolve("g.png"));
        Path colour = TestImages.save(TestImages.solid(6, 9, 0x102030), "jpg", dir.resolve("c.jpg"));
        assertThat(ImageDecoder.probe(grey)).isEqualTo(new ImageDecoder.Header(5, 7, false));
        assertThat(ImageDecoder.probe(colour)).isEqualTo(new ImageDecoder.Header(6, 9, true));
    }

    @Test
    void truncatedPngIsRejectedWithTheFileName() {
        Path file = TestImages.saveTruncated(TestImages.noise(64, 64, 1), "png", dir.resolve("cut.png"));
        assertCorrupt(file);
    }

    @Test
    void truncatedJpegIsRejectedEvenThoughImageIoOnlyWarns() {
        Path file = TestImages.saveTruncated(TestImages.noise(64, 64, 2), "jpg", dir.resolve("cut.jpg"));
        assertCorrupt(file);
    }

    @Test
    void nonImageIsRejected() {
        Path file = dir.resolve("fake.png");
        TestImages.write(file, "not an image at all".getBytes(), false);
        assertCorrupt(file);
        assertThatThrownBy(() -> ImageDecoder.probe(file)).hasMessageContaining(file.toString());
    }

    private static void assertCorrupt(Path file) {
        assertThatThrownBy(() -> ImageDecoder.decode(file, new ImageFormat(3, 8, 8)))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("Fix: re-export the image, or leave it out");
    }

    /** 32-bit samples (the fixtures test [0, 1] floats and 16-bit-range integers): [0, 255] kept, other ranges refused. */
    @Test
    void wideSamplesAreScaledByTheirRangeOrRefused() {
        assertThat(ImageDecoder.wideSamples(floats(0, 200, 255), 1)[0]).containsExactly(0, 200, 255);
        assertThat(ImageDecoder.wideSamples(floats(0, 0.5f, 1), 1)[0]).containsExactly(0, 127.5f, 255);
        assertThatThrownBy(() -> ImageDecoder.wideSamples(floats(0, 300, 1000), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("floating-point samples from 0.0 to 1000.0, outside [0, 1] and [0, 255]");
        assertThatThrownBy(() -> ImageDecoder.wideSamples(floats(-1, 0, 1), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageDecoder.wideSamples(floats(0, Float.NaN, 1), 1)).hasMessageContaining("NaN");
    }

    private static java.awt.image.Raster floats(float... values) {
        java.awt.image.WritableRaster r = java.awt.image.Raster.createWritableRaster(new java.awt.image.BandedSampleModel(
                java.awt.image.DataBuffer.TYPE_FLOAT, values.length, 1, 1), null);
        for (int x = 0; x < values.length; x++) {
            r.setSample(x, 0, 0, values[x]);
        }
        return r;
    }

    /**
     * A panorama read for a picture is subsampled by one period across and down, keeping its proportions (each axis
     * subsampled on its own drew a 24000x1000 panorama at 4800x1000).
     */
    @Test
    void aLargePictureIsSubsampledAlikeAcrossAndDown() throws Exception {
        BufferedImage wide = new BufferedImage(4000, 1000, BufferedImage.TYPE_INT_RGB);
        wide.setRGB(3999, 999, 0xFF0000);
        Path file = dir.resolve("wide.png");
        javax.imageio.ImageIO.write(wide, "png", file.toFile());
        BufferedImage shown = ImageDecoder.readShown(file, 500);
        assertThat(new int[] {shown.getWidth(), shown.getHeight()}).containsExactly(1000, 250);
        BufferedImage full = ImageDecoder.readShown(file);
        assertThat(new int[] {full.getWidth(), full.getHeight()}).containsExactly(4000, 1000);
        assertThat(full.getRGB(3999, 999) & 0xFFFFFF).isEqualTo(0xFF0000);
    }
}
