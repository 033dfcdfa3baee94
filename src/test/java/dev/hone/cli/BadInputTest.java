package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.train.SyntheticData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input ends with exit status 2, a message that names the culprit and the fix, and no
 * output folder (nor work folder) left behind.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private Cli.Outcome train(String data, String... extra) {
        String[] base = {"train", "--data", data, "--model", "resnet9", "--width", "4", "--epochs", "1", "--out", tmp.resolve("out").toString()};
        return Cli.run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    private void assertRejected(Cli.Outcome o, String... mentions) throws IOException {
        assertThat(o.status()).as(o.out() + o.err()).isEqualTo(2);
        assertThat(o.err()).contains("hone: error:").contains("Fix");
        for (String m : mentions) {
            assertThat(o.err()).contains(m);
        }
        assertThat(tmp.resolve("out")).doesNotExist();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    @Test
    void missingPath() throws IOException {
        Path missing = tmp.resolve("nowhere");
        assertRejected(train(missing.toString()), missing.toString());
    }

    @Test
    void emptyFolder() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertRejected(train(empty.toString()), empty.toString());
    }

    @Test
    void classFolderWithoutImages() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 5, 12, 1);
        Files.createDirectories(data.resolve("ghost"));
        assertRejected(train(data.toString()), "ghost");
    }

    @Test
    void classFolderOfOnlyCorruptImages() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 2, 8, 1);
        for (int i = 0; i < 2; i++) {
            Path bad = data.resolve("left").resolve(i + ".png");
            byte[] bytes = Files.readAllBytes(bad);
            Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        }
        assertRejected(train(data.toString()), "class folder has no readable image", data.resolve("left").toString());
    }

    @Test
    void corruptImageNamedInACsv() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 2, 8, 1);
        Files.writeString(data.resolve("left").resolve("1.png"), "garbage");
        Path csv = tmp.resolve("manifest.csv");
        Files.writeString(csv, "path,label\nd/left/0.png,left\nd/left/1.png,left\nd/top/0.png,top\nd/top/1.png,top\n");
        assertRejected(train(csv.toString()), data.resolve("left").resolve("1.png").toString());
    }

    private static void idx(Path file, int magic, int[] dims, int payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header.array());
            out.write(new byte[payload]);
        }
    }

    @Test
    void truncatedIdx() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("idx"));
        idx(dir.resolve("train-images-idx3-ubyte"), 0x803, new int[] {100, 28, 28}, 50 * 784);
        idx(dir.resolve("train-labels-idx1-ubyte"), 0x801, new int[] {100}, 100);
        assertRejected(train(dir.toString()), "train-images-idx3-ubyte");
    }

    @Test
    void imageAndLabelCountsDiffer() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("idx"));
        idx(dir.resolve("train-images-idx3-ubyte"), 0x803, new int[] {100, 28, 28}, 100 * 784);
        idx(dir.resolve("train-labels-idx1-ubyte"), 0x801, new int[] {90}, 90);
        assertRejected(train(dir.toString()), "train-labels-idx1-ubyte", "100", "90");
    }

    @Test
    void csvRowPointingToAMissingFile() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 3, 12, 1);
        Path csv = tmp.resolve("manifest.csv");
        Files.writeString(csv, "path,label\nd/left/0.png,left\nd/top/0.png,top\nd/top/99.png,top\n");
        assertRejected(train(csv.toString()), csv.toString(), "99.png", "line 4");
        assertThat(data).exists();
    }

    @Test
    void csvRowWithAnEmptyLabel() throws IOException {
        SyntheticData.folder(tmp.resolve("d"), 3, 12, 1);
        Path csv = tmp.resolve("manifest.csv");
        Files.writeString(csv, "path,label\nd/left/0.png,left\nd/top/0.png,\n");
        assertRejected(train(csv.toString()), csv.toString(), "line 3");
    }

    @Test
    void unknownArchitecture() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 3, 12, 1);
        Cli.Outcome o = Cli.run("train", "--data", data.toString(), "--model", "resnet7", "--out", tmp.resolve("out").toString());
        assertRejected(o, "resnet7", "resnet9", "mobilenetv2");
    }

    @Test
    void segmentationNetworkForPerImageLabels() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 3, 12, 1);
        Cli.Outcome o = Cli.run("train", "--data", data.toString(), "--model", "unet", "--out", tmp.resolve("out").toString());
        assertRejected(o, "unet", "segmentation network", "one label per image", "--model resnet9");
    }

    @Test
    void torchScriptWhoseOutputSizeDoesNotMatchTheClasses() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("d"), 3, 28, 1);
        Path model = Path.of(getClass().getResource("/models/tiny-7.pt").toURI());
        Cli.Outcome o = Cli.run("train", "--data", data.toString(), "--model", model.toString(), "--epochs", "1",
                "--out", tmp.resolve("out").toString());
        assertRejected(o, "tiny-7.pt", "7", "3");
    }

    @Test
    void flagValuesOutOfRange() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 3, 12, 1);
        assertRejected(train(data.toString(), "--lr", "-1"), "--lr");
        assertRejected(train(data.toString(), "--batch-size", "0"), "--batch-size");
        assertRejected(train(data.toString(), "--val-fraction", "0.9"), "--val-fraction");
    }

    @Test
    void sigmoidFlagsOnASingleLabelTaskAndAThresholdMetricNotUnderstoodAreRefusedBeforeTraining() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("d"), 3, 12, 1);
        assertRejected(train(data.toString(), "--threshold-metric", "precision"), "--threshold-metric 'precision' is not understood",
                "precision>=0.9");
        assertRejected(train(data.toString(), "--threshold-metric", "recall>=0.8"), "task is single-label", "drop --threshold-metric");
        assertRejected(train(data.toString(), "--label-delimiter", ";"), "every image of these data has one label",
                "--task multi-label");
        assertRejected(train(data.toString(), "--imbalance", "dice"), "binary and multi-label tasks only", "drop --imbalance");
        Cli.Outcome emptyOut = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--epochs", "1", "--out", "");
        assertThat(emptyOut.status()).isEqualTo(2);
        assertThat(emptyOut.err()).contains("--out is empty", "Fix");
        // two classes forced to one softmax: the binary task they would have had takes the threshold
        Path two = SyntheticData.folder(tmp.resolve("two"), 3, 12, 1);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(two.resolve(SyntheticData.CLASSES.get(2)))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        java.nio.file.Files.delete(two.resolve(SyntheticData.CLASSES.get(2)));
        assertRejected(train(two.toString(), "--task", "single-label", "--threshold-metric", "recall>=0.8"), "task is single-label",
                "drop --task single-label", "binary task");
    }
}
