package dev.hone.optimize;

import dev.hone.core.HoneException;
import java.util.List;
import java.util.Locale;

/**
 * Creates hone's optimizers by name, each with its paper's defaults for everything but the learning
 * rate and weight decay.
 *
 * <p>The learning rate and decay are passed through unchanged: they do not transfer between
 * optimizers. LARS's {@code lr} is scaled by its small trust coefficient, and Lion wants a learning
 * rate 3-10x smaller and a decay 3-10x larger than AdamW (see each class).
 */
public final class Optimizers {
    private static final List<String> NAMES = List.of("sgd-nesterov", "adamw", "lamb", "lars", "lion");

    private Optimizers() {}

    /** The names {@link #create} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * @param name one of {@link #names()}, case-insensitive
     * @throws HoneException if the name is not one of them
     */
    public static HoneOptimizer create(String name, double learningRate, double weightDecay) {
        float lr = (float) learningRate;
        float wd = (float) weightDecay;
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "sgd-nesterov" -> new SgdNesterov(lr, 0.9f, wd);
            case "adamw" -> new AdamW(lr, wd);
            case "lamb" -> new Lamb(lr, wd);
            case "lars" -> new Lars(lr, wd);
            case "lion" -> new Lion(lr, wd);
            default -> throw HoneException.of("Unknown optimizer", "'" + name + "'",
                    "use one of " + String.join(", ", NAMES));
        };
    }
}
