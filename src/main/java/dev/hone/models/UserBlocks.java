package dev.hone.models;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.hone.core.HoneException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Networks written by the user as DJL {@link Block}s: the third source of architectures, beside the
 * built-ins and TorchScript files.
 *
 * <p>hone builds a fresh network for every probe, trial and the final run, and again when a trained
 * model is loaded, so it takes a DJL {@link BlockFactory} (DJL's own way to name a Java-built network
 * for {@code Criteria}), not one {@code Block}. The factory's class name is what the model folder
 * records, so it must be a named class, not a lambda. In the JVM that trains, the factory object given is
 * used as it is; in another JVM, the class is instantiated through its public no-argument constructor, or
 * the caller passes the factory again ({@code HoneModel.load(dir, factory)}). The registry is per class:
 * the factory given last for a class builds that class's networks in this JVM.
 *
 * <p>{@link BlockFactory#newBlock} gets the DJL {@code Model} the block goes into (null when DJL's own
 * loader asks), {@code modelPath} null while training, and these
 * {@code arguments}: {@value #OUTPUTS} (the head's channels: K classes, 1 for a binary task, K + 4
 * for CenterNet detection) and the input's {@value #CHANNELS}, {@value #HEIGHT}
 * and {@value #WIDTH} in pixels (all {@code Integer}). The block must return one NDArray: logits of
 * shape {@code (N, outputs)} for classification, {@code (N, outputs, H, W)} for segmentation,
 * {@code (N, outputs, H/4, W/4)} for detection.
 */
public final class UserBlocks {
    /** Argument: the head's output channels. */
    public static final String OUTPUTS = "outputs";
    /** Argument: input channels. */
    public static final String CHANNELS = "channels";
    /** Argument: input height in pixels. */
    public static final String HEIGHT = "height";
    /** Argument: input width in pixels. */
    public static final String WIDTH = "width";

    private static final Map<String, BlockFactory> REGISTERED = new ConcurrentHashMap<>();

    private UserBlocks() {}

    /**
     * Makes {@code factory} the one used, in this JVM, for specs naming its class.
     *
     * @return the class name to record in {@link ModelSpec#ofUserBlock}
     */
    public static String register(BlockFactory factory) {
        Class<?> type = factory.getClass();
        if (type.isHidden() || type.isSynthetic()) {
            throw new HoneException("The network's BlockFactory is a lambda (" + type.getName() + "), whose class name changes"
                    + " from one run to the next, so the model folder could not name it. Fix: write the factory as a named"
                    + " class implementing ai.djl.nn.BlockFactory");
        }
        String name = type.getName();
        REGISTERED.put(name, factory);
        return name;
    }

    /**
     * Registers {@code factory} for a model folder that recorded {@code recorded}, the class name it was trained with.
     *
     * @throws HoneException when the factory is of another class than the one the model was trained with
     */
    public static void register(String recorded, BlockFactory factory) {
        if (!factory.getClass().getName().equals(recorded)) {
            throw HoneException.of("The model was trained with the BlockFactory " + recorded + ", not "
                    + factory.getClass().getName(), recorded, "pass an instance of " + recorded + " that builds the same network");
        }
        REGISTERED.put(recorded, factory);
    }

    /**
     * A new, uninitialized network from the factory that {@code className} names.
     *
     * @param inputChw the input shape without batch: (C, H, W)
     * @param outputs the head's channels
     * @throws HoneException when the factory cannot be found or made, or returns no block
     */
    public static Block newBlock(String className, Model model, Path modelPath, Shape inputChw, int outputs) {
        BlockFactory factory = factory(className);
        Map<String, Integer> arguments = Map.of(OUTPUTS, outputs, CHANNELS, (int) inputChw.get(0),
                HEIGHT, (int) inputChw.get(1), WIDTH, (int) inputChw.get(2));
        Block block;
        try {
            block = factory.newBlock(model, modelPath, arguments);
        } catch (java.io.IOException | RuntimeException e) {
            throw new HoneException("The BlockFactory " + className + " failed: " + e.getMessage()
                    + ". Fix: make newBlock build the network from the arguments " + arguments.keySet(), e);
        }
        if (block == null) {
            throw HoneException.of("The BlockFactory returned no block", className,
                    "return the network from newBlock(model, modelPath, arguments)");
        }
        return block;
    }

    /** The registered factory, else a new instance of the class. */
    static BlockFactory factory(String className) {
        BlockFactory registered = REGISTERED.get(className);
        if (registered != null) {
            return registered;
        }
        String fix = "give the factory again, e.g. HoneModel.load(dir, factory), or make " + className
                + " a public class with a public no-argument constructor on the class path";
        try {
            Class<?> type = Class.forName(className, true, classLoader());
            if (!BlockFactory.class.isAssignableFrom(type)) {
                throw HoneException.of("Not a DJL BlockFactory", className, "implement ai.djl.nn.BlockFactory");
            }
            Constructor<?> constructor = type.getDeclaredConstructor();
            if (!Modifier.isPublic(constructor.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
                throw HoneException.of("The network's BlockFactory cannot be created here", className, fix);
            }
            return (BlockFactory) constructor.newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw HoneException.of("The network's BlockFactory cannot be created here (" + e + ")", className, fix);
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : UserBlocks.class.getClassLoader();
    }
}
