package dev.hone.augment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.hone.core.HoneException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which augmentations to apply and how strongly: an immutable list of steps, saved in the training
 * plan and record as JSON.
 *
 * <p>Steps keep the order they were added in, for the report; {@link Augmenter} applies them in its
 * own fixed order whatever the list says, so two policies with the same steps augment alike. A step
 * with magnitude 0 is dropped on construction (it would do nothing), so a search can sweep down to
 * 0 and {@link #isEmpty()} still tells the truth.
 *
 * @param steps at most one step per transform
 */
public record AugmentationPolicy(List<Step> steps) {

    /**
     * One transform at one magnitude.
     *
     * @param transform a {@link Transform#id()}
     * @param magnitude in [0,1]; 0 is dropped by the policy; for the flips any positive value means on
     */
    public record Step(String transform, double magnitude) {
        public Step {
            Transform.fromId(transform); // fails with the list of valid ids
            if (!(magnitude >= 0 && magnitude <= 1)) {
                throw HoneException.of("augmentation magnitude " + magnitude + " is outside [0,1]", "step " + transform,
                        "give a magnitude between 0 (off) and 1 (strongest)");
            }
        }

        public Transform asTransform() {
            return Transform.fromId(transform);
        }
    }

    /** No augmentation. */
    public static final AugmentationPolicy NONE = new AugmentationPolicy(List.of());

    public AugmentationPolicy {
        Objects.requireNonNull(steps, "steps");
        Set<String> seen = new HashSet<>();
        List<Step> kept = new ArrayList<>();
        for (Step s : steps) {
            if (!seen.add(s.transform())) {
                throw HoneException.of("augmentation '" + s.transform() + "' appears twice", "augmentation policy",
                        "keep one step per transform");
            }
            if (s.magnitude() > 0) {
                kept.add(s);
            }
        }
        steps = List.copyOf(kept);
    }

    public static AugmentationPolicy of(Transform t, double magnitude) {
        return NONE.with(t, magnitude);
    }

    /** This policy with {@code t} at {@code magnitude}: replaces its step in place, or adds one at the end. */
    public AugmentationPolicy with(Transform t, double magnitude) {
        Step step = new Step(t.id(), magnitude);
        List<Step> next = new ArrayList<>(steps);
        int at = indexOf(t);
        if (at >= 0) {
            next.set(at, step);
        } else {
            next.add(step);
        }
        return new AugmentationPolicy(next);
    }

    public AugmentationPolicy without(Transform t) {
        return new AugmentationPolicy(steps.stream().filter(s -> !s.transform().equals(t.id())).toList());
    }

    /** The magnitude of {@code t}, 0 when the policy does not use it. */
    public double magnitude(Transform t) {
        int at = indexOf(t);
        return at < 0 ? 0 : steps.get(at).magnitude();
    }

    @JsonIgnore // a derived value, not a property to save
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** e.g. "translate 0.50, flip-horizontal", or "none". */
    public String describe() {
        if (steps.isEmpty()) {
            return "none";
        }
        return steps.stream()
                .map(s -> s.asTransform().hasMagnitude() ? String.format(Locale.ROOT, "%s %.2f", s.transform(), s.magnitude()) : s.transform())
                .collect(Collectors.joining(", "));
    }

    private int indexOf(Transform t) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).transform().equals(t.id())) {
                return i;
            }
        }
        return -1;
    }
}
