package dev.hone.api;

/**
 * Engine settings that must be in place before DJL loads PyTorch, each set only when the JVM does not
 * already set it: offline mode ({@code ai.djl.offline=true}: nothing is downloaded at run time), the
 * intra-op threads ({@code ai.djl.pytorch.num_threads}, the processors this JVM may use: oversubscribed
 * threads make PyTorch on CPU up to 20 times slower), one inter-op thread, DJL's own logging at
 * warnings, and headless AWT (charts are drawn without a display).
 *
 * <p>One setting cannot be made from inside the JVM: glibc reads {@link #GLIBC_TUNABLES} from the environment when the
 * process starts. {@code ./hone} sets it; a Linux application that embeds hone without it is told once, at INFO, how
 * much it loses.
 */
public final class EngineDefaults {
    /**
     * The allocator settings {@code ./hone} starts the JVM with (environment variable {@code GLIBC_TUNABLES}): freed
     * activation buffers are kept rather than unmapped (the two thresholds), every thread allocates from glibc's main
     * arena (a secondary arena's heaps are capped at 64 MiB and shrink and grow step after step) and malloc's memory
     * uses transparent huge pages. Without them PyTorch page-faults its activations back every step: about 10% of a
     * step on 28x28 images, and 1.5 (a U-Net) to 4.5 (a resnet9) times the throughput on 64x64 and 96x96 images on a
     * 2-core CPU (docs/BENCHMARKS.md). glibc 2.35 or later reads the huge-page setting; older ones ignore it.
     */
    public static final String GLIBC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"
            + ":glibc.malloc.arena_max=1:glibc.malloc.hugetlb=1";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("hone");
    /** Whether this JVM was told about {@link #GLIBC_TUNABLES}; package-private for tests. */
    static volatile boolean told;

    private EngineDefaults() {}

    /** Applies the defaults; has no effect on settings given with {@code -D} or after PyTorch loaded. */
    public static void apply() {
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("org.slf4j.simpleLogger.log.ai.djl", "warn");
        setDefault("java.awt.headless", "true");
        tellAllocator(System.getProperty("os.name", ""), System.getenv("GLIBC_TUNABLES"));
    }

    /** Logs, once per JVM, how to start it when Linux's allocator runs with its defaults. */
    static boolean tellAllocator(String osName, String tunables) {
        if (told || !osName.toLowerCase(java.util.Locale.ROOT).contains("linux") || tunables != null) {
            return false;
        }
        told = true;
        LOG.info("GLIBC_TUNABLES is not set: PyTorch will page-fault its activations back every step, up to 4.5 times slower"
                + " on images of 64x64 and more; start the JVM with GLIBC_TUNABLES={} as ./hone does", GLIBC_TUNABLES);
        return true;
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
