package dev.hone.loop;

/**
 * Splits the one recorded run seed into independent streams, one per purpose, so that adding a
 * random draw in one place never shifts the numbers drawn in another.
 */
public final class Seeds {
    private Seeds() {}

    /** A well-mixed 64-bit seed for {@code purpose} and {@code index} (SplitMix64 finalizer). */
    public static long mix(long seed, String purpose, long index) {
        long z = seed ^ (purpose.hashCode() * 0x9E3779B97F4A7C15L) ^ (index * 0xBF58476D1CE4E5B9L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
