package dev.hone.core;

import java.util.Set;

/**
 * A training method that changes the loop's state at chosen events: a schedule, a regularizer, an
 * augmentation. Following Composer's algorithms, each is one small unit: its maths is a static pure
 * function tested on its own, and this wrapper only decides when to call it.
 */
public interface Technique {

    /** A short stable name, used in the record and in conflict messages. */
    String name();

    /** Whether {@link #apply} should run at this event. */
    boolean matches(Event event, TrainingView view);

    void apply(Event event, TrainingState state);

    /** What the technique touches, so conflicts are found before the first batch. */
    default Set<Trait> traits() {
        return Set.of();
    }

    /** Properties used to detect techniques that must not run together. */
    enum Trait {
        /** Mixes samples within a batch (MixUp, CutMix): two on one batch would compound. */
        MIXES_SAMPLES,
        /** Softens the targets (label smoothing, mixing). */
        SOFTENS_TARGETS,
        /** Sets the optimizer's learning rate: exactly one schedule may run. */
        SETS_LEARNING_RATE,
        /** Changes the input images. */
        AUGMENTS_INPUTS
    }
}
