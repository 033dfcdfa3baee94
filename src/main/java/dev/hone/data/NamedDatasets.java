package dev.hone.data;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Data sets known by name, found where a system package installed them.
 *
 * <p>Only data sets that Debian packages are named: the package manager puts them on disk, so hone
 * never downloads anything and runs offline. The files are found with {@code dpkg -L} rather than a
 * fixed path, which keeps working if a package moves them. Debian packages Fashion-MNIST
 * ({@code dataset-fashion-mnist}) but not MNIST, so only {@value #FASHION_MNIST} is named.
 */
public final class NamedDatasets {
    /** Zalando's Fashion-MNIST: 60,000 training and 10,000 test images, 28x28 grey, 10 classes. */
    public static final String FASHION_MNIST = "fashion-mnist";

    /** All names, for error messages and help. */
    public static final List<String> NAMES = List.of(FASHION_MNIST);

    /** Fashion-MNIST's class names in label order, from its README. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String PACKAGE = "dataset-fashion-mnist";

    private NamedDatasets() {}

    /** Whether {@code name} names a data set (case-insensitive). */
    public static boolean isNamed(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The folder holding the named data set's IDX files. */
    public static Path folderOf(String name) {
        if (!FASHION_MNIST.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("not a named data set: " + name);
        }
        return locate(FASHION_MNIST, PACKAGE);
    }

    /** The folder of {@code pkg}'s {@code train-images-idx3-ubyte.gz}; an error naming the install command when missing. */
    static Path locate(String dataset, String pkg) {
        String listing = dpkgList(pkg);
        Path images = listing == null ? null : listing.lines()
                .filter(l -> l.endsWith("/train-images-idx3-ubyte.gz"))
                .map(Path::of).findFirst().orElse(null);
        if (images == null || !Files.isRegularFile(images)) {
            throw HoneException.of("data set " + dataset + " is not installed",
                    "package " + pkg + (images == null ? " is missing" : " lacks " + images),
                    "sudo apt-get install " + pkg);
        }
        return images.getParent();
    }

    /** The files {@code dpkg -L pkg} lists, or null when the package (or dpkg) is missing. */
    private static String dpkgList(String pkg) {
        try {
            Process p = new ProcessBuilder("dpkg", "-L", pkg).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
