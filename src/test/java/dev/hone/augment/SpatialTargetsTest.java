package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.regularize.SampleMixing;
import dev.hone.tasks.Segmentation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Segmentation targets move with their images: the same affine map, nearest-neighbour, ignore-filled. */
class SpatialTargetsTest {
    private static final int N = 6;
    private static final int S = 12;

    /** Images whose pixel value is the class of the mask at that pixel, so the two can be compared after a move. */
    private static byte[] classes() {
        byte[] m = new byte[N * S * S];
        for (int i = 0; i < m.length; i++) {
            int p = i % (S * S);
            m[i] = (byte) ((p % S) / 4 + 3 * ((p / S) / 6)); // 6 blocks: 3 across, 2 down
        }
        return m;
    }

    @Test
    void geometricStepsMoveMasksWithTheirImagesAndFillOutsideWithIgnore() {
        AugmentationPolicy policy = new AugmentationPolicy(List.of(new AugmentationPolicy.Step("flip-horizontal", 1),
                new AugmentationPolicy.Step("translate", 0.6), new AugmentationPolicy.Step("rotate", 0.8)));
        try (NDManager m = NDManager.newBaseManager()) {
            byte[] cls = classes();
            NDArray masks = m.create(ByteBuffer.wrap(cls), new Shape(N, S, S), DataType.UINT8);
            NDArray targets = Segmentation.plain().targets(masks, 6);
            // image = class index (as a 1-channel picture), normalisation mean 0, std 1
            NDArray images = masks.toType(DataType.FLOAT32, false).reshape(N, 1, S, S);
            dev.hone.data.Normalization identity = new dev.hone.data.Normalization(new float[] {0}, new float[] {1});
            Augmenter augmenter = new Augmenter(identity);
            float[] moved = augmenter.apply(images.add(1), policy, 77).toFloatArray(); // +1: black (0) marks outside
            NDArray movedTargets = augmenter.applyToTargets(targets, policy, 77);
            assertThat(movedTargets.getShape()).isEqualTo(targets.getShape());
            float[] t = movedTargets.toFloatArray();
            float[] sums = movedTargets.sum(new int[] {1}).toFloatArray();
            int agree = 0, counted = 0, ignored = 0;
            for (int i = 0; i < N; i++) {
                for (int p = 0; p < S * S; p++) {
                    float sum = sums[i * S * S + p];
                    assertThat(sum).isIn(0f, 1f); // nearest: still one-hot, or all zeros outside the image
                    if (sum == 0) {
                        ignored++;
                        continue;
                    }
                    int k = 0;
                    while (t[((i * 6) + k) * S * S + p] != 1f) {
                        k++;
                    }
                    // the image, resampled bilinearly, shows the same class away from block edges
                    float v = moved[i * S * S + p] - 1;
                    if (Math.abs(v - Math.round(v)) < 1e-3) {
                        counted++;
                        agree += Math.round(v) == k ? 1 : 0;
                    }
                }
            }
            assertThat(ignored).as("translation moves some pixels in from outside").isPositive();
            assertThat(counted).isGreaterThan(N * S * S / 4);
            assertThat((double) agree / counted).isGreaterThan(0.95);
        }
    }

    @Test
    void colourStepsLeaveMasksAlone() {
        AugmentationPolicy policy = AugmentationPolicy.of(Transform.BRIGHTNESS, 0.5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray targets = Segmentation.plain().targets(m.create(ByteBuffer.wrap(classes()), new Shape(N, S, S), DataType.UINT8), 6);
            Augmenter augmenter = new Augmenter(new dev.hone.data.Normalization(new float[] {0}, new float[] {1}));
            assertThat(augmenter.applyToTargets(targets, policy, 3).toFloatArray()).containsExactly(targets.toFloatArray());
        }
    }

    @Test
    void cutMixPastesTheBoxOfTheMaskWithTheBoxOfTheImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray targets = Segmentation.plain().targets(m.create(ByteBuffer.wrap(classes()), new Shape(N, S, S), DataType.UINT8), 6);
            SampleMixing.CutBox box = new SampleMixing.CutBox(2, 3, 7, 9, 1 - 30.0 / (S * S));
            NDArray partner = targets.flip(0);
            float[] mixed = SampleMixing.cutmix(targets, partner, box).toFloatArray();
            float[] own = targets.toFloatArray();
            float[] theirs = partner.toFloatArray();
            List<Float> inside = new ArrayList<>();
            for (int i = 0; i < mixed.length; i++) {
                int p = i % (S * S);
                boolean in = p / S >= 2 && p / S < 7 && p % S >= 3 && p % S < 9;
                assertThat(mixed[i]).isCloseTo(in ? theirs[i] : own[i], within(0f));
                if (in) {
                    inside.add(mixed[i]);
                }
            }
            assertThat(inside).isNotEmpty();
        }
    }
}
