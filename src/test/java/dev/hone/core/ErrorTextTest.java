package dev.hone.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

    @Test
    void picksPyTorchsSummaryLineOutOfATorchScriptTraceback() {
        RuntimeException e = new RuntimeException("The following operation failed in the TorchScript interpreter.\n"
                + "Traceback of TorchScript (most recent call last):\n"
                + "  File \"code/__torch__.py\", line 12, in forward\n"
                + "    _0 = torch.max_pool2d(x, [2, 2])\n"
                + "RuntimeError: Given input size: (8x1x1). Calculated output size: (8x0x0). Output size is too small\n");
        assertThat(ErrorText.oneLine(e))
                .isEqualTo("Given input size: (8x1x1). Calculated output size: (8x0x0). Output size is too small");
    }

    @Test
    void otherwiseTheFirstNonBlankLineShortened() {
        assertThat(ErrorText.oneLine(new IllegalStateException("\n  first line\nsecond"))).isEqualTo("first line");
        assertThat(ErrorText.oneLine(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(ErrorText.oneLine(new RuntimeException("x".repeat(400)))).hasSize(303).endsWith("...");
    }
}
