package dev.hone.api;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.train.ModelDescriptor;
import java.awt.image.BufferedImage;

/**
 * An image as a saved model's input, the preprocessing every hone translator shares: converted to the
 * model's channels (colour to grey by BT.601 luminance, grey to colour by copying), resized to its
 * (H, W) as training resized its images, scaled to [0, 1] and normalised with the training split's
 * per-channel mean and standard deviation.
 */
final class ModelInput {
    private ModelInput() {}

    /** The image as the model's normalised float32 (C, H, W) input. */
    static NDArray normalised(NDManager manager, Image image, ModelDescriptor descriptor) {
        ImageFormat format = descriptor.input();
        byte[] pixels = new byte[format.imageBytes()];
        if (image.getWrappedImage() instanceof BufferedImage b) {
            ImageDecoder.conformInto(b, format, pixels, 0);
        } else {
            dev.hone.data.PixelConverter.write(planes(manager, image), image.getHeight(), image.getWidth(), format, pixels, 0);
        }
        int c = format.channels();
        float[] sc = new float[c];
        float[] sh = new float[c];
        for (int ch = 0; ch < c; ch++) {
            // as training normalised its batches: (x/255 - mean) / std == x * scale + shift
            sc[ch] = 1f / (255f * descriptor.normalization().std()[ch]);
            sh[ch] = -descriptor.normalization().mean()[ch] / descriptor.normalization().std()[ch];
        }
        Shape chw = new Shape(c, format.height(), format.width());
        // unsigned: DJL would read a byte[] as int8, and pixels above 127 as negative
        NDArray x = manager.create(java.nio.ByteBuffer.wrap(pixels), chw, DataType.UINT8).toType(DataType.FLOAT32, false);
        return x.muli(manager.create(sc, new Shape(c, 1, 1))).addi(manager.create(sh, new Shape(c, 1, 1)));
    }

    /** R, G, B planes of values 0-255 of an image that is not a {@link BufferedImage} (e.g. OpenCV's). */
    private static float[][] planes(NDManager manager, Image image) {
        try (NDManager m = manager.newSubManager()) {
            NDArray hwc = image.toNDArray(m, Image.Flag.COLOR).toType(DataType.FLOAT32, false);
            float[][] planes = new float[3][];
            for (int ch = 0; ch < 3; ch++) {
                planes[ch] = hwc.get(":, :, " + ch).toFloatArray();
            }
            return planes;
        }
    }

}
