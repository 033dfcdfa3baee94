package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section 5 of issue 8: large photos decode with subsampling, and a set too big for the heap is refused. */
class LargeImageTest {
    private static final long MIB = 1 << 20;

    @TempDir Path dir;

    @Test
    void periodKeepsAtLeastTwiceTheTargetAndOnlyKicksInForLargeImages() {
        assertThat(Subsampling.period(500, 224)).isEqualTo(1); // an ordinary photo decodes whole
        assertThat(Subsampling.period(895, 224)).isEqualTo(1);
        assertThat(Subsampling.period(896, 224)).isEqualTo(2);
        assertThat(Subsampling.period(16000, 224)).isEqualTo(35);
        assertThat(Subsampling.period(13000, 182)).isEqualTo(35);
        assertThat(Subsampling.period(10, 224)).isEqualTo(1); // enlarging
        for (int source : new int[] {1, 7, 449, 1000, 6000, 16000, 65535}) {
            for (int target : new int[] {1, 3, 28, 224, 1024}) {
                int p = Subsampling.period(source, target);
                int decoded = Subsampling.decodedLength(source, p);
                assertThat(decoded).as("%d -> %d", source, target).isLessThan(4 * target);
                if (p > 1) {
                    assertThat(decoded).as("%d -> %d", source, target).isGreaterThanOrEqualTo(2 * target);
                }
            }
        }
    }

    @Test
    void aLargeJpegIsReadSubsampledAndStillDecodesRight() {
        // 6000x5000: left half red, right half blue
        BufferedImage img = new BufferedImage(6000, 5000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(220, 30, 30));
        g.fillRect(0, 0, 3000, 5000);
        g.setColor(new Color(30, 30, 220));
        g.fillRect(3000, 0, 3000, 5000);
        g.dispose();
        Path file = TestImages.save(img, "jpg", dir.resolve("large.jpg"));
        img = null;

        ImageDecoder.Upright read = ImageDecoder.readUpright(file, 24, 32);
        // periods 6000 / 64 = 93 and 5000 / 48 = 104: 65 x 49 pixels decoded, not 30 million
        assertThat(read.width()).isEqualTo(65);
        assertThat(read.height()).isEqualTo(49);
        // what the data's report names is the file's own size, not the subsampled one
        assertThat(read.header()).isEqualTo(new ImageDecoder.Header(5000, 6000, true));
        assertThat(ImageDecoder.decodeInto(file, new ImageFormat(3, 24, 32), new byte[3 * 24 * 32], 0))
                .isEqualTo(ImageDecoder.probe(file));

        byte[] out = ImageDecoder.decode(file, new ImageFormat(3, 24, 32));
        int plane = 24 * 32;
        int left = 12 * 32 + 4;
        int right = 12 * 32 + 28;
        assertThat(new int[] {out[left] & 0xFF, out[plane + left] & 0xFF, out[2 * plane + left] & 0xFF})
                .satisfies(p -> assertThat(p[0]).isBetween(212, 228))
                .satisfies(p -> assertThat(p[2]).isBetween(22, 38));
        assertThat(out[2 * plane + right] & 0xFF).isBetween(212, 228);
        assertThat(out[right] & 0xFF).isBetween(22, 38);
    }

    @Test
    void subsamplingFollowsTheShownAxesOfARotatedPhoto() throws Exception {
        // orientation-6.jpg is stored 30 wide x 20 high and shown 20 wide x 30 high
        Path file = dir.resolve("o6.jpg");
        try (var in = getClass().getResourceAsStream("/decode/orientation-6.jpg")) {
            Files.copy(in, file);
        }
        ImageDecoder.Upright read = ImageDecoder.readUpright(file, 5, 2);
        // stored width 30 becomes the shown height: period 30 / 10 = 3; stored height 20: period 20 / 4 = 5
        assertThat(read.height()).isEqualTo(10);
        assertThat(read.width()).isEqualTo(4);
        assertThat(ImageDecoder.probe(file)).isEqualTo(new ImageDecoder.Header(30, 20, true));
        assertThat(read.header()).isEqualTo(ImageDecoder.probe(file));
    }

    @Test
    void budgetRefusesASetThatCannotFitNamingTheFigures() {
        ImageFormat format = new ImageFormat(3, 224, 224);
        assertThatThrownBy(() -> MemoryBudget.decodeThreads(100_000, format, 4096 * MIB, 8192 * MIB, 8,
                Path.of("photos")))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("the 100000 images need 15052800000 bytes (14355.5 MiB) in memory at 3x224x224")
                .hasMessageContaining("only 4096.0 MiB of the Java heap is free (maximum heap 8192.0 MiB")
                .hasMessageContaining(": photos. Fix: use fewer images, ask for a smaller image size, or give Java"
                        + " more memory (e.g. HONE_JAVA_OPTS=-Xmx16g");
    }

    @Test
    void budgetRunsFewerDecodesAtOnceWhenTheHeapIsShort() {
        ImageFormat format = new ImageFormat(3, 224, 224);
        long resident = MemoryBudget.residentBytes(1000, format);
        long perDecode = MemoryBudget.decodeWorkingSet(format);
        assertThat(resident).isEqualTo(1000L * 3 * 224 * 224);
        assertThat(perDecode).isEqualTo(16L * 224 * 224 * MemoryBudget.DECODE_BYTES_PER_PIXEL);
        assertThat(MemoryBudget.decodeThreads(1000, format, resident + 100 * perDecode, 0, 8, "x")).isEqualTo(8);
        assertThat(MemoryBudget.decodeThreads(1000, format, resident + 3 * perDecode + 7, 0, 8, "x")).isEqualTo(3);
        assertThat(MemoryBudget.decodeThreads(1000, format, resident + perDecode, 0, 8, "x")).isEqualTo(1);
        assertThatThrownBy(() -> MemoryBudget.decodeThreads(1000, format, resident + perDecode - 1, 0, 8, "x"))
                .isInstanceOf(HoneException.class);
    }

    @Test
    void loaderRefusesBeforeAllocatingOrReadingAnyFile() {
        // one 8192x8192 colour image is 201 MB resident, but one decode may need 16 x 67 M pixels
        // x 28 bytes: more than the tests' 6 GB heap; the file need not even exist
        Path missing = dir.resolve("never-read.jpg");
        assertThatThrownBy(() -> ImageFileLoader.load(List.of(missing), new int[] {0}, List.of("a"),
                new ImageFormat(3, 8192, 8192)))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("the 1 image need 201326592 bytes")
                .hasMessageContaining("Runtime.maxMemory")
                .hasMessageContaining(dir.toString());
    }
}
