package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import org.junit.jupiter.api.Test;

class ConvolutionChannelsTest {
    private static Conv2d conv(int kernel, int filters, int groups) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters).optGroups(groups).build();
    }

    @Test
    void findsConvolutionsLargerThan1x1WithOutputChannelsNotAMultipleOf16AfterTheFirst() {
        SequentialBlock net = new SequentialBlock()
                .add(conv(3, 8, 1)) // the first reads the images: no input gradient is computed for it
                .add(new SequentialBlock().add(conv(3, 8, 1)).add(conv(3, 8, 1)).add(conv(5, 24, 1)))
                .add(conv(3, 32, 1)) // aligned
                .add(conv(1, 3, 1)) // 1x1: its gradients were always right
                .add(conv(3, 24, 24)); // depthwise: the same

        assertThat(ConvolutionChannels.misaligned(net)).containsOnly(
                java.util.Map.entry("3x3 with 8 channels", 2), java.util.Map.entry("5x5 with 24 channels", 1));
        assertThat(ConvolutionChannels.warning(net, () -> "give those layers a multiple of 16 output channels")).hasValueSatisfying(w -> assertThat(w)
                .startsWith("the network has 3 convolutions larger than 1x1 whose output channels are not a multiple of 16"
                        + " (3x3 with 8 channels: 2, 5x5 with 24 channels: 1)")
                .endsWith("Fix: give those layers a multiple of 16 output channels"));
    }

    @Test
    void builtInNetworksAreAlignedAtTheirDefaultWidthsAndTheFixNamesTheNarrowestAlignedWidth() {
        for (String architecture : java.util.List.of("resnet9", "resnet18", "resnet20", "mobilenetv2", "unet", "unet-resnet18")) {
            assertThat(ConvolutionChannels.misaligned(ModelFactory.builtIn(ModelSpec.of(architecture), 10))).as(architecture).isEmpty();
        }
        assertThat(ConvolutionChannels.misaligned(ModelFactory.builtIn(ModelSpec.of("centernet-resnet18"), 2 + CenterNetHead.BOX_CHANNELS)))
                .isEmpty();
        // unet at width 8: the encoder's second convolution, the last decoder level's upsampling and its two fusing ones
        assertThat(ConvolutionChannels.misaligned(UNet.build(8, 3, 0.9f, 0))).containsOnly(java.util.Map.entry("3x3 with 8 channels", 4));
        assertThat(ConvolutionChannels.fix(ModelSpec.of("unet").withWidth(8), 3)).startsWith("--width 16 (");
        assertThat(ConvolutionChannels.fix(ModelSpec.of("resnet9").withWidth(40), 10)).startsWith("--width 48 (");
        // the ResNet-UNet's decoder ends at a quarter of the width: 64 is the narrowest width that aligns it
        assertThat(ConvolutionChannels.misaligned(UNet.onResNet(18, 16, false, 3, 0.9f, 0))).isNotEmpty();
        assertThat(ConvolutionChannels.fix(ModelSpec.of("unet-resnet18").withWidth(16), 3)).startsWith("--width 64 (");
        assertThat(ConvolutionChannels.divergenceNote(Resnet9.build(16, 10, 0.9f, 0), () -> "x")).isNull();
        assertThat(ConvolutionChannels.divergenceNote(UNet.build(8, 3, 0.9f, 0), () -> "--width 16")).contains("whatever the learning rate")
                .endsWith(": --width 16");
    }
}
