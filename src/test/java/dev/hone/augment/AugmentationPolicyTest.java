package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.core.HoneException;
import dev.hone.record.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Building, describing and saving policies. */
class AugmentationPolicyTest {

    @Test
    void withAddsOrReplacesAndWithoutRemoves() {
        AugmentationPolicy p = AugmentationPolicy.of(Transform.TRANSLATE, 0.5).with(Transform.FLIP_HORIZONTAL, 1);
        assertThat(p.describe()).isEqualTo("translate 0.50, flip-horizontal");
        AugmentationPolicy q = p.with(Transform.TRANSLATE, 0.25);
        assertThat(q.describe()).isEqualTo("translate 0.25, flip-horizontal");
        assertThat(q.magnitude(Transform.TRANSLATE)).isEqualTo(0.25);
        assertThat(q.without(Transform.TRANSLATE).describe()).isEqualTo("flip-horizontal");
        assertThat(q.without(Transform.TRANSLATE).without(Transform.FLIP_HORIZONTAL)).isEqualTo(AugmentationPolicy.NONE);
        assertThat(p.describe()).isEqualTo("translate 0.50, flip-horizontal"); // immutable
    }

    @Test
    void noneIsEmptyAndZeroMagnitudesAreDropped() {
        assertThat(AugmentationPolicy.NONE.isEmpty()).isTrue();
        assertThat(AugmentationPolicy.NONE.describe()).isEqualTo("none");
        assertThat(AugmentationPolicy.of(Transform.ROTATE, 0).isEmpty()).isTrue();
        assertThat(AugmentationPolicy.of(Transform.ROTATE, 0.3).with(Transform.ROTATE, 0)).isEqualTo(AugmentationPolicy.NONE);
        assertThat(new AugmentationPolicy(List.of(new AugmentationPolicy.Step("zoom", 0))).isEmpty()).isTrue();
    }

    @Test
    void invalidStepsSayWhatIsValid() {
        assertThatThrownBy(() -> AugmentationPolicy.of(Transform.ZOOM, 1.5))
                .isInstanceOf(HoneException.class).hasMessageContaining("outside [0,1]");
        assertThatThrownBy(() -> new AugmentationPolicy.Step("zoom", Double.NaN)).isInstanceOf(HoneException.class);
        assertThatThrownBy(() -> new AugmentationPolicy.Step("sharpen", 0.5))
                .isInstanceOf(HoneException.class).hasMessageContaining("translate");
        assertThatThrownBy(() -> new AugmentationPolicy(List.of(new AugmentationPolicy.Step("zoom", 0.2),
                new AugmentationPolicy.Step("zoom", 0.4)))).isInstanceOf(HoneException.class).hasMessageContaining("twice");
    }

    @Test
    void roundTripsThroughJsonWithOnlyItsSteps() throws Exception {
        AugmentationPolicy p = AugmentationPolicy.of(Transform.ERASE, 0.4).with(Transform.HUE, 0.1);
        for (ObjectMapper mapper : List.of(new ObjectMapper(), Json.mapper())) {
            String json = mapper.writeValueAsString(p);
            assertThat(json).doesNotContain("empty");
            assertThat(mapper.readValue(json, AugmentationPolicy.class)).isEqualTo(p);
        }
        assertThat(new ObjectMapper().writeValueAsString(AugmentationPolicy.of(Transform.ZOOM, 0.5)))
                .isEqualTo("{\"steps\":[{\"transform\":\"zoom\",\"magnitude\":0.5}]}");
    }
}
