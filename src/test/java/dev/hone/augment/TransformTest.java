package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ids, channel filtering and the words a report prints. */
class TransformTest {

    @Test
    void idsAreKebabCaseAndRoundTrip() {
        assertThat(Transform.FLIP_HORIZONTAL.id()).isEqualTo("flip-horizontal");
        assertThat(Transform.TRANSLATE.id()).isEqualTo("translate");
        for (Transform t : Transform.values()) {
            assertThat(Transform.fromId(t.id())).isSameAs(t);
        }
    }

    @Test
    void anUnknownIdNamesTheValidOnes() {
        assertThatThrownBy(() -> Transform.fromId("rotate90"))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("rotate90")
                .hasMessageContaining("flip-horizontal, flip-vertical, translate")
                .hasMessageContaining("erase");
    }

    @Test
    void colourOnlyTransformsAreLeftOutForGreyImages() {
        assertThat(Transform.forChannels(3)).containsExactly(Transform.values());
        assertThat(Transform.forChannels(1)).doesNotContain(Transform.SATURATION, Transform.HUE)
                .hasSize(Transform.values().length - 2);
        assertThat(Transform.forChannels(4)).doesNotContain(Transform.SATURATION, Transform.HUE);
        assertThat(Arrays.stream(Transform.values()).filter(Transform::colourOnly))
                .containsExactly(Transform.SATURATION, Transform.HUE);
    }

    @Test
    void onlyTheFlipsHaveNoMagnitude() {
        assertThat(Arrays.stream(Transform.values()).filter(t -> !t.hasMagnitude()))
                .containsExactly(Transform.FLIP_HORIZONTAL, Transform.FLIP_VERTICAL);
    }

    @Test
    void describeStatesTheNaturalRange() {
        assertThat(Transform.TRANSLATE.describe(1)).isEqualTo("translate up to 25% of the side");
        assertThat(Transform.TRANSLATE.describe(0.5)).isEqualTo("translate up to 13% of the side");
        assertThat(Transform.ROTATE.describe(1)).isEqualTo("rotate up to ±30°");
        assertThat(Transform.ZOOM.describe(0.5)).isEqualTo("zoom by x0.80 to x1.20");
        assertThat(Transform.BRIGHTNESS.describe(1)).isEqualTo("brightness x0.50 to x1.50");
        assertThat(Transform.NOISE.describe(0.5)).isEqualTo("Gaussian noise with sigma up to 0.050 of the pixel range");
        assertThat(Transform.ERASE.describe(1)).isEqualTo("erase a rectangle of up to 40% of the image");
        assertThat(Transform.FLIP_HORIZONTAL.describe(0.3)).isEqualTo("flip half the images left-right");
        assertThat(Transform.FLIP_HORIZONTAL.describe(0)).isEqualTo("no horizontal flip");
        for (Transform t : Transform.values()) {
            assertThat(t.describe(0.7)).isNotBlank();
        }
    }
}
