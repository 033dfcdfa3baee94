package dev.hone.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Detection boxes drawn on pictures, for {@code hone predict --draw} and the report: each predicted box
 * in its class's colour (Pascal VOC's palette, as {@link MaskImages}) with its class name and score,
 * each true box as a thin white outline.
 */
public final class BoxImages {
    private BoxImages() {}

    /**
     * A box to draw, in the picture's pixels (corners, continuous coordinates).
     *
     * @param score the detection's score in [0, 1], or NaN for a true box
     */
    public record Box(int classIndex, double score, double x1, double y1, double x2, double y2) {
        public boolean truth() {
            return Double.isNaN(score);
        }
    }

    /**
     * A copy of {@code image} with the boxes drawn.
     *
     * @param scale picture pixels per box unit: 1 when the boxes are in the picture's own pixels, more when
     *     the picture is an enlarged rendering of the image the boxes were given for
     */
    public static BufferedImage draw(BufferedImage image, List<Box> boxes, List<String> classes, double scale) {
        int w = image.getWidth(), h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(14, h / 16))));
            for (Box b : boxes) {
                int x = (int) Math.round(b.x1() * scale), y = (int) Math.round(b.y1() * scale);
                int bw = (int) Math.round((b.x2() - b.x1()) * scale), bh = (int) Math.round((b.y2() - b.y1()) * scale);
                if (b.truth()) {
                    g.setColor(Color.WHITE);
                    g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 3}, 0));
                    g.drawRect(x, y, bw, bh);
                    continue;
                }
                Color c = new Color(MaskImages.colour(b.classIndex() + 1));
                g.setColor(c);
                g.setStroke(new BasicStroke(2));
                g.drawRect(x, y, bw, bh);
                String label = String.format(Locale.ROOT, "%s %.2f", name(classes, b.classIndex()), b.score());
                int tw = g.getFontMetrics().stringWidth(label), th = g.getFontMetrics().getHeight();
                int ty = y - th >= 0 ? y - th : y;
                g.fillRect(x, ty, tw + 4, th);
                g.setColor(c.getRed() + c.getGreen() + c.getBlue() > 384 ? Color.BLACK : Color.WHITE);
                g.drawString(label, x + 2, ty + g.getFontMetrics().getAscent());
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static String name(List<String> classes, int k) {
        return k >= 0 && k < classes.size() ? classes.get(k) : "class " + k;
    }
}
