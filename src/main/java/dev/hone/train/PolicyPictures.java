package dev.hone.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Augmenter;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The report's picture of a policy: a few images in the top row, then one row per chosen
 * transform showing the same images as training would see them under it, so a reader can judge
 * at a glance whether the augmentation still looks like the data.
 */
final class PolicyPictures {
    private static final int COLUMNS = 8;
    private static final int GAP = 2;

    private PolicyPictures() {}

    /** The grid as PNG bytes, or null when the policy has no augmentation. */
    static byte[] grid(AugmentationPolicy policy, ResidentDataset images, Normalization norm, long seed) {
        if (policy.isEmpty() || images.size() == 0) {
            return null;
        }
        int n = Math.min(COLUMNS, images.size());
        Augmenter augmenter = new Augmenter(norm);
        List<float[]> rows = new ArrayList<>();
        long[] shape;
        try (NDManager m = images.manager().newSubManager()) {
            NDArray x = images.range(0, n, m).images();
            shape = x.getShape().getShape();
            rows.add(x.toFloatArray());
            int r = 0;
            for (AugmentationPolicy.Step step : policy.steps()) {
                AugmentationPolicy one = new AugmentationPolicy(List.of(step));
                NDArray a = augmenter.apply(x, one, Seeds.mix(seed, "report-samples", r++));
                a.attach(m);
                rows.add(a.toFloatArray());
            }
        }
        return png(rows, shape, norm);
    }

    private static byte[] png(List<float[]> rows, long[] shape, Normalization norm) {
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        int scale = Math.max(1, 64 / Math.max(h, w));
        int cell = Math.max(h, w) * scale + GAP;
        BufferedImage img = new BufferedImage(n * cell, rows.size() * cell, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows.size(); r++) {
            float[] px = rows.get(r);
            for (int i = 0; i < n; i++) {
                for (int y = 0; y < h * scale; y++) {
                    for (int xx = 0; xx < w * scale; xx++) {
                        int[] rgb = new int[3];
                        for (int k = 0; k < 3; k++) {
                            int ch = c == 3 ? k : 0;
                            float v = px[((i * c + ch) * h + y / scale) * w + xx / scale];
                            rgb[k] = Math.max(0, Math.min(255, Math.round((v * norm.std()[ch] + norm.mean()[ch]) * 255)));
                        }
                        img.setRGB(i * cell + xx, r * cell + y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
