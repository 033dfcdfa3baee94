package dev.hone.data.multilabel;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The character that joins class names in a label-set cell ({@code cat;dog}), detected or given.
 *
 * <p>Detection looks for {@code ;}, {@code |} and {@code ,} (a comma can only be inside a quoted cell,
 * {@code "Bag,Pullover"}); a file whose cells use two of them is refused, since either may be part of a class name.
 * Without any of them it looks for a space. Class names may hold spaces
 * ({@code Pleural Effusion}), so a space is taken only when no cell reads two ways: a cell is ambiguous
 * when two neighbouring words in it never appear apart anywhere in the file, since they may then be one
 * class name. Such a file is refused with the cell named, and {@code --label-delimiter} settles it. A file
 * whose cells hold at most one name needs no delimiter and is read one name per cell.
 *
 * @param symbol the delimiter; a space stands for any run of white space
 * @param how how it was chosen, for the record: {@code "given"}, {@code "detected"} or {@code "none needed"}
 */
public record LabelDelimiter(String symbol, String how) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("hone");
    private static final String FLAG = "--label-delimiter";
    /** The delimiters detection looks for before a space, in the order the record names them. */
    static final List<String> SYMBOLS = List.of(";", "|", ",");

    /** The delimiter the user gave; it must be one non-empty string ({@code ,} works in quoted cells). */
    public static LabelDelimiter given(String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            throw new HoneException("the label delimiter '" + symbol + "' cannot separate class names in a CSV cell. Fix: pass "
                    + FLAG + " with ';', '|', ',' or ' '");
        }
        return new LabelDelimiter(symbol, "given");
    }

    /**
     * Detects the delimiter from the label cells.
     *
     * @param cells label cells, empty ones included
     * @param lines the line each cell is on, for errors
     * @throws HoneException when cells hold two of {@code ;}, {@code |} and {@code ,}, or a space-joined cell is
     *     ambiguous
     */
    public static LabelDelimiter detect(List<String> cells, List<Integer> lines, Path csv) {
        String found = null;
        int foundIn = -1;
        for (String symbol : SYMBOLS) {
            int cell = firstContaining(cells, symbol);
            if (cell >= 0 && found != null) {
                throw HoneException.of("label cells hold both '" + found + "' (line " + lines.get(foundIn) + ": '"
                        + cells.get(foundIn) + "') and '" + symbol + "' (line " + lines.get(cell) + ": '" + cells.get(cell)
                        + "'), so the delimiter is unclear", csv, "join class names with one of them everywhere, or pass "
                        + FLAG + " with the one that separates classes");
            }
            if (cell >= 0) {
                found = symbol;
                foundIn = cell;
            }
        }
        if (found != null) {
            return new LabelDelimiter(found, "detected");
        }
        if (firstContaining(cells, " ") < 0) {
            warnOfJoinedNames(cells, lines, csv);
            return new LabelDelimiter(";", "none needed");
        }
        refuseAmbiguousSpaces(cells, lines, csv);
        return new LabelDelimiter(" ", "detected");
    }

    /** The class names in {@code cell}, stripped, empty pieces dropped; an empty cell gives none. */
    public List<String> split(String cell) {
        String[] parts = symbol.equals(" ") ? cell.strip().split("\\s+") : cell.split(java.util.regex.Pattern.quote(symbol));
        List<String> names = new ArrayList<>(parts.length);
        for (String p : parts) {
            if (!p.isBlank()) {
                names.add(dev.hone.data.ImageFolderSource.composed(p.strip()));
            }
        }
        return names;
    }

    /** For the record, e.g. {@code ';' (detected)}. */
    public String describe() {
        return how.equals("none needed") ? "none needed (one class name per cell at most)" : "'" + symbol + "' (" + how + ")";
    }

    private static int firstContaining(List<String> cells, String s) {
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).strip().contains(s)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Warns when the names read one per cell look like classes joined by another symbol ({@link #JOINERS}): at least two
     * names split by it into pieces that each recur in other names, as {@code dress/sandal} and {@code bag/dress} do,
     * where the pieces of one name with such a symbol ({@code T-shirt/top}) recur nowhere. A warning, not a refusal:
     * a taxonomy's names ({@code animal/cat}, {@code pet/cat}) can look the same.
     *
     * @return the warning, or null
     */
    static String warnOfJoinedNames(List<String> cells, List<Integer> lines, Path csv) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        cells.forEach(c -> {
            if (!c.isBlank()) {
                names.add(c.strip());
            }
        });
        for (String joiner : JOINERS) {
            Map<String, Integer> inNames = new HashMap<>();
            for (String name : names) {
                new java.util.HashSet<>(pieces(name, joiner)).forEach(p -> inNames.merge(p, 1, Integer::sum));
            }
            List<String> joined = names.stream().filter(n -> pieces(n, joiner).size() > 1
                    && pieces(n, joiner).stream().allMatch(p -> inNames.get(p) > 1)).toList();
            if (joined.size() >= 2) {
                int cell = 0;
                while (!cells.get(cell).strip().equals(joined.get(0))) {
                    cell++;
                }
                String warning = String.format(java.util.Locale.ROOT, "%s: %d class names look like other class names joined by"
                        + " '%s' (e.g. '%s' on line %d, whose parts are in other names too), and are read as classes of their own;"
                        + " if '%s' separates classes, pass %s '%s'", csv, joined.size(), joiner, joined.get(0),
                        lines.get(cell), joiner, FLAG, joiner);
                LOG.warn(warning);
                return warning;
            }
        }
        return null;
    }

    /** Symbols that might join class names in a cell read one name per cell; not '-', '_' or '.', common within names. */
    static final List<String> JOINERS = List.of("/", "+", "&", ":");

    private static List<String> pieces(String name, String joiner) {
        return Arrays.stream(name.split(java.util.regex.Pattern.quote(joiner))).map(String::strip).filter(p -> !p.isEmpty())
                .toList();
    }

    /** Refuses when some neighbouring words {@code a b} never appear apart: they may be one class name. */
    private static void refuseAmbiguousSpaces(List<String> cells, List<Integer> lines, Path csv) {
        Map<String, Integer> count = new HashMap<>();
        Map<String, Integer> pairs = new HashMap<>();
        List<String[]> words = new ArrayList<>(cells.size());
        for (String cell : cells) {
            String[] w = cell.isBlank() ? new String[0] : cell.strip().split("\\s+");
            words.add(w);
            Arrays.stream(w).forEach(t -> count.merge(t, 1, Integer::sum));
            for (int j = 0; j + 1 < w.length; j++) {
                pairs.merge(w[j] + " " + w[j + 1], 1, Integer::sum);
            }
        }
        for (int i = 0; i < cells.size(); i++) {
            String[] w = words.get(i);
            for (int j = 0; j + 1 < w.length; j++) {
                int together = pairs.get(w[j] + " " + w[j + 1]);
                if (together == count.get(w[j]) && together == count.get(w[j + 1])) {
                    throw HoneException.of("the label cell '" + cells.get(i).strip() + "' may be one class name with a space or"
                            + " several classes joined by spaces: '" + w[j] + "' and '" + w[j + 1] + "' never appear apart",
                            csv + ", line " + lines.get(i), "pass " + FLAG + " ';' if each cell is one class name (then"
                            + " join several with ';'), or " + FLAG + " ' ' if every word is a class of its own");
                }
            }
        }
    }
}
