package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColourConversionTest {
    @TempDir Path dir;

    @Test
    void anImageInAnotherColourSpaceIsConvertedToSrgb() {
        // linear-light 0.5 is sRGB 0.735: 188 of 255 (IEC 61966-2-1)
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                raster.setPixel(x, y, new int[] {128, 0, 255});
            }
        }
        BufferedImage srgb = ColourConversion.toSrgb(new BufferedImage(cm, raster, false, null), null);
        assertThat(srgb.getColorModel().getColorSpace().isCS_sRGB()).isTrue();
        int p = srgb.getRGB(1, 1);
        assertThat((p >> 16) & 0xFF).isBetween(185, 191);
        assertThat((p >> 8) & 0xFF).isEqualTo(0);
        assertThat(p & 0xFF).isEqualTo(255);
    }

    @Test
    void srgbAndGreyImagesAreLeftAlone() {
        BufferedImage rgb = TestImages.solid(2, 2, 0x102030);
        BufferedImage grey = TestImages.grey(2, 2, 7);
        assertThat(ColourConversion.toSrgb(rgb, null)).isSameAs(rgb);
        assertThat(ColourConversion.toSrgb(grey, null)).isSameAs(grey);
    }

    @Test
    void jpegTiffAndWebpAreReadByTwelveMonkeys() throws IOException {
        for (String name : new String[] {"cmyk.jpg", "rgb-lzw.tif", "lossless.webp"}) {
            byte[] bytes;
            try (var in = getClass().getResourceAsStream("/decode/" + name)) {
                bytes = in.readAllBytes();
            }
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
                ImageReader reader = ImageReaders.forContent(in);
                assertThat(reader.getClass().getName()).as(name).startsWith("com.twelvemonkeys.imageio.plugins.");
                reader.dispose();
            }
        }
    }

    @Test
    void readerWarningsAboutMetadataAreNotDamage() {
        assertThat(ImageDecoder.aboutMetadata("No embedded ICC color profile, will convert using inaccurate CMYK"
                + " to RGB conversion. Colors may look incorrect.")).isTrue();
        assertThat(ImageDecoder.aboutMetadata("Exif chunk is present, but can't be read: EOF")).isTrue();
        assertThat(ImageDecoder.aboutMetadata("Premature end of JPEG file")).isFalse();
        assertThat(ImageDecoder.aboutMetadata("Corrupt JPEG data: premature end of data segment")).isFalse();
    }

    @Test
    void aPngWithAnUnparseableProfileDecodesUntagged() throws IOException {
        // a PNG whose iCCP chunk holds garbage: viewers show it as if untagged, and so does hone
        Path good = TestImages.save(TestImages.solid(2, 2, 0x284664), "png", dir.resolve("good.png"));
        byte[] png = Files.readAllBytes(good);
        byte[] withChunk = PngChunks.insertAfterHeader(png, "iCCP",
                PngChunks.iccpPayload("bogus", "this is not an ICC profile".getBytes()));
        Path file = dir.resolve("bogus-profile.png");
        Files.write(file, withChunk);
        byte[] out = ImageDecoder.decode(file, new ImageFormat(3, 2, 2));
        assertThat(new int[] {out[0] & 0xFF, out[4] & 0xFF, out[8] & 0xFF}).containsExactly(0x28, 0x46, 0x64);
    }
}
