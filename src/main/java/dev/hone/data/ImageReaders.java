package dev.hone.data;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Picks the {@code javax.imageio} reader for an image, preferring TwelveMonkeys' readers.
 *
 * <p>TwelveMonkeys (JPEG, TIFF, WebP, BMP) reads what the JDK's readers reject or mangle: CMYK and
 * YCCK JPEGs, embedded ICC profiles (converted to sRGB), TIFF and WebP at all. Its plugins register
 * through {@link java.util.ServiceLoader} and order themselves before the JDK's, but that ordering
 * depends on how the class path was scanned, so the choice here is explicit: among the readers that
 * recognise the content, the first TwelveMonkeys one, else the first. PNG and GIF are left to the JDK.
 */
final class ImageReaders {
    private static final String PREFERRED = "com.twelvemonkeys.";

    static {
        // A class loader that hid the plugins from ImageIO's first scan (an application server, a
        // custom launcher) would leave JPEGs to the JDK reader: look again once, explicitly.
        boolean found = false;
        Iterator<ImageReaderSpi> spis = IIORegistry.getDefaultInstance()
                .getServiceProviders(ImageReaderSpi.class, true);
        while (spis.hasNext()) {
            found |= spis.next().getClass().getName().startsWith(PREFERRED);
        }
        if (!found) {
            ImageIO.scanForPlugins();
        }
    }

    private ImageReaders() {}

    /** The reader for the content of {@code in} (format sniffed, not taken from the name), or null. */
    static ImageReader forContent(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        ImageReader first = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getClass().getName().startsWith(PREFERRED)) {
                if (first != null) {
                    first.dispose();
                }
                return reader;
            }
            if (first == null) {
                first = reader;
            } else {
                reader.dispose();
            }
        }
        return first;
    }

    /** The reader's format name in lower case, e.g. {@code "jpeg"}, {@code "png"}, {@code "tiff"}. */
    static String formatOf(ImageReader reader) throws IOException {
        String name = reader.getFormatName();
        return name == null ? "" : name.toLowerCase(Locale.ROOT);
    }
}
