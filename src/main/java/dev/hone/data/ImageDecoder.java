package dev.hone.data;

import dev.hone.core.HoneException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF files with {@code javax.imageio} into an {@link ImageFormat}.
 *
 * <p>A damaged image must never train silently as a grey rectangle. ImageIO reports damage in three
 * ways: it returns null, it throws, or (for a truncated JPEG) it only emits a warning and returns a
 * partly grey image. All three are errors here that name the file. The format is sniffed from the
 * content, not the extension. Alpha is dropped.
 */
public final class ImageDecoder {
    static final String FIX_CORRUPT = "re-export the image or remove it from the folder";

    private ImageDecoder() {}

    /** What an image's header says, read without decoding its pixels. */
    public record Header(int height, int width, boolean colour) {}

    /** Decodes {@code file} and conforms it to {@code format}: NCHW bytes of one image. */
    public static byte[] decode(Path file, ImageFormat format) {
        byte[] out = new byte[format.imageBytes()];
        decodeInto(file, format, out, 0);
        return out;
    }

    /** Decodes {@code file} into {@code dest} at {@code offset}, conformed to {@code format}. */
    public static void decodeInto(Path file, ImageFormat format, byte[] dest, int offset) {
        BufferedImage image = read(file);
        PixelConverter.write(planes(image), image.getHeight(), image.getWidth(), format, dest, offset);
    }

    /** Reads the whole image; warnings from the reader count as corruption. */
    public static BufferedImage read(Path file) {
        byte[] bytes = bytesOf(file);
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        String failure;
        Throwable cause = null;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in, file);
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                image = reader.read(0);
                failure = image == null ? "the reader returned no image" : null;
            } catch (IOException | RuntimeException e) {
                image = null;
                failure = String.valueOf(e.getMessage());
                cause = e;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (failure == null && !warnings.isEmpty()) {
            failure = warnings.get(0);
        }
        if (failure != null) {
            throw new HoneException("image is corrupt or truncated (" + failure + "): " + file
                    + ". Fix: " + FIX_CORRUPT, cause);
        }
        return image;
    }

    /** Reads size and colour from the header only, so sizing a folder of large photos stays cheap. */
    public static Header probe(Path file) {
        if (!Files.isRegularFile(file)) {
            throw missing(file);
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(in, file);
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                ImageTypeSpecifier type = reader.getRawImageType(0);
                if (type == null) {
                    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                    type = types.hasNext() ? types.next() : null;
                }
                boolean colour = type == null || isColour(type.getColorModel());
                return new Header(h, w, colour);
            } catch (IOException | RuntimeException e) {
                throw new HoneException("image header is corrupt (" + e.getMessage() + "): " + file
                        + ". Fix: " + FIX_CORRUPT, e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * The image as 1 grey or 3 RGB planes of values in [0, 255].
     *
     * <p>Grey images are read from the raster, not through {@code getRGB}, which would push them
     * through a colour-space conversion and change their values.
     */
    static float[][] planes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        if (!isColour(cm) && !(cm instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            float[] grey = raster.getSamples(0, 0, w, h, 0, (float[]) null);
            int bits = raster.getSampleModel().getSampleSize(0);
            if (bits != 8) {
                float scale = 255f / ((1L << bits) - 1);
                for (int i = 0; i < grey.length; i++) {
                    grey[i] *= scale;
                }
            }
            return new float[][] {grey};
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] rgb = new float[3][argb.length];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            rgb[0][i] = (p >> 16) & 0xFF;
            rgb[1][i] = (p >> 8) & 0xFF;
            rgb[2][i] = p & 0xFF;
        }
        if (cm instanceof IndexColorModel && !isColour(cm)) {
            return new float[][] {rgb[0]};
        }
        return rgb;
    }

    /** Whether the colour model can hold colour; a palette counts only if some entry is not grey. */
    static boolean isColour(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                int r = icm.getRed(i);
                if (r != icm.getGreen(i) || r != icm.getBlue(i)) {
                    return true;
                }
            }
            return false;
        }
        return cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY;
    }

    private static ImageReader readerFor(ImageInputStream in, Path file) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw HoneException.of("file is not a readable PNG, JPEG, BMP or GIF image", file, FIX_CORRUPT);
        }
        return readers.next();
    }

    private static byte[] bytesOf(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw missing(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static HoneException missing(Path file) {
        return HoneException.of("image file does not exist", file, "check the path, or remove the entry that names it");
    }

    private static HoneException unreadable(Path file, IOException e) {
        return new HoneException("cannot read image file (" + e + "): " + file
                + ". Fix: check that the file is readable", e);
    }
}
