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
    void findsConvolutionsLargerThan1x1WithOutputChannelsNotAMultipleOf16() {
        SequentialBlock net = new SequentialBlock()
                .add(conv(3, 8, 1))
                .add(new SequentialBlock().add(conv(3, 8, 1)).add(conv(5, 24, 1)))
                .add(conv(3, 32, 1)) // aligned
                .add(conv(1, 3, 1)) // 1x1: its gradients were always right
                .add(conv(3, 24, 24)); // depthwise: the same

        assertThat(ConvolutionChannels.misaligned(net)).containsOnly(
                java.util.Map.entry("3x3 with 8 channels", 2), java.util.Map.entry("5x5 with 24 channels", 1));
        assertThat(ConvolutionChannels.warning(net, "--width 16")).hasValueSatisfying(w -> assertThat(w)
                .startsWith("the network has 3 convolutions larger than 1x1 whose output channels are not a multiple of 16"
                        + " (3x3 with 8 channels: 2, 5x5 with 24 channels: 1)")
                .endsWith("Fix: --width 16"));
    }

    @Test
    void builtInNetworksAreAlignedAtMultiplesOf16AndTheUNetAtWidth8IsNot() {
        assertThat(ConvolutionChannels.misaligned(UNet.build(0, 3, 0.9f, 0))).isEmpty();
        assertThat(ConvolutionChannels.misaligned(UNet.build(16, 3, 0.9f, 0))).isEmpty();
        // the encoder's two levels at width 8, the last decoder level's upsampling and its two fusing convolutions
        assertThat(ConvolutionChannels.misaligned(UNet.build(8, 3, 0.9f, 0))).containsOnly(java.util.Map.entry("3x3 with 8 channels", 5));
        // the ResNet decoder's w/2 and w/4 levels are rounded up to 16
        assertThat(ConvolutionChannels.misaligned(UNet.onResNet(18, 16, false, 3, 0.9f, 0))).isEmpty();
        assertThat(ConvolutionChannels.misaligned(UNet.centerNet(18, 16, false, 2, 0.9f, 0))).isEmpty();
        assertThat(ConvolutionChannels.misaligned(Resnet9.build(0, 10, 0.9f, 0))).isEmpty();
        assertThat(ConvolutionChannels.misaligned(MobileNetV2.build(0, false, 10, 0.9f, 0))).isEmpty();
        assertThat(ConvolutionChannels.divergenceFix(Resnet9.build(16, 10, 0.9f, 0), ModelSpec.of("resnet9"))).isNull();
        assertThat(ConvolutionChannels.divergenceFix(UNet.build(8, 3, 0.9f, 0), ModelSpec.of("unet").withWidth(8)))
                .contains("no learning rate mends that").endsWith("--width 16 or another multiple of 16");
    }
}
