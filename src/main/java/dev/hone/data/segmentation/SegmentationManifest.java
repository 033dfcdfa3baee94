package dev.hone.data.segmentation;

import dev.hone.core.HoneException;
import dev.hone.data.CsvRows;
import dev.hone.data.MissingFiles;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a CSV manifest of image and mask pairs: a header {@code image,mask}, then one
 * {@code image path,mask path} row per image. Paths are relative to the CSV's folder, so the manifest
 * moves with its files; pairs keep the row order.
 *
 * <p>The header is what tells such a manifest from a classification one ({@code path,label}): two
 * columns, the second named {@code mask} (or {@code masks}, {@code mask_path}, {@code mask_file},
 * {@code segmentation}; any case, '-' or ' ' for '_'). An image listed twice with the same mask is read
 * once, with a warning; with two masks the manifest is refused.
 */
final class SegmentationManifest {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    static final String FORMAT = "write a header line image,mask and then one line per image as"
            + " images/a.jpg,masks/a.png (paths relative to the CSV's folder)";

    /** Names of the mask column, normalised as {@link #columnName} does. */
    static final Set<String> MASK_COLUMNS = Set.of("mask", "masks", "mask_path", "mask_file", "maskpath",
            "segmentation", "segmentation_mask");

    private SegmentationManifest() {}

    /** Whether {@code csv}'s first row is a header of two columns whose second names masks. */
    static boolean isSegmentationManifest(Path csv) {
        List<CsvRows.Row> rows = CsvRows.parse(CsvRows.read(csv), csv);
        if (rows.isEmpty() || rows.get(0).fields().size() != 2) {
            return false;
        }
        List<String> header = rows.get(0).fields();
        return MASK_COLUMNS.contains(columnName(header.get(1))) && !exists(csv, header.get(0));
    }

    /**
     * The image and mask pairs of {@code csv}, in row order.
     *
     * @throws HoneException naming the CSV and its line when the header is missing, a row does not hold
     *     two paths, a file is missing, or an image is listed with two masks
     */
    static List<MaskPairs.Pair> read(Path csv) {
        List<CsvRows.Row> rows = CsvRows.parse(CsvRows.read(csv), csv);
        if (rows.isEmpty() || !isSegmentationManifest(csv)) {
            throw HoneException.of("CSV is not a segmentation manifest (its first line must be the header image,mask)",
                    csv, FORMAT);
        }
        Path base = csv.toAbsolutePath().getParent();
        List<MaskPairs.Pair> pairs = new ArrayList<>();
        Map<Path, Integer> listed = new HashMap<>();
        MissingFiles missingImages = new MissingFiles(csv, "image");
        MissingFiles missingMasks = new MissingFiles(csv, "mask");
        for (CsvRows.Row row : rows.subList(1, rows.size())) {
            String where = csv + ", line " + row.line();
            if (row.fields().size() != 2) {
                throw HoneException.of("CSV row has " + row.fields().size() + " fields, expected 2 (image,mask)", where,
                        "quote fields that contain commas, and " + FORMAT);
            }
            String imagePath = row.fields().get(0);
            String maskPath = row.fields().get(1);
            if (imagePath.isEmpty() || maskPath.isEmpty()) {
                throw HoneException.of("CSV row has an empty " + (imagePath.isEmpty() ? "image" : "mask") + " path", where,
                        "give both the image and its mask, or remove the line");
            }
            Path image = file(base, imagePath, where);
            Path mask = file(base, maskPath, where);
            boolean imageFound = Files.isRegularFile(image);
            boolean maskFound = Files.isRegularFile(mask);
            if (!imageFound) {
                missingImages.add(row.line(), imagePath, image, "; its mask is " + mask);
            }
            if (!maskFound) {
                missingMasks.add(row.line(), maskPath, mask, "; its image is " + image);
            }
            if (!imageFound || !maskFound) {
                continue;
            }
            Integer earlier = listed.putIfAbsent(CsvRows.identity(image), pairs.size());
            if (earlier != null) {
                MaskPairs.Pair first = pairs.get(earlier);
                if (!CsvRows.identity(first.mask()).equals(CsvRows.identity(mask))) {
                    throw HoneException.of("CSV lists the image " + imagePath + " with two masks: " + first.mask()
                            + " on line " + first.line() + " and " + mask + " on line " + row.line(), csv,
                            "keep the one line with the right mask and delete the other");
                }
                LOG.warn("{}: the image {} is listed twice with the mask {} (lines {} and {}); it is used once and line {}"
                        + " is ignored", csv, imagePath, maskPath, first.line(), row.line(), row.line());
                continue;
            }
            pairs.add(new MaskPairs.Pair(image, mask, row.line()));
        }
        missingImages.throwIfAny();
        missingMasks.throwIfAny("add the mask", "");
        if (pairs.isEmpty()) {
            throw HoneException.of("CSV manifest lists no images", csv, FORMAT);
        }
        return pairs;
    }

    private static Path file(Path base, String path, String where) {
        try {
            return base.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw HoneException.of("CSV row holds an invalid path " + path, where, FORMAT);
        }
    }

    private static boolean exists(Path csv, String cell) {
        try {
            return !cell.isEmpty() && Files.isRegularFile(csv.toAbsolutePath().getParent().resolve(cell));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Lower case with spaces and '-' as '_': "Mask Path" and "mask-path" are "mask_path". */
    private static String columnName(String cell) {
        return cell.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }
}
