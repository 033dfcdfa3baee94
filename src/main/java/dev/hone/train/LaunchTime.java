package dev.hone.train;

/**
 * When {@code ./hone} launched this process, so that a budgeted run counts the JVM's start-up too: the launcher passes
 * the wall-clock time it started the JVM as {@code -Dhone.launched} (milliseconds since the epoch), and the first run
 * of the process reads it once. A run started from the Java API, or a second run in one JVM, counts from its own start.
 * Without it a {@code --budget 30s} run took 33.8 s from the shell's view, 1.9 s of it before the run's clock started.
 */
final class LaunchTime {
    static final String PROPERTY = "hone.launched";
    /** A launch further back than this is not this run's (a stale or wrong value): it is ignored. */
    static final long MAX_MS = 60_000;

    private LaunchTime() {}

    /** The milliseconds since the launcher started this process, for its first run; 0 after that, or without one. */
    static synchronized long sinceLaunchMillis() {
        String launched = System.getProperty(PROPERTY);
        if (launched == null) {
            return 0;
        }
        System.clearProperty(PROPERTY);
        return since(launched, System.currentTimeMillis());
    }

    /** {@code now - launched} in milliseconds, or 0 when {@code launched} is not a time from the last {@link #MAX_MS}. */
    static long since(String launched, long nowMillis) {
        try {
            long ms = nowMillis - Long.parseLong(launched.strip());
            return ms >= 0 && ms <= MAX_MS ? ms : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
