package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageDecoder.Header;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatInferenceTest {

    @Test
    void sharedSizeIsKept() {
        assertThat(FormatInference.fromHeaders(List.of(new Header(32, 48, false), new Header(32, 48, false))))
                .isEqualTo(new ImageFormat(1, 32, 48));
    }

    @Test
    void anyColourImageMakesThreeChannels() {
        assertThat(FormatInference.fromHeaders(List.of(new Header(8, 8, false), new Header(8, 8, true))).channels())
                .isEqualTo(3);
    }

    @Test
    void mixedSizesTakeTheMedian() {
        List<Header> headers = List.of(new Header(10, 40, false), new Header(20, 50, false),
                new Header(30, 60, false), new Header(200, 10, false));
        assertThat(FormatInference.fromHeaders(headers)).isEqualTo(new ImageFormat(1, 25, 45));
    }

    @Test
    void longerSideIsCappedKeepingAspect() {
        List<Header> headers = List.of(new Header(3000, 4000, true), new Header(3000, 4000, true));
        assertThat(FormatInference.fromHeaders(headers)).isEqualTo(new ImageFormat(3, 168, 224));
    }
}
