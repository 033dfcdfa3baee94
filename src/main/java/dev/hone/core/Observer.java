package dev.hone.core;

/** Reads the loop's state at every event and never changes it: progress, logs, metrics files. */
@FunctionalInterface
public interface Observer {
    void on(Event event, TrainingView view);
}
