package dev.hone.data.multilabel;

import dev.hone.data.CsvRows;
import dev.hone.data.ImageFileLoader;
import dev.hone.data.ImageFolderSource;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.SkippedFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a multi-label CSV manifest ({@link MultiLabelManifest}) into a multi-label {@link ImageSet}:
 * the images decoded and conformed as every source's are, the label sets as multi-hot rows.
 */
public final class MultiLabelSource {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private MultiLabelSource() {}

    /**
     * Whether {@code csv}'s header names a multi-label manifest: {@code path,labels}, or a path column
     * followed by two or more class columns (multi-hot). A {@code path,label} or headerless file is a
     * single-label manifest.
     */
    public static boolean isMultiLabel(Path csv) {
        List<String> header = header(csv);
        if (header.size() == 2) {
            return header.get(1).strip().toLowerCase(Locale.ROOT).equals("labels");
        }
        return isMultiHot(header, csv);
    }

    /**
     * The class columns of a multi-hot manifest's header, as read; empty for any other file. A multi-label model is
     * evaluated on every class it knows, and a class without a column is unannotated, not absent from every image.
     */
    public static List<String> multiHotColumns(Path csv) {
        List<String> header = header(csv);
        return !isMultiHot(header, csv) ? List.of() : header.subList(1, header.size()).stream().map(String::strip)
                .map(ImageFolderSource::composed).toList();
    }

    /** A path column followed by two or more class columns, the first not naming a file beside {@code csv}. */
    private static boolean isMultiHot(List<String> header, Path csv) {
        Path base = csv.toAbsolutePath().getParent();
        return header.size() >= 3 && !java.nio.file.Files.isRegularFile(base.resolve(header.get(0)));
    }

    /** The fields of {@code csv}'s first row; empty for an empty file. */
    private static List<String> header(Path csv) {
        List<CsvRows.Row> rows = CsvRows.namedColumns(CsvRows.parse(CsvRows.read(csv), csv), csv).rows();
        return rows.isEmpty() ? List.of() : rows.get(0).fields();
    }

    /**
     * Reads {@code csv}.
     *
     * @param format the format to conform images to, or null to infer it from the images
     * @param delimiter the label-set delimiter, or null to detect it
     * @param knownClasses the training classes (for a test manifest), or null
     * @throws dev.hone.core.HoneException as {@link MultiLabelManifest#load(Path, String, List)} and the image loader
     */
    public static ImageSet load(Path csv, ImageFormat format, String delimiter, List<String> knownClasses) {
        return read(csv, format, delimiter, knownClasses).images();
    }

    /**
     * {@link #load}, with what conforming the images to one format changed; a manifest skips no file.
     *
     * @throws dev.hone.core.HoneException as {@link #load}
     */
    public static ImageFolderSource.Read read(Path csv, ImageFormat format, String delimiter, List<String> knownClasses) {
        MultiLabelManifest m = MultiLabelManifest.load(csv, delimiter, knownClasses);
        LOG.info("{}: multi-label manifest, {} images, {} classes, {}", csv, m.size(), m.classNames().size(), m.format());
        ImageFileLoader.Readable read = ImageFileLoader.loadAll(m.files(), new int[m.size()], m.classNames(), format,
                i -> csv + ", line " + m.lines().get(i));
        int k = m.classNames().size();
        byte[] hot = new byte[m.size() * k];
        for (int i = 0; i < m.size(); i++) {
            for (int c = 0; c < k; c++) {
                hot[i * k + c] = (byte) (m.targets()[i][c] ? 1 : 0);
            }
        }
        // its warnings reach the console, the record's data.warnings and the run's summary with the data's others
        return new ImageFolderSource.Read(read.images().withMultiHot(hot), SkippedFiles.NONE, read.conformed(), m.warnings());
    }
}
