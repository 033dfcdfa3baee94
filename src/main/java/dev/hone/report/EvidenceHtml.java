package dev.hone.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A decision's evidence as the report's table shows it: one line per item, {@code affordable images: 4.966e+04}, a
 * list of records (a pacer's re-plans, a search's trials) as a small table, numbers to 4 significant digits
 * ({@link Formats#value}). Evidence longer than a few lines folds away under its first ones. The record's JSON keeps
 * every value in full.
 *
 * <p>Like {@link Formats}, it takes any JSON-shaped value and never fails on an unexpected shape.
 */
final class EvidenceHtml {
    /** Items shown before the rest folds away. */
    private static final int OPEN_LINES = 4;
    /** Rows of a list of records shown; the rest are counted. */
    private static final int MAX_ROWS = 12;

    private EvidenceHtml() {}

    /** The evidence cell's HTML, escaped; empty for no evidence. */
    static String of(Map<String, Object> evidence) {
        if (evidence == null || evidence.isEmpty()) {
            return "";
        }
        List<String> items = new ArrayList<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(evidence).entrySet()) {
            items.add("<div><span class=\"muted\">" + Html.escape(words(e.getKey())) + ":</span> " + item(e.getValue())
                    + "</div>");
        }
        if (items.size() <= OPEN_LINES && items.stream().noneMatch(i -> i.contains("<table"))) {
            return String.join("", items);
        }
        int open = (int) items.stream().limit(OPEN_LINES).takeWhile(i -> !i.contains("<table")).count();
        String rest = String.join("", items.subList(open, items.size()));
        return String.join("", items.subList(0, open)) + "<details><summary class=\"muted\">" + (items.size() - open)
                + (open == 0 ? " items" : " more") + "</summary>" + rest + "</details>";
    }

    /** A camelCase key as words: {@code affordableImages} as {@code affordable images}; other keys as they are. */
    static String words(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean hump = Character.isUpperCase(c) && i > 0 && Character.isLowerCase(key.charAt(i - 1))
                    && (i + 1 == key.length() || Character.isLowerCase(key.charAt(i + 1)));
            sb.append(hump ? " " + Character.toLowerCase(c) : String.valueOf(c));
        }
        return sb.toString();
    }

    private static String item(Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(x -> x instanceof Map<?, ?>)) {
            return records(list);
        }
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            return pairs(map, "; ");
        }
        return inline(value);
    }

    /** A list of records as a table whose columns are every key any record has, in first-seen order. */
    private static String records(List<?> list) {
        Set<String> columns = new LinkedHashSet<>();
        for (Object o : list) {
            ((Map<?, ?>) o).keySet().forEach(k -> columns.add(String.valueOf(k)));
        }
        StringBuilder sb = new StringBuilder("<table>");
        sb.append(Html.row("th", columns.stream().map(c -> Html.escape(words(c))).toArray(String[]::new)));
        for (Object o : list.subList(0, Math.min(MAX_ROWS, list.size()))) {
            Map<String, Object> record = stringKeys((Map<?, ?>) o);
            sb.append(Html.row("td", columns.stream().map(c -> record.containsKey(c) ? inline(record.get(c)) : "")
                    .toArray(String[]::new)));
        }
        sb.append("</table>");
        if (list.size() > MAX_ROWS) {
            sb.append(String.format(Locale.ROOT, "<span class=\"muted\">and %d more rows (training-record.json)</span>",
                    list.size() - MAX_ROWS));
        }
        return sb.toString();
    }

    private static String inline(Object value) {
        if (value instanceof Map<?, ?> map) {
            return "{" + pairs(map, ", ") + "}";
        }
        return Html.escape(Formats.value(value));
    }

    /** A map's entries as {@code key value}, keys in order and as words, joined by {@code separator}. */
    private static String pairs(Map<?, ?> map, String separator) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : stringKeys(map).entrySet()) {
            sb.append(sb.isEmpty() ? "" : separator).append(Html.escape(words(e.getKey()))).append(' ')
                    .append(inline(e.getValue()));
        }
        return sb.toString();
    }

    /** The map with its keys as strings, sorted. */
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
