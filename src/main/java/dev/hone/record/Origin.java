package dev.hone.record;

/** Where a chosen value came from. */
public enum Origin {
    /** Fixed by the user on the command line; hone did not question it. */
    USER,
    /** Found by a meta-learner from measurements on this run's model and data. */
    LEARNED,
    /** Computed from other decisions or from the data by a closed form. */
    DERIVED,
    /** A documented default, used because nothing better was measured; the rationale says why. */
    DEFAULT
}
