package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageTilesTest {

    @Test
    void greyImageIsEnlargedByAWholeFactorKeepingPixels() throws IOException {
        ImageSet set = SyntheticRun.images();

        BufferedImage tile = ImageIO.read(new ByteArrayInputStream(ImageTiles.png(set, 4)));

        assertThat(tile.getWidth()).isEqualTo(88); // 8 * ceil(84 / 8)
        assertThat(tile.getHeight()).isEqualTo(88);
        // pixel (row 0, col 1) of image 4 (label 1) is 100; the stripe on the diagonal is 255
        assertThat(tile.getRaster().getSample(11, 0, 0)).isEqualTo(100);
        assertThat(tile.getRaster().getSample(21, 10, 0)).isEqualTo(100);
        assertThat(tile.getRaster().getSample(12, 12, 0)).isEqualTo(255);
    }

    @Test
    void colourImageKeepsItsChannels() {
        int h = 28;
        int w = 28;
        byte[] px = new byte[3 * h * w];
        for (int p = 0; p < h * w; p++) {
            px[p] = (byte) 200;           // red plane
            px[h * w + p] = (byte) 10;    // green plane
            px[2 * h * w + p] = (byte) 90; // blue plane
        }
        ImageSet set = new ImageSet(px, new int[] {0}, 3, h, w, List.of("a"), i -> "x");

        BufferedImage tile = ImageTiles.render(set, 0);

        assertThat(tile.getWidth()).isEqualTo(84);
        assertThat(tile.getRGB(83, 83) & 0xffffff).isEqualTo((200 << 16) | (10 << 8) | 90);
    }

    @Test
    void sizesGrowSmallAndShrinkLargeImages() {
        assertThat(ImageTiles.outputSize(28, 28)).containsExactly(84, 84);
        assertThat(ImageTiles.outputSize(32, 64)).containsExactly(96, 192);
        assertThat(ImageTiles.outputSize(100, 120)).containsExactly(100, 120);
        assertThat(ImageTiles.outputSize(300, 600)).containsExactly(128, 256);
    }

    @Test
    void dataUriHoldsThePng() {
        String uri = ImageTiles.dataUri(SyntheticRun.images(), 0);
        assertThat(uri).startsWith("data:image/png;base64,");
        byte[] png = Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length()));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }
}
