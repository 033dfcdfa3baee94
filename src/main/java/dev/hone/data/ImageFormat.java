package dev.hone.data;

import dev.hone.core.HoneException;

/**
 * The shape every image of a data set is conformed to: channels, height and width.
 *
 * <p>Models take one input shape, so sources decode each image straight into this shape (resizing and
 * converting grey and colour as needed) rather than keeping per-image sizes around.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height rows, at least 1
 * @param width columns, at least 1
 */
public record ImageFormat(int channels, int height, int width) {

    public ImageFormat {
        if (channels != 1 && channels != 3) {
            throw HoneException.of("image format must have 1 or 3 channels", "got " + channels,
                    "ask for 1 (grey) or 3 (colour) channels");
        }
        if (height < 1 || width < 1 || (long) height * width > 16_384L * 16_384L) {
            throw HoneException.of("image size must be between 1x1 and 16384x16384",
                    "got " + height + "x" + width, "ask for a positive size such as 224x224");
        }
    }

    /** The format images of {@code set} already have. */
    public static ImageFormat of(ImageSet set) {
        return new ImageFormat(set.channels(), set.height(), set.width());
    }

    /** Bytes one image takes in NCHW uint8. */
    public int imageBytes() {
        return channels * height * width;
    }

    /** As {@code CxHxW}, e.g. {@code 3x32x32}. */
    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
