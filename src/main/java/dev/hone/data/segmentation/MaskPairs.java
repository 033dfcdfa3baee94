package dev.hone.data.segmentation;

import dev.hone.core.HoneException;
import dev.hone.data.ImageFolderSource;
import dev.hone.data.SkippedFiles;
import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pairs the images of a segmentation folder, {@code DIR/images/}, with their masks in
 * {@code DIR/masks/}.
 *
 * <p>An image and its mask share their path below the two folders up to the extension, which may
 * differ: {@code images/2007_000032.jpg} goes with {@code masks/2007_000032.png}, and
 * {@code images/city/a.png} with {@code masks/city/a.png}. Subfolders are walked to any depth (links
 * followed, each folder once). Files with an image extension count ({@link ImageFolderSource#FORMATS});
 * hidden entries and other files are skipped and reported, as are entries of {@code DIR} other than
 * the two folders and the class-name file. Pairs are in path order.
 *
 * <p>Refused, naming the files: an image without a mask, a mask without an image, and two images (or
 * two masks) sharing a name up to the extension, whose pairing would be a guess.
 */
final class MaskPairs {
    /** The folder names, matched in any case. */
    static final String IMAGES = "images";
    static final String MASKS = "masks";

    private MaskPairs() {}

    /**
     * An image and its mask.
     *
     * @param line the manifest line that lists them, 1-based; 0 for a pair found in folders
     */
    record Pair(Path image, Path mask, int line) {
        /** A pair found in folders. */
        Pair(Path image, Path mask) {
            this(image, mask, 0);
        }
    }

    /** The pairs of a folder, in path order, and what was left out. */
    record Found(List<Pair> pairs, SkippedFiles skipped) {}

    /** Whether {@code dir} holds both an {@code images/} and a {@code masks/} folder. */
    static boolean isSegmentationFolder(Path dir) {
        return Files.isDirectory(dir) && child(dir, IMAGES) != null && child(dir, MASKS) != null;
    }

    /**
     * Pairs the images and masks of {@code dir}.
     *
     * @throws HoneException when a folder is missing or holds no image, an image lacks a mask or a mask
     *     an image, or two files of one folder share a name up to the extension
     */
    static Found inFolder(Path dir) {
        Path images = child(dir, IMAGES);
        Path masks = child(dir, MASKS);
        if (images == null || masks == null) {
            throw HoneException.of("segmentation folder needs both images/ and masks/", dir,
                    "put the images in " + dir.resolve(IMAGES) + " and each mask, under its image's name, in "
                            + dir.resolve(MASKS));
        }
        SkippedFiles.Builder skipped = new SkippedFiles.Builder();
        for (Path entry : ImageFolderSource.sorted(dir)) {
            if (entry.equals(images) || entry.equals(masks) || SegmentationClasses.isClassesFile(entry)) {
                continue;
            }
            skipped.add(entry, ImageFolderSource.isHidden(entry) ? Reason.HIDDEN : Reason.OUTSIDE_SEGMENTATION_FOLDERS);
        }
        Map<String, Path> imageByStem = byStem(images, skipped, "images");
        Map<String, Path> maskByStem = byStem(masks, skipped, "masks");
        if (imageByStem.isEmpty()) {
            throw HoneException.of("images folder holds no images (" + ImageFolderSource.FORMATS + ")", images,
                    "put the images there, and each mask under the same name in " + masks);
        }
        List<Pair> pairs = new ArrayList<>();
        List<Path> withoutMask = new ArrayList<>();
        for (Map.Entry<String, Path> e : imageByStem.entrySet()) {
            Path mask = maskByStem.get(e.getKey());
            if (mask == null) {
                withoutMask.add(e.getValue());
            } else {
                pairs.add(new Pair(e.getValue(), mask));
            }
        }
        if (!withoutMask.isEmpty()) {
            Path first = withoutMask.get(0);
            String stem = ImageFolderSource.relativeStem(images.relativize(first));
            throw HoneException.of(count(withoutMask.size(), "image") + " without a mask, e.g. " + first
                    + " has no " + masks.resolve(stem + ".png") + " (nor another image type of that name)", dir,
                    "add each image's mask to " + masks + " under the image's name (the extension may differ:"
                            + " a.jpg goes with a.png), or remove the image");
        }
        List<Path> withoutImage = maskByStem.entrySet().stream().filter(e -> !imageByStem.containsKey(e.getKey()))
                .map(Map.Entry::getValue).toList();
        if (!withoutImage.isEmpty()) {
            Path first = withoutImage.get(0);
            String stem = ImageFolderSource.relativeStem(masks.relativize(first));
            throw HoneException.of(count(withoutImage.size(), "mask") + " without an image, e.g. " + first
                    + " has no " + images.resolve(stem + ".*") + " image", dir,
                    "add the image to " + images + " under the mask's name (the extension may differ), or remove the mask");
        }
        return new Found(pairs, skipped.build());
    }

    /** The subfolder of {@code dir} called {@code name} in any case (the exact spelling first), or null. */
    static Path child(Path dir, String name) {
        Path exact = dir.resolve(name);
        if (Files.isDirectory(exact)) {
            return exact;
        }
        return ImageFolderSource.sorted(dir).stream().filter(p -> Files.isDirectory(p)
                && p.getFileName().toString().toLowerCase(Locale.ROOT).equals(name)).findFirst().orElse(null);
    }

    /** The image files under {@code root} keyed by relative path without extension, in key order. */
    private static Map<String, Path> byStem(Path root, SkippedFiles.Builder skipped, String what) {
        List<Path> files = ImageFolderSource.imageFiles(root, skipped);
        Map<String, Path> out = new TreeMap<>();
        for (Path f : files) {
            Path earlier = out.putIfAbsent(ImageFolderSource.relativeStem(root.relativize(f)), f);
            if (earlier != null) {
                throw HoneException.of("two " + what + " share a name up to the extension: " + earlier + " and " + f,
                        root, "keep one of them, or rename one, so that each image has exactly one mask");
            }
        }
        return out;
    }


    private static String count(int n, String noun) {
        return n == 1 ? "1 " + noun : n + " " + noun + "s";
    }
}
