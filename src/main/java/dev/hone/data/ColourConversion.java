package dev.hone.data;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;

import java.awt.image.WritableRaster;

/**
 * Brings decoded colour images into sRGB, as colour-managed viewers show them.
 *
 * <p>TwelveMonkeys' JPEG reader already converts embedded ICC profiles, CMYK and YCCK to sRGB. What is
 * left is done here with Java's colour management ({@link ColorConvertOp}, LittleCMS inside the JDK):
 * images a reader returns in another colour space (an ICC-tagged or CMYK TIFF, say), and PNGs with an
 * {@code iCCP} chunk, whose profile the JDK's PNG reader reads but does not apply. Grey images stay
 * grey: a grey profile is not applied, so grey values are the stored ones. A profile Java cannot parse
 * is ignored, as TwelveMonkeys does for JPEGs and as viewers do: the pixels are shown untagged.
 */
final class ColourConversion {
    private ColourConversion() {}

    /**
     * {@code image} in sRGB or grey.
     *
     * @param unapplied an RGB profile that belongs to the pixels but that the reader did not apply
     *     (the image came back tagged sRGB), or null; see {@link PngMetadata#iccProfile}
     */
    static BufferedImage toSrgb(BufferedImage image, ICC_Profile unapplied) {
        ColorModel cm = image.getColorModel();
        ColorSpace cs = cm.getColorSpace();
        if (unapplied != null && cs.getType() == ColorSpace.TYPE_RGB && !(cm instanceof IndexColorModel)) {
            return convert(retag(image, unapplied));
        }
        if (cm instanceof IndexColorModel || cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY) {
            return image;
        }
        return convert(image);
    }

    private static BufferedImage convert(BufferedImage src) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        new ColorConvertOp(null).filter(src, dst);
        return dst;
    }

    /** The 8-bit RGB values of {@code image}, labelled as being in {@code profile} instead of sRGB. */
    private static BufferedImage retag(BufferedImage image, ICC_Profile profile) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = new ComponentColorModel(new ICC_ColorSpace(profile), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        int[] rgb = new int[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = argb[y * w + x];
                rgb[0] = (p >> 16) & 0xFF;
                rgb[1] = (p >> 8) & 0xFF;
                rgb[2] = p & 0xFF;
                raster.setPixel(x, y, rgb);
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }
}
