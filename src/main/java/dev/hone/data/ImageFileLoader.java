package dev.hone.data;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Decodes a list of labelled image files into one {@link ImageSet}, in parallel.
 *
 * <p>Each image is written at its own offset, so the order of the set is the order of the list no
 * matter which thread decodes what. When several images are damaged the first in list order is
 * reported, so the same folder always gives the same error. Before anything is allocated the set and
 * its decodes are checked against the heap ({@link MemoryBudget}): too large a set is refused with the
 * figures, and when the heap holds fewer decodes than there are cores, fewer run at once.
 */
public final class ImageFileLoader {

    private ImageFileLoader() {}

    /**
     * @param format the target format, or null to infer it from the files' headers
     * @throws HoneException when the set does not fit in one array or in the heap, or an image cannot
     *     be decoded (the first such file in list order)
     */
    public static ImageSet load(List<Path> files, int[] labels, List<String> classNames, ImageFormat format) {
        ImageFormat target = format != null ? format : FormatInference.infer(files);
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
        HoneException[] failures = new HoneException[files.size()];
        Runnable decodeAll = () -> IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                ImageDecoder.decodeInto(files.get(i), target, pixels, i * bytes);
            } catch (HoneException e) {
                failures[i] = e;
            }
        });
        runWith(threads, decodeAll);
        for (HoneException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        Path[] sources = files.toArray(Path[]::new);
        return new ImageSet(pixels, labels, target.channels(), target.height(), target.width(), classNames,
                i -> sources[i].toString());
    }

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
