package dev.hone.data.unlabeled;

import dev.hone.core.HoneException;
import dev.hone.data.DuplicateImages;
import dev.hone.data.DuplicateImages.Digest;
import dev.hone.data.DuplicateImages.Match;
import dev.hone.data.ImageFileLoader;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.SkippedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads the unlabeled images of semi-supervised training ({@code --unlabeled PATH}) into an
 * {@link UnlabeledSet} of shape {@code (N, C, H, W)}, uint8, for FixMatch (Sohn et al. 2020,
 * arXiv:2001.07685) and Noisy Student (Xie et al. 2020, arXiv:1911.04252).
 *
 * <p>{@code PATH} is a folder searched to any depth, in any layout, or a {@code .csv} of image paths
 * (see {@link UnlabeledFiles}). Images are decoded in parallel within the heap ({@link ImageFileLoader},
 * {@link dev.hone.data.MemoryBudget}) and conformed to the labelled data's format exactly as labelled
 * images are: EXIF orientation, sRGB, grey or colour, resize. As with labelled data, a damaged file in a
 * folder is skipped and reported while one named in a CSV stops the read. How many were resized or
 * converted between colour and grey is reported too ({@link UnlabeledSet#conformed()}).
 *
 * <p>An unlabeled image whose decoded pixels equal a labelled or test image's is left out and
 * reported: training on a test image without its label still leaks it into the model, and one from the
 * labelled set adds nothing. Repeats within the unlabeled images are left out too, keeping the first.
 * Both comparisons use {@link DuplicateImages}: a 128-bit SHA-256 key confirmed byte by byte.
 */
public final class UnlabeledImages {
    /**
     * The single class of the {@link ImageSet} the images pass through on their way to an
     * {@link UnlabeledSet}: the decoder and {@link DuplicateImages} take an ImageSet. It never leaves
     * this class.
     */
    private static final List<String> NO_CLASS = List.of("unlabeled");

    private UnlabeledImages() {}

    /**
     * Reads {@code path} conformed to {@code format}, without the images that copy one of {@code labeled}.
     *
     * @param path a folder of images (searched recursively) or a {@code .csv} of image paths
     * @param format the labelled data's format; every one of {@code labeled} must have it
     * @param labeled the labelled sets (training, validation, test) whose images are left out of the
     *     unlabeled set; may be empty
     * @throws HoneException when the path is missing or neither a folder nor a CSV; the folder holds no
     *     image or none readable; a CSV lists no image or names a missing or damaged file; the images do
     *     not fit in the Java heap (naming the count, the bytes needed and the fix); or every image copies a
     *     labelled or test image
     * @throws IllegalArgumentException when a labelled set is not in {@code format}
     */
    public static UnlabeledSet read(Path path, ImageFormat format, List<ImageSet> labeled) {
        return read(path, format, labeled, null);
    }

    /**
     * As {@link #read(Path, ImageFormat, List)}, with the test set apart, so that the copies of test images are named as
     * such ({@link UnlabeledSet#copiesOfTest()}).
     *
     * @param test the test set, or null
     */
    public static UnlabeledSet read(Path path, ImageFormat format, List<ImageSet> labeled, ImageSet test) {
        if (test != null) {
            labeled = new ArrayList<>(labeled);
            labeled.add(test);
        }
        Objects.requireNonNull(format, "format");
        for (ImageSet set : labeled) {
            if (!ImageFormat.of(set).equals(format)) {
                throw new IllegalArgumentException("labelled images of " + ImageFormat.of(set) + " cannot be compared with " + format);
            }
        }
        SkippedFiles.Builder skipped = new SkippedFiles.Builder();
        ImageFileLoader.Readable read = decode(path, format, skipped);
        ImageSet decoded = read.images();
        Digest[] digests = DuplicateImages.digests(decoded);
        UnlabeledSet.Copy[] copyOf = new UnlabeledSet.Copy[decoded.size()];
        List<Match> dropped = new ArrayList<>();
        for (ImageSet set : labeled) {
            for (Match m : DuplicateImages.across(set, DuplicateImages.digests(set), decoded, digests)) {
                if (copyOf[m.index()] == null) {
                    copyOf[m.index()] = new UnlabeledSet.Copy(decoded.source(m.index()), set.source(m.original()), set == test);
                    dropped.add(m);
                }
            }
        }
        List<UnlabeledSet.Copy> copies = Arrays.stream(copyOf).filter(Objects::nonNull).toList();
        List<UnlabeledSet.Copy> repeats = new ArrayList<>();
        for (Match m : DuplicateImages.within(decoded, digests)) {
            if (copyOf[m.index()] == null) { // a repeat of a labelled image's copy is reported as that copy
                dropped.add(m);
                repeats.add(new UnlabeledSet.Copy(decoded.source(m.index()), decoded.source(m.original()), false));
            }
        }
        if (copies.size() == decoded.size()) {
            throw HoneException.of("every one of the " + decoded.size() + " unlabeled images is identical to a labelled"
                    + " or test image, e.g. " + copies.get(0), path,
                    "point at images that are not part of the training or test data");
        }
        ImageSet kept = dropped.isEmpty() ? decoded : decoded.subset(DuplicateImages.without(decoded.size(), dropped));
        return new UnlabeledSet(path, format, kept.pixels(), kept.size(), kept::source, copies, repeats, skipped.build(),
                read.conformed());
    }

    /** Lists and decodes the images of {@code path}; a folder's skipped and unreadable files go to {@code skipped}. */
    private static ImageFileLoader.Readable decode(Path path, ImageFormat format, SkippedFiles.Builder skipped) {
        if (!Files.exists(path)) {
            throw HoneException.of("unlabeled images not found", path,
                    "check the path: it should be a folder of images or a .csv listing image paths");
        }
        if (Files.isDirectory(path)) {
            List<Path> files = UnlabeledFiles.inFolder(path, skipped);
            ImageFileLoader.Readable read = ImageFileLoader.loadReadable(files, new int[files.size()], NO_CLASS, format,
                    unreadable -> { });
            read.unreadable().forEach(u -> skipped.add(u.file(), SkippedFiles.Reason.UNREADABLE, u.reason()));
            return read;
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            UnlabeledFiles.Listed listed = UnlabeledFiles.inCsv(path);
            return ImageFileLoader.loadAll(listed.files(), new int[listed.files().size()], NO_CLASS, format,
                    i -> path + ", line " + listed.lines().get(i));
        }
        throw HoneException.of("unlabeled images must be a folder of images or a .csv of image paths, not a single file",
                path, "point at the folder that holds the unlabeled images, or list them one per line in a .csv");
    }
}
