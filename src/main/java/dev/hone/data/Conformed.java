package dev.hone.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What bringing decoded images to one {@link ImageFormat} changed ({@link PixelConverter}): the images resized to its
 * height and width, and those converted from colour to grey or from grey to colour. A user whose unlabeled photos are
 * colour and larger than the grey labelled images learns here that they were converted, and how many.
 *
 * @param resized images whose decoded (upright) height or width differed from the format's
 * @param toGrey colour images converted to grey (ITU-R BT.601 luminance)
 * @param toColour grey images whose one channel was copied into three
 * @param examples up to {@value #EXAMPLES} changed files, each with its decoded size and mode, e.g.
 *     {@code a.png (32x32 colour)}
 */
public record Conformed(int resized, int toGrey, int toColour, List<String> examples) {
    /** The most files {@link #examples} names. */
    public static final int EXAMPLES = 3;

    /** Nothing resized or converted: sources whose images are already in their format (IDX, named data sets). */
    public static final Conformed NONE = new Conformed(0, 0, 0, List.of());

    public Conformed {
        examples = List.copyOf(examples);
    }

    /**
     * What conforming {@code files}, decoded as {@code decoded} (null for a file not decoded), to {@code target} changed.
     *
     * @throws IllegalArgumentException when the two lists differ in length
     */
    static Conformed of(List<Path> files, ImageDecoder.Header[] decoded, ImageFormat target) {
        if (files.size() != decoded.length) {
            throw new IllegalArgumentException(files.size() + " files, " + decoded.length + " headers");
        }
        int resized = 0;
        int toGrey = 0;
        int toColour = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < decoded.length; i++) {
            ImageDecoder.Header h = decoded[i];
            if (h == null) {
                continue;
            }
            boolean resize = h.height() != target.height() || h.width() != target.width();
            boolean grey = h.colour() && target.channels() == 1;
            boolean colour = !h.colour() && target.channels() == 3;
            resized += resize ? 1 : 0;
            toGrey += grey ? 1 : 0;
            toColour += colour ? 1 : 0;
            if ((resize || grey || colour) && examples.size() < EXAMPLES) {
                examples.add(String.format(Locale.ROOT, "%s (%dx%d %s)", files.get(i), h.width(), h.height(),
                        h.colour() ? "colour" : "grey"));
            }
        }
        return new Conformed(resized, toGrey, toColour, examples);
    }

    /** Whether any image was resized or converted. */
    public boolean any() {
        return resized + toGrey + toColour > 0;
    }

    /** For the record: the three counts and the examples. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resized", resized);
        m.put("colourToGrey", toGrey);
        m.put("greyToColour", toColour);
        m.put("examples", examples);
        return m;
    }

    /**
     * One console line when anything changed, else none, e.g. "unlabeled images: resized 12 to 28x28 (width x height),
     * converted 3 from colour to grey, as the labelled images are; e.g. a.png (32x32 colour)".
     *
     * @param what the images' name in the line, e.g. "unlabeled images"
     * @param why why {@code format} is the target, e.g. "as the labelled images are"
     */
    public List<String> lines(String what, ImageFormat format, String why) {
        if (!any()) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        if (resized > 0) {
            parts.add(String.format(Locale.ROOT, "resized %d to %dx%d (width x height)", resized, format.width(), format.height()));
        }
        if (toGrey > 0) {
            parts.add("converted " + toGrey + " from colour to grey");
        }
        if (toColour > 0) {
            parts.add("converted " + toColour + " from grey to colour");
        }
        return List.of(what + ": " + String.join(", ", parts) + ", " + why + "; e.g. "
                + String.join(", ", examples));
    }
}
