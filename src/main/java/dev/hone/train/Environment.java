package dev.hone.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/** The record's {@code environment}: enough to tell whether two runs can be compared. */
final class Environment {
    private Environment() {}

    static String honeVersion() {
        String v = Environment.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static Map<String, Object> describe(Device device) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("hone", honeVersion());
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("djl", Engine.getDjlVersion());
        env.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        env.put("device", name(device));
        env.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        return env;
    }

    /** A device as a person writes it: {@code cpu}, or {@code gpu 0} (DJL's own names are {@code cpu()} and {@code gpu(0)}). */
    static String name(ai.djl.Device device) {
        return device.isGpu() ? "gpu " + device.getDeviceId() : "cpu";
    }
}
