package dev.hone.data;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a folder with one subfolder per class, {@code DIR/<class>/*.png}, the layout of torchvision's
 * {@code ImageFolder} and Keras' {@code image_dataset_from_directory}.
 *
 * <p>Class names are the subfolder names, sorted, so class indices do not depend on the file system.
 * Images are ordered by class, then file name. PNG, JPEG, BMP and GIF files count (extension in any
 * case); other files, nested folders and hidden entries (names starting with a dot) are skipped, so
 * a {@code .DS_Store} or a {@code README} never breaks a run.
 */
public final class ImageFolderSource {
    /** File extensions read as images, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private static final String LAYOUT = "DIR/<class>/*.png (or .jpg), e.g. DIR/cat/001.png and DIR/dog/002.jpg";

    private ImageFolderSource() {}

    /**
     * Reads {@code dir}.
     *
     * @param format the format to conform images to, or null to infer it from the images
     */
    public static ImageSet load(Path dir, ImageFormat format) {
        return load(dir, format, null);
    }

    /**
     * Reads {@code dir} with the class names of another set (a test set conformed to its training set).
     *
     * @param knownClasses class names the labels index into; every class folder must be one of them.
     *     Null: the sorted subfolder names, at least two
     */
    public static ImageSet load(Path dir, ImageFormat format, List<String> knownClasses) {
        List<Path> classDirs = classFolders(dir);
        List<String> names = classDirs.stream().map(d -> d.getFileName().toString()).toList();
        if (knownClasses == null && names.size() < 2) {
            throw HoneException.of("image folder has only 1 class (" + names.get(0)
                    + "), a classifier needs at least 2", dir, "add one subfolder per class, as " + LAYOUT);
        }
        List<String> classNames = knownClasses != null ? knownClasses : names;
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path classDir : classDirs) {
            String name = classDir.getFileName().toString();
            int label = classNames.indexOf(name);
            if (label < 0) {
                throw HoneException.of("class folder '" + name + "' is not one of the training classes "
                        + classNames, classDir, "remove or rename the folder so that it names a training class");
            }
            List<Path> images = imagesIn(classDir);
            if (images.isEmpty()) {
                throw HoneException.of("class folder has no images (PNG, JPEG, BMP or GIF)", classDir,
                        "add images to it, or remove the folder");
            }
            files.addAll(images);
            images.forEach(f -> labels.add(label));
        }
        return ImageFileLoader.load(files, labels.stream().mapToInt(Integer::intValue).toArray(),
                classNames, format);
    }

    /** Whether {@code file} is a visible file with an image extension. */
    public static boolean isImageFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(file);
    }

    /** The visible subfolders of {@code dir}, sorted by name; errors when there are none. */
    static List<Path> classFolders(Path dir) {
        if (!Files.exists(dir)) {
            throw HoneException.of("image folder does not exist", dir, "check the path");
        }
        if (!Files.isDirectory(dir)) {
            throw HoneException.of("expected a folder of class subfolders but this is a file", dir,
                    "point to a folder laid out as " + LAYOUT);
        }
        List<Path> dirs = list(dir).filter(Files::isDirectory)
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                .toList();
        if (dirs.isEmpty()) {
            long loose = list(dir).filter(ImageFolderSource::isImageFile).count();
            String found = loose > 0 ? " (it holds " + loose + " images directly, not sorted into classes)" : "";
            throw HoneException.of("image folder has no class subfolders" + found, dir,
                    "put the images of each class in a subfolder named after the class, as " + LAYOUT);
        }
        return dirs;
    }

    private static List<Path> imagesIn(Path classDir) {
        return list(classDir).filter(ImageFolderSource::isImageFile)
                .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                .toList();
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList().stream();
        } catch (IOException e) {
            throw new HoneException("cannot list folder (" + e + "): " + dir
                    + ". Fix: check that the folder is readable", e);
        }
    }
}
