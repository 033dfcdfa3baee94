package dev.hone.data;

import dev.hone.core.HoneException;
import dev.hone.data.SkippedFiles.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a folder with one subfolder per class, {@code DIR/<class>/**}, the layout of torchvision's
 * {@code ImageFolder} and Keras' {@code image_dataset_from_directory}.
 *
 * <p>Class names are the subfolder names, sorted, so class indices do not depend on the file system.
 * Like torchvision, a class folder is walked to any depth: {@code DIR/cat/2019/x.jpg} is a cat. Links
 * are followed, but a folder is read once, so a link loop ends. Images are ordered by class, then by
 * path inside the class folder. PNG, JPEG, BMP, GIF, TIFF and WebP files count (extension in any
 * case). Everything else is skipped and reported in {@link SkippedFiles} with its reason: hidden
 * entries (names starting with a dot, so {@code .DS_Store}, {@code ._x.jpg} and {@code .git} never
 * break a run), files of another format, images outside any class folder, and entries that are not
 * regular files. A damaged, truncated or mislabelled file (an image extension, but not an image the
 * decoder can read) is skipped as unreadable with the decoder's reason, and the others are read; only
 * a class folder left with no readable image stops the read, naming the folder.
 */
public final class ImageFolderSource {
    /** File extensions read as images, lower case, in the order messages list them. */
    public static final List<String> EXTENSIONS_IN_ORDER = List.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp", "jfif",
            "jpe", "jif");

    /** File extensions read as images, lower case. */
    public static final Set<String> EXTENSIONS = Set.copyOf(EXTENSIONS_IN_ORDER);

    /** The formats read, for messages and help. */
    public static final String FORMATS = "PNG, JPEG, BMP, GIF, TIFF or WebP";

    private static final String LAYOUT = "DIR/<class>/*.png (or .jpg), e.g. DIR/cat/001.png and DIR/dog/002.jpg";

    private ImageFolderSource() {}

    /**
     * The images a source read, what it left out, and what bringing them to one format changed.
     *
     * @param conformed the images resized or converted between colour and grey; {@link Conformed#NONE} for sources
     *     that do not count them
     * @param warnings what the user should hear about the data that does not stop the run (each naming the data and the
     *     fix), for the console and the record; empty when nothing
     */
    public record Read(ImageSet images, SkippedFiles skipped, Conformed conformed, List<String> warnings) {
        /** Checks that every report is present. */
        public Read {
            java.util.Objects.requireNonNull(skipped);
            java.util.Objects.requireNonNull(conformed);
            warnings = List.copyOf(warnings);
        }

        /** Images with what was left out and what conforming changed, without warnings. */
        public Read(ImageSet images, SkippedFiles skipped, Conformed conformed) {
            this(images, skipped, conformed, List.of());
        }

        /** Images with what was left out, nothing counted as conformed. */
        public Read(ImageSet images, SkippedFiles skipped) {
            this(images, skipped, Conformed.NONE);
        }

        /** What a source that skips no file (a manifest or annotation file names each image) loaded. */
        public static Read unskipped(ImageFileLoader.Readable loaded) {
            return new Read(loaded.images(), SkippedFiles.NONE, loaded.conformed());
        }
    }

    /**
     * Reads {@code dir}; what is skipped is dropped, see {@link #read} to report it.
     *
     * @param format the format to conform images to, or null to infer it from the images
     */
    public static ImageSet load(Path dir, ImageFormat format) {
        return read(dir, format, null).images();
    }

    /** Reads {@code dir} with the class names of another set; see {@link #read}. */
    public static ImageSet load(Path dir, ImageFormat format, List<String> knownClasses) {
        return read(dir, format, knownClasses).images();
    }

    /**
     * Reads {@code dir}, counting what it skips.
     *
     * @param format the format to conform images to, or null to infer it from the images
     * @param knownClasses class names the labels index into (a test set conformed to its training
     *     set); every class folder must be one of them. Null: the sorted subfolder names, at least two
     */
    public static Read read(Path dir, ImageFormat format, List<String> knownClasses) {
        return read(dir, format, knownClasses, 2);
    }

    /**
     * Reads {@code dir} with its class folders' own names, one class folder enough: data to evaluate a trained model on,
     * whose classes the folders are then matched to by name.
     */
    public static Read readForEvaluation(Path dir, ImageFormat format) {
        return read(dir, format, null, 1);
    }

    private static Read read(Path dir, ImageFormat format, List<String> knownClasses, int minClasses) {
        SkippedFiles.Builder skipped = new SkippedFiles.Builder();
        List<Path> classDirs = classFolders(dir, skipped);
        List<String> names = classDirs.stream().map(ImageFolderSource::className).toList();
        if (knownClasses == null && names.size() < minClasses) {
            throw HoneException.of("image folder has only 1 class (" + names.get(0)
                    + "), a classifier needs at least 2", dir, oneClassFix(classDirs.get(0)));
        }
        if (knownClasses == null) {
            refuseSplitAmongClasses(dir, classDirs, names);
        }
        List<String> classNames = knownClasses != null ? knownClasses : names;
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Map<Path, Path> seen = new HashMap<>();
        for (Path classDir : classDirs) {
            String name = className(classDir);
            int label = classNames.indexOf(name);
            if (label < 0) {
                throw HoneException.of("class folder '" + name + "' is not one of the training classes "
                        + classNames, classDir, "remove or rename the folder so that it names a training class");
            }
            List<Path> images = imagesIn(classDir, seen, skipped);
            if (images.isEmpty()) {
                throw HoneException.of("class folder has no images (" + FORMATS + ")", classDir,
                        "add images to it, or remove the folder");
            }
            files.addAll(images);
            images.forEach(f -> labels.add(label));
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        ImageFileLoader.Readable readable = ImageFileLoader.loadReadable(files, labelArray, classNames, format,
                unreadable -> refuseEmptyClasses(unreadable, labelArray, classDirs, classNames));
        readable.unreadable().forEach(u -> skipped.add(u.file(), Reason.UNREADABLE, u.reason()));
        return new Read(readable.images(), skipped.build(), readable.conformed());
    }

    /**
     * Refuses a class folder named as a split ({@code test/}, {@code val/}, ...) that holds folders named as the other
     * classes: a test split put beside the class folders, which would train as one more class (its images of every class
     * labelled 'test').
     */
    private static void refuseSplitAmongClasses(Path dir, List<Path> classDirs, List<String> names) {
        for (Path classDir : classDirs) {
            if (!SplitFolders.isTestName(classDir)) {
                continue;
            }
            List<String> inside = sorted(classDir).stream().filter(p -> Files.isDirectory(p) && !isHidden(p))
                    .map(ImageFolderSource::className).filter(n -> names.contains(n) && !n.equals(className(classDir))).toList();
            if (!inside.isEmpty()) {
                String split = classDir.getFileName().toString();
                throw HoneException.of("class folder '" + split + "' holds folders named as the other classes (" + String.join(", ",
                        inside) + "): a split among the class folders, which would train as one more class", classDir,
                        "move the class folders into " + dir.resolve("train") + " (then " + dir.resolve("train/<class>") + " and "
                        + dir.resolve(split + "/<class>") + " are read as the training and test sets), or move '" + split
                        + "' out of " + dir + " and pass it as --test");
            }
        }
    }

    /** Refuses when every image of a class folder is unreadable: the class would vanish from the data. */
    private static void refuseEmptyClasses(List<ImageFileLoader.Unreadable> unreadable, int[] labels,
            List<Path> classDirs, List<String> classNames) {
        int[] found = new int[classNames.size()];
        for (int label : labels) {
            found[label]++;
        }
        int[] lost = new int[classNames.size()];
        Map<Integer, ImageFileLoader.Unreadable> example = new HashMap<>();
        for (ImageFileLoader.Unreadable u : unreadable) {
            int label = labels[u.index()];
            lost[label]++;
            example.putIfAbsent(label, u);
        }
        for (Path classDir : classDirs) {
            int label = classNames.indexOf(className(classDir));
            if (found[label] > 0 && lost[label] == found[label]) {
                ImageFileLoader.Unreadable e = example.get(label);
                String all = found[label] == 1 ? "its only image is" : "all " + found[label] + " of its images are";
                throw HoneException.of("class folder has no readable image: " + all + " unreadable, e.g. "
                        + e.file() + " (" + e.reason() + ")", classDir,
                        "re-export or replace the damaged images, or remove the folder");
            }
        }
    }

    /** Whether {@code file} is a visible file with an image extension. */
    public static boolean isImageFile(Path file) {
        return !isHidden(file) && hasImageExtension(file) && Files.isRegularFile(file);
    }

    /** {@code rel} with '/' separators and without the file's extension, e.g. "city/a" for city/a.png: how images pair with masks or labels. */
    public static String relativeStem(Path rel) {
        StringBuilder b = new StringBuilder();
        for (Path part : rel) {
            b.append(b.isEmpty() ? "" : "/").append(part);
        }
        String s = b.toString();
        int dot = s.lastIndexOf('.');
        return dot > s.lastIndexOf('/') + 1 ? s.substring(0, dot) : s;
    }

    /**
     * A class folder's name as its class's: in Unicode's composed form (NFC), so that a folder copied from a Mac, whose file
     * system decomposes accents (NFD: 'e' and a combining accent), names the same class as one typed elsewhere.
     */
    public static String className(Path classDir) {
        return composed(classDir.getFileName().toString());
    }

    /** A class name in Unicode's composed form (NFC), as class folders, CSV labels and label sets are read. */
    public static String composed(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC);
    }

    /** Whether a file or folder is hidden (its name starts with a dot). */
    public static boolean isHidden(Path entry) {
        return entry.getFileName().toString().startsWith(".");
    }

    /** Whether {@code file}'s extension is one hone reads as an image ({@link #EXTENSIONS}, in any case). */
    public static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The visible subfolders of {@code dir}, sorted by name; errors when there are none. Every other
     * entry of {@code dir} goes to {@code skipped}.
     */
    static List<Path> classFolders(Path dir, SkippedFiles.Builder skipped) {
        if (!Files.exists(dir)) {
            throw HoneException.of("image folder does not exist", dir, "check the path");
        }
        if (!Files.isDirectory(dir)) {
            throw HoneException.of("expected a folder of class subfolders but this is a file", dir,
                    "point to a folder laid out as " + LAYOUT);
        }
        List<Path> dirs = new ArrayList<>();
        for (Path entry : sorted(dir)) {
            if (!isHidden(entry) && Files.isDirectory(entry)) {
                dirs.add(entry);
            } else {
                skip(entry, Reason.OUTSIDE_CLASS_FOLDER, skipped);
            }
        }
        if (dirs.isEmpty()) {
            long loose = list(dir).filter(ImageFolderSource::isImageFile).count();
            String found = loose > 0 ? " (it holds " + loose + " images directly, not sorted into classes)" : "";
            throw HoneException.of("image folder has no class subfolders" + found, dir,
                    "put the images of each class in a subfolder named after the class, as " + LAYOUT + ", or list each image"
                            + " with its class in a CSV (header path,label; path,labels for several classes per image)");
        }
        return dirs;
    }

    /**
     * Counts {@code entry} as skipped: hidden, not a regular file, of another format, or else an image
     * skipped for {@code imageReason}.
     */
    static void skip(Path entry, Reason imageReason, SkippedFiles.Builder skipped) {
        Reason reason;
        if (isHidden(entry)) {
            reason = Reason.HIDDEN;
        } else if (!Files.isRegularFile(entry)) {
            reason = Files.isDirectory(entry) ? Reason.UNUSED_FOLDER : Reason.NOT_A_REGULAR_FILE;
        } else if (!hasImageExtension(entry)) {
            reason = Reason.UNSUPPORTED_FORMAT;
        } else {
            reason = imageReason;
        }
        skipped.add(entry, reason);
    }

    /**
     * The image files under {@code dir}, at any depth, sorted by relative name; hidden entries, links
     * back up the tree and other files go to {@code skipped} with their reason.
     */
    public static List<Path> imageFiles(Path dir, SkippedFiles.Builder skipped) {
        return imagesIn(dir, new HashMap<>(), skipped);
    }

    /**
     * The images under {@code classDir} at any depth, sorted by their path relative to it. {@code seen} maps the real path
     * of each folder already walked to the path it was first reached by: a link back to one of this class's folders is
     * skipped, not followed, and one to another class's folder is refused, as its images would get two labels.
     *
     * @throws HoneException for a folder reached from two class folders
     */
    private static List<Path> imagesIn(Path classDir, Map<Path, Path> seen, SkippedFiles.Builder skipped) {
        List<Path> images = new ArrayList<>();
        walk(classDir, classDir, seen, images, skipped);
        images.sort(Comparator.comparing(p -> relativeName(classDir, p)));
        return images;
    }

    private static void walk(Path classDir, Path dir, Map<Path, Path> seen, List<Path> images, SkippedFiles.Builder skipped) {
        Path real = realPath(dir);
        Path first = seen.putIfAbsent(real, dir);
        Path owner = first == null ? null : classOf(first, seen);
        if (owner != null && !owner.equals(classDir)) {
            throw HoneException.of("the folder " + real + " is reached from two class folders, as " + first + " (class "
                    + owner.getFileName() + ") and as " + dir + " (class " + classDir.getFileName() + "): its images would have two"
                    + " labels", real, "remove the link, or keep the folder in one class");
        }
        if (owner != null) {
            skipped.add(dir, Reason.NOT_A_REGULAR_FILE);
            return;
        }
        for (Path entry : sorted(dir)) {
            if (isHidden(entry)) {
                skipped.add(entry, Reason.HIDDEN);
            } else if (Files.isDirectory(entry)) {
                walk(classDir, entry, seen, images, skipped);
            } else if (Files.isRegularFile(entry) && hasImageExtension(entry)) {
                images.add(entry);
            } else {
                skip(entry, Reason.NOT_A_REGULAR_FILE, skipped);
            }
        }
    }

    /** The class folder among {@code seen}'s first paths that {@code path} lies in (as reached, links unresolved). */
    private static Path classOf(Path path, Map<Path, Path> seen) {
        Path best = null;
        for (Path reached : seen.values()) {
            if (path.startsWith(reached) && (best == null || reached.getNameCount() < best.getNameCount())) {
                best = reached;
            }
        }
        return best;
    }

    /** {@code file} relative to {@code root} with '/' separators, so the order is the same on every system. */
    private static String relativeName(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder b = new StringBuilder();
        for (Path part : rel) {
            b.append(b.isEmpty() ? "" : "/").append(part);
        }
        return b.toString();
    }

    private static String oneClassFix(Path only) {
        boolean nested = list(only).anyMatch(p -> !isHidden(p) && Files.isDirectory(p));
        return (nested ? "if the classes are the subfolders of " + only + ", point --data there; else " : "")
                + "add one subfolder per class, as " + LAYOUT;
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new HoneException("cannot resolve folder (" + e + "): " + dir
                    + ". Fix: check that the folder and the links leading to it exist and are readable", e);
        }
    }

    /** The entries of {@code dir}, sorted by name. */
    public static List<Path> sorted(Path dir) {
        return list(dir).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
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
