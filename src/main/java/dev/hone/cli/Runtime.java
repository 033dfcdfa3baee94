package dev.hone.cli;

/**
 * Engine settings that must be in place before DJL loads PyTorch.
 *
 * <p>Oversubscribed intra-op threads make PyTorch on CPU up to 20 times slower, so the thread
 * count is set to the cores this process may use, unless the user set it. Offline mode makes sure
 * nothing is ever downloaded at run time.
 */
final class Runtime {
    private Runtime() {}

    static void configure() {
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.pytorch.num_threads", String.valueOf(java.lang.Runtime.getRuntime().availableProcessors()));
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("org.slf4j.simpleLogger.log.ai.djl", "warn");
        setDefault("java.awt.headless", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
