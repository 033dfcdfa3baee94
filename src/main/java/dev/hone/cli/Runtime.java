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
        dev.hone.api.EngineDefaults.apply();
    }
}
