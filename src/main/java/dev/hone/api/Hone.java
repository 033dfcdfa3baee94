package dev.hone.api;

/**
 * The entry point of hone's Java API: trains computer-vision models without hand-tuning, and explains
 * every choice.
 *
 * <pre>{@code
 * TrainingResult result = Hone.trainer()
 *         .setData(Path.of("images/"))          // class folders, an IDX folder or a CSV manifest
 *         .setModel("resnet9")
 *         .optBudget(Duration.ofMinutes(10))
 *         .build()
 *         .fit();
 * try (HoneModel model = HoneModel.load(result.modelDir());
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *     Classifications c = predictor.predict(Hone.readImage(Path.of("x.jpg")));
 * }
 * }</pre>
 *
 * <p>The first call applies {@link EngineDefaults} (offline mode, PyTorch thread counts) where the JVM
 * does not set them; set them with {@code -D} to choose otherwise. Errors a user can fix are
 * {@link dev.hone.core.HoneException}s whose message names the input and the fix.
 */
public final class Hone {
    private Hone() {}

    /**
     * Reads an image file as a viewer shows it, and as hone read its training images: turned upright by its EXIF
     * orientation (JPEG, PNG, TIFF, WebP), colour converted to sRGB, alpha dropped. DJL's
     * {@code ImageFactory.getInstance().fromFile} ignores the orientation, so a phone photo (stored sideways with an
     * orientation tag) reaches the model sideways and may be given another class; predict files with this instead.
     *
     * <p>Images of 8192 pixels a side or more are subsampled while decoding (by a whole period, the same across and down,
     * keeping at least 4096 pixels on the longer side), as hone's own reads of large photos are: a 12000x8000 photo would
     * otherwise take 1.8 GB to decode. A segmentation mask predicted from it is of the image as given.
     *
     * @return a DJL image of the picture as shown, (width, height) in pixels as a viewer gives them; built with DJL's
     *     {@code BufferedImageFactory}, whatever image factory the classpath brings
     * @throws dev.hone.core.HoneException naming the file when it is missing, not an image, damaged, or too large for the
     *     heap
     */
    public static ai.djl.modality.cv.Image readImage(java.nio.file.Path file) {
        return new ai.djl.modality.cv.BufferedImageFactory().fromImage(dev.hone.data.ImageDecoder.readShown(file, 2048));
    }

    /** A builder for a training run: {@code setData} and {@code setModel} are required, the rest optional. */
    public static HoneTrainer.Builder trainer() {
        EngineDefaults.apply();
        return new HoneTrainer.Builder();
    }
}
