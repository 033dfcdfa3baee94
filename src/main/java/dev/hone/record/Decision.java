package dev.hone.record;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One value hone chose, with the reason and the evidence behind it.
 *
 * <p>Every hyperparameter reaches the training plan as a Decision, so the training record can say
 * for each one whether the user fixed it, a meta-learner found it, or a default stood in.
 *
 * @param name the hyperparameter, kebab-case as on the command line (e.g. {@code batch-size})
 * @param value the chosen value (a number, string or small JSON-able structure)
 * @param origin where it came from
 * @param method how it was found (e.g. {@code gradient-noise-scale}, {@code flag}, {@code rule})
 * @param rationale one sentence for a person
 * @param evidence measurements that support it, JSON-able
 * @param cost time spent finding it
 */
public record Decision<T>(String name, T value, Origin origin, String method, String rationale,
        Map<String, Object> evidence, Duration cost) {

    public Decision {
        Objects.requireNonNull(name);
        Objects.requireNonNull(value, name);
        Objects.requireNonNull(origin);
        Objects.requireNonNull(method);
        Objects.requireNonNull(rationale);
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
        cost = cost == null ? Duration.ZERO : cost;
    }

    public static <T> Decision<T> user(String name, T value) {
        return new Decision<>(name, value, Origin.USER, "flag", "fixed by the user with --" + name, Map.of(), Duration.ZERO);
    }

    public static <T> Decision<T> byDefault(String name, T value, String rationale) {
        return new Decision<>(name, value, Origin.DEFAULT, "default", rationale, Map.of(), Duration.ZERO);
    }

    public static <T> Decision<T> derived(String name, T value, String method, String rationale, Map<String, Object> evidence) {
        return new Decision<>(name, value, Origin.DERIVED, method, rationale, evidence, Duration.ZERO);
    }

    /** The user's value when given, else the fallback decision. */
    public static <T> Decision<T> userOr(String name, T userValue, java.util.function.Supplier<Decision<T>> otherwise) {
        return userValue != null ? user(name, userValue) : otherwise.get();
    }

    /** One line for logs: {@code batch-size = 512, LEARNED by gradient-noise-scale: ...}. */
    public String describe() {
        return name + " = " + shown(value) + ", " + provenance(" by ") + ": " + rationale
                + (cost.isZero() ? "" : String.format("; cost %.1f s", cost.toMillis() / 1000.0));
    }

    /**
     * The origin and the method joined by {@code joiner}, e.g. {@code LEARNED, range-test}; the origin alone when the
     * method only repeats it ({@code DEFAULT}, not "DEFAULT, default").
     */
    public String provenance(String joiner) {
        return method.equalsIgnoreCase(origin.name()) ? origin.name() : origin + joiner + method;
    }

    /** A real value as {@link Numbers#readable} writes it; anything else as it is. */
    private static String shown(Object value) {
        return value instanceof Double || value instanceof Float ? Numbers.readable(((Number) value).doubleValue())
                : String.valueOf(value);
    }
}
