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
 *     Classifications c = predictor.predict(ImageFactory.getInstance().fromFile(Path.of("x.png")));
 * }
 * }</pre>
 *
 * <p>The first call applies {@link EngineDefaults} (offline mode, PyTorch thread counts) where the JVM
 * does not set them; set them with {@code -D} to choose otherwise. Errors a user can fix are
 * {@link dev.hone.core.HoneException}s whose message names the input and the fix.
 */
public final class Hone {
    private Hone() {}

    /** A builder for a training run: {@code setData} and {@code setModel} are required, the rest optional. */
    public static HoneTrainer.Builder trainer() {
        EngineDefaults.apply();
        return new HoneTrainer.Builder();
    }
}
