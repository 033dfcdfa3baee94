package dev.hone.data;

import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;
import dev.hone.core.HoneException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * Decodes image files into an {@link ImageFormat} as standard image viewers show them, or refuses
 * them naming the file.
 *
 * <p>Readers: TwelveMonkeys ImageIO for JPEG (including CMYK, YCCK and ICC-tagged files, converted to
 * sRGB), TIFF, WebP and BMP; the JDK's for PNG and GIF (see {@link ImageReaders}). The format is
 * sniffed from the content, not the extension. On top of the reader:
 * <ul>
 *   <li>the EXIF Orientation of JPEG, TIFF, PNG and WebP files turns the pixels upright
 *       ({@link ExifOrientation}), so train, evaluate and predict see what a viewer shows;</li>
 *   <li>colour ends in sRGB: ICC profiles the reader did not apply (PNG {@code iCCP}, ICC-tagged or
 *       CMYK TIFF) are converted ({@link ColourConversion}); 16-bit samples are scaled to 8 bits; 32-bit integer
 *       and floating-point samples by their range ({@link #wideSamples});</li>
 *   <li>alpha is dropped, keeping the stored colour under transparent pixels, as Pillow's
 *       {@code convert("RGB")} and torchvision's default loader do (a viewer's checkerboard is no
 *       colour to train on);</li>
 *   <li>large images are read with subsampling ({@link Subsampling}), so a 16000x13000 photo never
 *       needs its full raster for a 224-pixel target.</li>
 * </ul>
 *
 * <p>A damaged image must never train silently as a grey rectangle. ImageIO reports damage in three
 * ways: it returns null, it throws, or (for a truncated JPEG) it only emits a warning and returns a
 * partly grey image. All three are errors here that name the file; warnings about metadata only
 * (an unusable ICC profile or EXIF block, which viewers ignore too) are not.
 */
public final class ImageDecoder {
    static final String FIX_CORRUPT = "re-export the image, or leave it out";

    private ImageDecoder() {}

    /**
     * What an image's header says, read without decoding its pixels.
     *
     * @param height rows as shown, after the EXIF orientation
     * @param width columns as shown
     * @param colour whether the image can hold colour
     */
    public record Header(int height, int width, boolean colour) {}

    /**
     * Decodes {@code file} and conforms it to {@code format}.
     *
     * @return {@code format.imageBytes()} bytes: channel-major (NCHW) values 0-255 of one image
     * @throws HoneException naming the file when it is missing, unreadable, not an image, damaged, or
     *     too large for the heap
     */
    public static byte[] decode(Path file, ImageFormat format) {
        byte[] out = new byte[format.imageBytes()];
        decodeInto(file, format, out, 0);
        return out;
    }

    /**
     * Decodes {@code file} into {@code dest} at {@code offset}, conformed to {@code format}: the
     * upright sRGB (or grey) image, resized as {@link PixelConverter} does.
     *
     * @return the file's upright height and width (as stored, before any subsampling while decoding) and mode, before
     *     it was conformed ({@link Conformed})
     * @throws HoneException as {@link #decode}; an {@link OutOfMemoryError} while decoding becomes one
     *     naming the file and the image's size
     */
    public static Header decodeInto(Path file, ImageFormat format, byte[] dest, int offset) {
        Upright image = readUpright(file, format.height(), format.width());
        try {
            PixelConverter.write(image.planes(), image.height(), image.width(), format, dest, offset);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, image.width() + "x" + image.height());
        }
        return image.header();
    }

    /**
     * Conforms an image already in memory to {@code format} as {@link #decodeInto} conforms a file:
     * its grey or sRGB planes (a grey image read from its raster, without a colour conversion),
     * converted and resized by {@link PixelConverter}. The image is taken as shown: no EXIF orientation
     * or colour profile is applied, as whoever decoded it has done that.
     *
     * @param dest receives {@code format.imageBytes()} bytes at {@code offset}: channel-major values 0-255
     */
    public static void conformInto(BufferedImage image, ImageFormat format, byte[] dest, int offset) {
        PixelConverter.write(planes(image), image.getHeight(), image.getWidth(), format, dest, offset);
    }

    /**
     * Decodes {@code file} at its full size as a viewer shows it: upright by its EXIF orientation, in sRGB, alpha
     * dropped, as {@link #decodeInto} reads it for the model.
     *
     * @return an RGB image (a grey file's value in all three channels), {@code width x height} as shown
     * @throws HoneException as {@link #decode}
     */
    public static BufferedImage readShown(Path file) {
        return readShown(file, Integer.MAX_VALUE / 4);
    }

    /**
     * {@link #readShown(Path)}, subsampled by a whole period, the same across and down, when a side is at least four
     * times {@code side}: a picture to draw predicted masks and boxes over need not hold a 12000x8000 photo's every pixel
     * (its float planes would take 1.1 GB).
     *
     * @param side pixels; a subsampled result keeps at least twice it on its longer side
     */
    public static BufferedImage readShown(Path file, int side) {
        Upright u = readUpright(file, side, side, true);
        int h = u.height();
        int w = u.width();
        float[][] p = u.planes();
        float[] g = p[p.length == 3 ? 1 : 0];
        float[] b = p[p.length == 3 ? 2 : 0];
        BufferedImage image;
        try {
            image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, w + "x" + h);
        }
        int[] rgb = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                rgb[x] = clamp(p[0][i]) << 16 | clamp(g[i]) << 8 | clamp(b[i]);
            }
            image.setRGB(0, y, w, 1, rgb, 0, w);
        }
        return image;
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * Reads size and colour from the header (and the EXIF orientation) only, so sizing a folder of
     * large photos stays cheap.
     *
     * @throws HoneException naming the file when it is missing, not an image, or its header is damaged
     */
    public static Header probe(Path file) {
        try (ImageInputStream in = open(file)) {
            Opened opened = Opened.of(in, file);
            ImageReader reader = opened.reader();
            try {
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                ImageTypeSpecifier type = reader.getRawImageType(0);
                if (type == null) {
                    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                    type = types.hasNext() ? types.next() : null;
                }
                boolean colour = type == null || isColour(type.getColorModel());
                boolean swap = ExifOrientation.swapsAxes(opened.orientation());
                return new Header(swap ? w : h, swap ? h : w, colour);
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
     * Planes of an image as shown: upright, sRGB or grey, values in [0, 255].
     *
     * @param height the planes' height, after any subsampling while decoding (pixels)
     * @param width the planes' width (pixels)
     * @param header the file's own upright size and mode, before subsampling
     */
    record Upright(float[][] planes, int height, int width, Header header) {}

    /**
     * Reads {@code file} upright, subsampled for a target of {@code targetHeight x targetWidth} as shown.
     * Warnings from the reader, other than about metadata, count as damage.
     */
    static Upright readUpright(Path file, int targetHeight, int targetWidth) {
        return readUpright(file, targetHeight, targetWidth, false);
    }

    /**
     * {@link #readUpright(Path, int, int)}; with {@code uniform}, both axes are subsampled by the same period (the larger
     * of the two), so that the picture keeps the image's proportions.
     */
    private static Upright readUpright(Path file, int targetHeight, int targetWidth, boolean uniform) {
        String size = "unknown size";
        int[] fileSize = null;
        try (ImageInputStream in = open(file)) {
            Opened opened = Opened.of(in, file);
            ImageReader reader = opened.reader();
            List<String> warnings = new ArrayList<>();
            BufferedImage image = null;
            String failure = null;
            Throwable cause = null;
            try {
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                size = w + "x" + h;
                fileSize = new int[] {w, h};
                boolean swap = ExifOrientation.swapsAxes(opened.orientation());
                int px = Subsampling.period(w, swap ? targetHeight : targetWidth);
                int py = Subsampling.period(h, swap ? targetWidth : targetHeight);
                if (uniform) {
                    px = py = Math.max(px, py);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                if (px > 1 || py > 1) {
                    param.setSourceSubsampling(px, py, 0, 0);
                }
                image = reader.read(0, param);
                failure = image == null ? "the reader returned no image" : null;
            } catch (IOException | RuntimeException e) {
                // a decoder's exception may carry no message (TwelveMonkeys' WebP reader on a truncated file): name its kind
                failure = e.getMessage() != null ? e.getMessage() : "the decoder failed with " + e.getClass().getSimpleName();
                cause = e;
            } finally {
                reader.dispose();
            }
            if (failure == null) {
                failure = warnings.stream().filter(w -> !aboutMetadata(w)).findFirst().orElse(null);
            }
            if (failure != null) {
                throw new HoneException("image is corrupt or truncated (" + failure + "): " + file
                        + ". Fix: " + FIX_CORRUPT, cause);
            }
            try {
                return upright(ColourConversion.toSrgb(image, opened.profile()), opened.orientation(), fileSize);
            } catch (UnscaledSamples e) {
                throw new HoneException("image has " + e.getMessage() + ": " + file + ". Fix: scale its values to [0, 1] or"
                        + " [0, 255], or save it with 8- or 16-bit samples", e);
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, size);
        }
    }

    /** @param fileSize the file's width and height as stored, before subsampling and orientation */
    private static Upright upright(BufferedImage image, int orientation, int[] fileSize) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[][] planes = planes(image);
        for (int c = 0; c < planes.length; c++) {
            planes[c] = ExifOrientation.apply(planes[c], h, w, orientation);
        }
        boolean swap = ExifOrientation.swapsAxes(orientation);
        Header header = new Header(swap ? fileSize[0] : fileSize[1], swap ? fileSize[1] : fileSize[0], planes.length == 3);
        return new Upright(planes, swap ? w : h, swap ? h : w, header);
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
        if (!(cm instanceof IndexColorModel) && image.getRaster().getSampleModel().getSampleSize(0) >= 32) {
            return wideSamples(image.getRaster(), isColour(cm) ? 3 : 1);
        }
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

    /**
     * Planes of 32-bit integer or floating-point samples (scientific TIFFs; Pillow's "I" and "F" modes), whose scale no
     * bit depth gives: read from each image's range of values. Floating-point values within [0, 1] are scaled by 255 and values within [0, 255] kept; integers within
     * [0, 255] are kept and within [0, 65535] scaled as 16 bits. Alpha is dropped. The rule is per image: in a set of
     * [0, 255] floats, an image whose values all lie within [0, 1] (nearly black) is read as [0, 1] and brightened; in a
     * set of 16-bit-range integers, one within [0, 255] is kept as 8 bits. Such sets are best saved at 8 or 16 bits.
     *
     * @param colourBands 3 for R, G, B (the first three bands), 1 for grey (the first)
     * @throws UnscaledSamples for values outside those ranges, or not finite
     */
    static float[][] wideSamples(Raster raster, int colourBands) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        boolean floating = raster.getDataBuffer().getDataType() == java.awt.image.DataBuffer.TYPE_FLOAT
                || raster.getDataBuffer().getDataType() == java.awt.image.DataBuffer.TYPE_DOUBLE;
        int bands = Math.min(colourBands, raster.getNumBands());
        float[][] planes = new float[bands][];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int b = 0; b < bands; b++) {
            planes[b] = raster.getSamples(0, 0, w, h, b, (float[]) null);
            for (float v : planes[b]) {
                if (!Float.isFinite(v)) {
                    throw new UnscaledSamples((floating ? "floating-point" : "32-bit integer") + " samples include " + v);
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        float scale;
        if (min >= 0 && max <= 1 && floating) {
            scale = 255f;
        } else if (min >= 0 && max <= 255) {
            scale = 1f;
        } else if (min >= 0 && max <= 65535 && !floating) {
            scale = 255f / 65535;
        } else {
            throw new UnscaledSamples(String.format(Locale.ROOT, "%s samples from %s to %s, outside %s",
                    floating ? "floating-point" : "32-bit integer", min, max, floating ? "[0, 1] and [0, 255]" : "[0, 65535]"));
        }
        if (scale != 1f) {
            for (float[] plane : planes) {
                for (int i = 0; i < plane.length; i++) {
                    plane[i] *= scale;
                }
            }
        }
        return planes;
    }

    /** Samples whose scale {@link #wideSamples} cannot tell: the message says what they hold. */
    static final class UnscaledSamples extends IllegalArgumentException {
        UnscaledSamples(String message) {
            super(message);
        }
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

    /**
     * Whether a reader's warning is about metadata only (ICC profile, EXIF, APP segments, thumbnails),
     * which viewers ignore as the readers do, rather than about the pixels.
     */
    static boolean aboutMetadata(String warning) {
        String w = String.valueOf(warning).toLowerCase(Locale.ROOT);
        return w.contains("icc") || w.contains("profile") || w.contains("exif") || w.contains("thumbnail")
                || w.contains("jfif") || w.contains("jfxx") || w.contains("app14") || w.contains("bogus app");
    }

    /** Whether {@code file} holds no byte (a failed copy or download), said so in its error. */
    private static boolean empty(Path file) {
        try {
            return java.nio.file.Files.size(file) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The reader for a file, its orientation, and a profile the reader will not apply itself. */
    private record Opened(ImageReader reader, int orientation, ICC_Profile profile) {

        static Opened of(ImageInputStream in, Path file) throws IOException {
            ImageReader reader = ImageReaders.forContent(in);
            if (reader == null) {
                throw HoneException.of(empty(file) ? "file is empty (0 bytes), not an image"
                        : "file is not a readable image (PNG, JPEG, TIFF, WebP, BMP or GIF)", file, FIX_CORRUPT);
            }
            try {
                String format = ImageReaders.formatOf(reader);
                int orientation = ExifOrientation.read(in, format);
                reader.setInput(in, true, false);
                ICC_Profile profile = null;
                if (format.equals("png")) {
                    Node tree = PngMetadata.tree(reader.getImageMetadata(0));
                    byte[] exif = PngMetadata.exif(tree);
                    orientation = exif == null ? orientation : ExifOrientation.fromTiffBytes(exif);
                    profile = PngMetadata.iccProfile(tree);
                }
                return new Opened(reader, orientation, profile);
            } catch (IOException | RuntimeException e) {
                reader.dispose();
                throw new HoneException("image header is corrupt (" + e.getMessage() + "): " + file
                        + ". Fix: " + FIX_CORRUPT, e);
            }
        }
    }

    private static ImageInputStream open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw Files.isDirectory(file)
                    ? HoneException.of("this is a folder, not an image file", file, "name the image files in it, e.g. " + file.resolve("*"))
                    : HoneException.of("image file does not exist", file, "check the path, or remove the entry that names it");
        }
        try {
            // buffered reads straight from the file: a 100 MB photo is never held whole in memory
            return new BufferedFileImageInputStream(file.toFile());
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static HoneException outOfMemory(Path file, String size) {
        Runtime rt = Runtime.getRuntime();
        return HoneException.of("ran out of memory decoding this " + size + " image (maximum Java heap "
                + MemoryBudget.mib(rt.maxMemory()) + ")", file, "shrink the image, use a smaller image size,"
                + " or give Java more memory (e.g. HONE_JAVA_OPTS=-Xmx16g for ./hone, or -Xmx16g for java)");
    }

    private static HoneException unreadable(Path file, IOException e) {
        return new HoneException("cannot read image file (" + e + "): " + file
                + ". Fix: check that the file is readable", e);
    }
}
