package dev.hone.api;

/**
 * Engine settings that must be in place before DJL loads PyTorch, each set only when the JVM does not
 * already set it: offline mode ({@code ai.djl.offline=true}: nothing is downloaded at run time), the
 * intra-op threads ({@code ai.djl.pytorch.num_threads}, the processors this JVM may use: oversubscribed
 * threads make PyTorch on CPU up to 20 times slower), one inter-op thread, DJL's own logging at
 * warnings, and headless AWT (charts are drawn without a display).
 */
public final class EngineDefaults {
    private EngineDefaults() {}

    /** Applies the defaults; has no effect on settings given with {@code -D} or after PyTorch loaded. */
    public static void apply() {
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("org.slf4j.simpleLogger.log.ai.djl", "warn");
        setDefault("java.awt.headless", "true");
    }

    /**
     * Readies the calling thread for training: PyTorch's autograd switch is per thread and on by
     * default, and DJL turns it off only in the thread that loads the engine, while its gradient
     * collector restores the switch it found on closing. A run on another thread (an executor, a
     * web server's worker) would then update the weights with autograd on, which PyTorch refuses
     * ("a leaf Variable that requires grad is being used in an in-place operation").
     */
    static void prepareThread() {
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getInstance();
        if ("PyTorch".equals(engine.getEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
