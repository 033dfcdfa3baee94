package dev.hone.data;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Decodes a list of labelled image files into one {@link ImageSet}, in parallel.
 *
 * <p>Each image is written at its own offset, so the order of the set is the order of the list no
 * matter which thread decodes what. Before anything is allocated the set and its decodes are checked
 * against the heap ({@link MemoryBudget}): too large a set is refused with the figures, and when the
 * heap holds fewer decodes than there are cores, fewer run at once.
 *
 * <p>Two ways to meet a damaged image. {@link #load} is strict, for explicit lists such as a CSV
 * manifest: the first damaged file in list order stops the load, so the same list always gives the
 * same error. {@link #loadReadable} is for folders, where one bad download among thousands should
 * not stop a run: it leaves out what cannot be decoded, names each file with the decoder's reason,
 * and closes up the gaps in list order. Running out of memory is never a damaged image: it stops
 * either way.
 */
public final class ImageFileLoader {

    private ImageFileLoader() {}

    /** A file left out by {@link #loadReadable}, with the decoder's reason, e.g. "image is corrupt or truncated (...)". */
    public record Unreadable(int index, Path file, String reason) {}

    /**
     * The images that could be decoded, in list order, the files that could not, in list order, and what conforming the
     * decoded ones to the set's format changed.
     */
    public record Readable(ImageSet images, List<Unreadable> unreadable, Conformed conformed) {}

    /**
     * @param format the target format, or null to infer it from the files' headers
     * @throws HoneException when the set does not fit in one array or in the heap, or an image cannot
     *     be decoded (the first such file in list order)
     */
    public static ImageSet load(List<Path> files, int[] labels, List<String> classNames, ImageFormat format) {
        return loadAll(files, labels, classNames, format).images();
    }

    /**
     * {@link #load}, with what conforming the images to the format changed; none is left out.
     *
     * @throws HoneException as {@link #load}
     */
    public static Readable loadAll(List<Path> files, int[] labels, List<String> classNames, ImageFormat format) {
        return loadAll(files, labels, classNames, format, null);
    }

    /**
     * {@link #loadAll(List, int[], List, ImageFormat)} for files a manifest lists: a file that cannot be read is named with
     * where it is listed, and the fix is to re-export it or remove that line (not to remove it from a folder).
     *
     * @param listedAt where file {@code i} is listed, e.g. {@code "train.csv, line 4"}; null for files found in a folder
     */
    public static Readable loadAll(List<Path> files, int[] labels, List<String> classNames, ImageFormat format,
            java.util.function.IntFunction<String> listedAt) {
        HoneException[] failures = new HoneException[files.size()];
        ImageFormat target = format;
        if (target == null) {
            List<ImageDecoder.Header> readable = readableHeaders(files, failures);
            if (readable.isEmpty()) {
                throwFailures(files, failures, listedAt);
            }
            target = FormatInference.fromHeaders(readable); // the others are decoded, so one error names every failure
        }
        ImageDecoder.Header[] decoded = new ImageDecoder.Header[files.size()];
        byte[] pixels = decodeAll(files, target, failures, decoded);
        throwFailures(files, failures, listedAt);
        Path[] sources = files.toArray(Path[]::new);
        return new Readable(new ImageSet(pixels, labels, target.channels(), target.height(), target.width(), classNames,
                i -> sources[i].toString()), List.of(), Conformed.of(files, decoded, target));
    }

    /** The headers that could be read, in file order; a file's failure goes to {@code failures} at its index. */
    private static List<ImageDecoder.Header> readableHeaders(List<Path> files, HoneException[] failures) {
        ImageDecoder.Header[] headers = new ImageDecoder.Header[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                headers[i] = ImageDecoder.probe(files.get(i));
            } catch (HoneException e) {
                failures[i] = e;
            }
        });
        return Arrays.stream(headers).filter(h -> h != null).toList();
    }

    /**
     * Throws the first file's failure, naming the others that failed too (up to {@link SkippedFiles#EXAMPLES}, then a
     * count), so that one run lists what to mend.
     */
    private static void throwFailures(List<Path> files, HoneException[] failures,
            java.util.function.IntFunction<String> listedAt) {
        rethrowOutOfMemory(failures);
        HoneException first = null;
        List<String> others = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < failures.length; i++) {
            if (failures[i] == null) {
                continue;
            }
            if (first == null) {
                first = listedAt == null ? failures[i] : listed(failures[i], listedAt.apply(i));
            } else if (others.size() < SkippedFiles.EXAMPLES) {
                others.add(files.get(i) + (listedAt == null ? "" : " (" + listedAt.apply(i) + ")"));
            }
            count++;
        }
        if (first == null) {
            return;
        }
        if (count == 1) {
            throw first;
        }
        int unnamed = count - 1 - others.size();
        throw new HoneException(first.getMessage() + ". " + (count - 1) + " more of the " + failures.length
                + " files cannot be read either: " + String.join(", ", others) + (unnamed > 0 ? " and " + unnamed + " more" : ""),
                first);
    }

    /**
     * A listed file's failure: where it is listed named before the fix, and a folder's fix (remove the file) made a
     * manifest's (remove the line).
     */
    public static HoneException listed(HoneException failure, String where) {
        String m = failure.getMessage();
        int fix = m.indexOf(". Fix: ");
        String named = fix < 0 ? m + " (listed at " + where + ")" : m.substring(0, fix) + " (listed at " + where + ")"
                + m.substring(fix).replace(ImageDecoder.FIX_CORRUPT, "re-export the image, or remove the line that lists it");
        return new HoneException(named, failure);
    }

    /**
     * Decodes what can be decoded and leaves out the rest.
     *
     * <p>With no format, headers are read first and a file whose header cannot be read is left out
     * before the format is inferred from the others. When images are left out, the readable ones are
     * moved down over the gaps and the array is copied once to its final length.
     *
     * @param format the target format, or null to infer it from the readable files' headers
     * @param refuse called once with every file left out, in list order, before the set is assembled
     *     (also when none could be read); it may throw to refuse the load, e.g. when a class has no
     *     readable image left
     * @throws HoneException when the set does not fit in one array or in the heap, or the heap runs
     *     out while decoding; when no file at all is readable and {@code refuse} did not throw
     */
    public static Readable loadReadable(List<Path> files, int[] labels, List<String> classNames, ImageFormat format,
            Consumer<List<Unreadable>> refuse) {
        int n = files.size();
        if (n == 0) {
            throw new IllegalArgumentException("no files to load");
        }
        HoneException[] failures = new HoneException[n];
        ImageFormat target = format;
        if (target == null) {
            List<ImageDecoder.Header> readable = readableHeaders(files, failures);
            rethrowOutOfMemory(failures);
            if (readable.isEmpty()) {
                List<Unreadable> unreadable = unreadable(files, failures);
                refuse.accept(unreadable);
                throw nothingReadable(unreadable);
            }
            target = FormatInference.fromHeaders(readable);
        }
        List<Integer> candidates = IntStream.range(0, n).filter(i -> failures[i] == null).boxed().toList();
        HoneException[] decodeFailures = new HoneException[candidates.size()];
        List<Path> candidateFiles = candidates.stream().map(files::get).toList();
        ImageDecoder.Header[] decoded = new ImageDecoder.Header[candidates.size()];
        byte[] pixels = decodeAll(candidateFiles, target, decodeFailures, decoded);
        rethrowOutOfMemory(decodeFailures);
        for (int k = 0; k < candidates.size(); k++) {
            failures[candidates.get(k)] = decodeFailures[k];
        }
        List<Unreadable> unreadable = unreadable(files, failures);
        refuse.accept(unreadable);
        if (unreadable.size() == n) {
            throw nothingReadable(unreadable);
        }
        int bytes = target.imageBytes();
        int kept = 0;
        List<Path> keptFiles = new ArrayList<>();
        int[] keptLabels = new int[candidates.size()];
        for (int k = 0; k < candidates.size(); k++) {
            int i = candidates.get(k);
            if (failures[i] != null) {
                continue;
            }
            if (kept != k) {
                System.arraycopy(pixels, k * bytes, pixels, kept * bytes, bytes);
            }
            keptFiles.add(files.get(i));
            keptLabels[kept++] = labels[i];
        }
        byte[] compact = kept == candidates.size() ? pixels : Arrays.copyOf(pixels, kept * bytes);
        Path[] sources = keptFiles.toArray(Path[]::new);
        ImageSet set = new ImageSet(compact, Arrays.copyOf(keptLabels, kept), target.channels(), target.height(),
                target.width(), classNames, i -> sources[i].toString());
        return new Readable(set, unreadable, Conformed.of(candidateFiles, decoded, target));
    }

    /**
     * Decodes {@code files} into one new array at {@code target}; a file that fails gets its error in {@code failures}, one
     * decoded its size and mode before conforming in {@code decoded}.
     */
    private static byte[] decodeAll(List<Path> files, ImageFormat target, HoneException[] failures,
            ImageDecoder.Header[] decoded) {
        int bytes = target.imageBytes();
        long total = MemoryBudget.residentBytes(files.size(), target);
        Path where = files.isEmpty() ? null : files.get(0).getParent();
        if (total > Integer.MAX_VALUE - 16) {
            throw HoneException.of("the " + files.size() + " images need " + (total >> 20)
                    + " MiB at " + target + ", more than one array can hold",
                    where, "ask for a smaller image size or use fewer images");
        }
        int threads = decodeThreads(files.size(), target, where);
        byte[] pixels = new byte[(int) total];
        Runnable decode = () -> IntStream.range(0, files.size()).parallel().forEach(i -> {
            if (failures[i] != null) {
                return; // its header could not be read
            }
            try {
                decoded[i] = ImageDecoder.decodeInto(files.get(i), target, pixels, i * bytes);
            } catch (HoneException e) {
                failures[i] = e;
            }
        });
        runWith(threads, decode);
        return pixels;
    }

    private static List<Unreadable> unreadable(List<Path> files, HoneException[] failures) {
        List<Unreadable> out = new ArrayList<>();
        for (int i = 0; i < failures.length; i++) {
            if (failures[i] != null) {
                out.add(new Unreadable(i, files.get(i), reason(failures[i], files.get(i))));
            }
        }
        return out;
    }

    private static HoneException nothingReadable(List<Unreadable> unreadable) {
        Unreadable first = unreadable.get(0);
        String which = unreadable.size() == 1 ? "the one image could not be read: " : "none of the " + unreadable.size()
                + " images could be read, e.g. ";
        return HoneException.of(which + first.file()
                + " (" + first.reason() + ")", first.file().getParent(), "re-export or replace the damaged images");
    }

    /**
     * The decoder's problem without the file and the fix: its messages read {@code problem: file. Fix: ...},
     * and the skipped-file report names the file itself.
     */
    static String reason(HoneException e, Path file) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(": " + file);
        return at > 0 ? message.substring(0, at) : message;
    }

    /** Memory, unlike a damaged file, is not the file's fault: leaving the image out would hide it. */
    private static void rethrowOutOfMemory(HoneException[] failures) {
        for (HoneException f : failures) {
            if (f != null && String.valueOf(f.getMessage()).startsWith(OUT_OF_MEMORY)) {
                throw f;
            }
        }
    }

    /** How {@link ImageDecoder}'s out-of-memory message starts. */
    private static final String OUT_OF_MEMORY = "ran out of memory";

    /** Decodes that fit in the heap at once; collects garbage once before refusing. */
    private static int decodeThreads(int images, ImageFormat target, Path where) {
        Runtime rt = Runtime.getRuntime();
        if (!MemoryBudget.fits(images, target, freeHeap(rt))) {
            System.gc(); // garbage counts as used until collected; refuse only on what is really held
        }
        return MemoryBudget.decodeThreads(images, target, freeHeap(rt), rt.maxMemory(),
                rt.availableProcessors(), where);
    }

    private static long freeHeap(Runtime rt) {
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Runs a parallel stream on the common pool, or on a pool of {@code threads} when that is smaller. */
    private static void runWith(int threads, Runnable parallelWork) {
        if (threads > ForkJoinPool.getCommonPoolParallelism()) {
            parallelWork.run();
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(parallelWork).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }
}
