package dev.hone.report;

/**
 * The few HTML helpers the report needs; everything that comes from data goes through {@link #escape}.
 *
 * <p>Class names and file paths are user data: a folder called {@code <script>} must show as text,
 * not run. Escaping covers text and double- or single-quoted attribute values alike.
 */
final class Html {
    private Html() {}

    /** Escapes {@code & < > " '}; null becomes the empty string. */
    static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An embedded image; {@code alt} is escaped. */
    static String img(byte[] png, String alt) {
        return "<img src=\"" + ImageTiles.dataUri(png) + "\" alt=\"" + escape(alt) + "\">";
    }

    /** One table row of already-escaped cells. */
    static String row(String tag, String... cells) {
        StringBuilder sb = new StringBuilder("<tr>");
        for (String c : cells) {
            sb.append('<').append(tag).append('>').append(c).append("</").append(tag).append('>');
        }
        return sb.append("</tr>\n").toString();
    }
}
