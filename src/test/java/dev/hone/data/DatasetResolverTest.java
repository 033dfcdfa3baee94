package dev.hone.data;

import static dev.hone.data.ImageFolderSourceTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetResolverTest {
    @TempDir Path dir;

    private Path idxFolder(String name, boolean withTest) {
        Path d = dir.resolve(name);
        TestImages.writeIdxImages(d.resolve("train-images-idx3-ubyte.gz"), 6, 4, 4, true);
        TestImages.writeIdxLabels(d.resolve("train-labels-idx1-ubyte.gz"), new int[] {0, 1, 2, 0, 1, 2}, true);
        if (withTest) {
            TestImages.writeIdxImages(d.resolve("t10k-images-idx3-ubyte"), 3, 4, 4, false);
            TestImages.writeIdxLabels(d.resolve("t10k-labels-idx1-ubyte"), new int[] {2, 1, 0}, false);
        }
        return d;
    }

    private Path imageFolder(Path root, String... classes) {
        for (String c : classes) {
            TestImages.save(TestImages.grey(6, 6, c.length()), "png", root.resolve(c + "/1.png"));
            TestImages.save(TestImages.solid(6, 6, 0x123456), "jpg", root.resolve(c + "/2.jpg"));
        }
        return root;
    }

    @Test
    void idxFolderWithTestSplitAndNumberedClasses() {
        Path d = idxFolder("mnist", true);
        DataBundle bundle = DatasetResolver.resolve(d.toString(), null, null);
        assertThat(bundle.train().size()).isEqualTo(6);
        assertThat(bundle.test().size()).isEqualTo(3);
        assertThat(bundle.train().classNames()).containsExactly("0", "1", "2");
        assertThat(bundle.test().classNames()).isEqualTo(bundle.train().classNames());
        assertThat(bundle.format()).isEqualTo(new ImageFormat(1, 4, 4));
        assertThat(bundle.testSource()).contains("t10k");
    }

    @Test
    void idxFolderConformsToAGivenFormat() {
        Path d = idxFolder("mnist", true);
        DataBundle bundle = DatasetResolver.resolve(d.toString(), null, new ImageFormat(3, 8, 8));
        assertThat(ImageFormat.of(bundle.train())).isEqualTo(new ImageFormat(3, 8, 8));
        assertThat(ImageFormat.of(bundle.test())).isEqualTo(new ImageFormat(3, 8, 8));
    }

    @Test
    void classesTxtNamesIdxClasses() {
        Path d = idxFolder("shapes", false);
        // as Windows' Notepad saves it: a byte-order mark and CRLF line ends
        TestImages.writeReturning(d.resolve("classes.txt"), "\uFEFFcircle\r\nsquare\r\ntriangle\r\n\r\n");
        DataBundle bundle = DatasetResolver.resolve(d.toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("circle", "square", "triangle");
        assertThat(bundle.test()).isNull();
    }

    @Test
    void classesTxtCountMismatch() {
        Path d = idxFolder("shapes", false);
        TestImages.write(d.resolve("classes.txt"), "circle\nsquare\n".getBytes(), false);
        assertError(() -> DatasetResolver.resolve(d.toString(), null, null), d.resolve("classes.txt"),
                "names 2 classes but the labels");
    }

    @Test
    void idxFolderMissingLabels() {
        Path d = dir.resolve("half");
        TestImages.writeIdxImages(d.resolve("train-images-idx3-ubyte"), 2, 2, 2, false);
        assertError(() -> DatasetResolver.resolve(d.toString(), null, null), d, "lacks train-labels-idx1");
    }

    @Test
    void trainAndTestFoldersShareFormatAndClasses() {
        imageFolder(dir.resolve("train"), "cat", "dog", "eel");
        TestImages.save(TestImages.grey(12, 9, 0), "png", dir.resolve("test/dog/9.png"));
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("cat", "dog", "eel");
        assertThat(bundle.test().classNames()).containsExactly("cat", "dog", "eel");
        assertThat(bundle.test().labels()).containsExactly(1);
        assertThat(bundle.format()).isEqualTo(new ImageFormat(3, 6, 6));
        assertThat(ImageFormat.of(bundle.test())).isEqualTo(bundle.format());
    }

    @Test
    void trainFolderAloneIsADataSetWhoseTestIsHeldOut() {
        imageFolder(dir.resolve("train"), "cat", "dog");
        TestImages.write(dir.resolve(".DS_Store"), new byte[] {0}, false);
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("cat", "dog");
        assertThat(bundle.train().size()).isEqualTo(4);
        assertThat(bundle.test()).isNull();
        assertThat(bundle.testSource()).isNull();
        assertThat(bundle.trainSource()).isEqualTo(dir.resolve("train").toString());
        assertThat(bundle.trainSkipped().count(Reason.HIDDEN)).isEqualTo(1);
    }

    @Test
    void trainAndValWithoutTestMakesValTheTestSet() {
        imageFolder(dir.resolve("Train"), "cat", "dog");
        TestImages.save(TestImages.grey(6, 6, 0), "png", dir.resolve("valid/dog/9.png"));
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("cat", "dog");
        assertThat(bundle.test().labels()).containsExactly(1);
        assertThat(bundle.testSource()).isEqualTo(dir.resolve("valid").toString());
        assertThat(bundle.trainSkipped().isEmpty()).isTrue();
    }

    @Test
    void valBesideTrainAndTestIsReportedUnused() {
        imageFolder(dir.resolve("train"), "cat", "dog");
        imageFolder(dir.resolve("val"), "cat", "dog");
        TestImages.save(TestImages.grey(6, 6, 0), "png", dir.resolve("test/cat/9.png"));
        TestImages.write(dir.resolve("test/cat/notes.txt"), "n".getBytes(), false);
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.testSource()).isEqualTo(dir.resolve("test").toString());
        assertThat(bundle.test().labels()).containsExactly(0);
        assertThat(bundle.trainSkipped().count(Reason.UNUSED_FOLDER)).isEqualTo(1);
        assertThat(bundle.trainSkipped().examples(Reason.UNUSED_FOLDER)).containsExactly(dir.resolve("val").toString());
        assertThat(bundle.testSkipped().count(Reason.UNSUPPORTED_FORMAT)).isEqualTo(1);
        assertThat(bundle.skippedLines()).hasSize(2);
        assertThat(bundle.skippedLines().get(0)).startsWith("skipped 1 folder of the training data, unused folder")
                .endsWith("e.g. " + dir.resolve("val"));
        assertThat(bundle.skippedLines().get(1)).startsWith("skipped 1 file of the test data, unsupported format")
                .contains("tiff").endsWith("e.g. " + dir.resolve("test/cat/notes.txt"));
    }

    @Test
    void imagesOfAnotherSizeOrModeAreCountedForTrainingAndTestSplits() {
        TestImages.save(TestImages.grey(6, 6, 1), "png", dir.resolve("train/cat/1.png"));
        TestImages.save(TestImages.grey(6, 6, 2), "png", dir.resolve("train/cat/2.png"));
        TestImages.save(TestImages.grey(6, 6, 3), "png", dir.resolve("train/dog/1.png"));
        TestImages.save(TestImages.solid(8, 8, 0x123456), "png", dir.resolve("train/dog/2.png"));
        TestImages.save(TestImages.grey(10, 10, 4), "png", dir.resolve("test/cat/9.png"));

        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);

        assertThat(bundle.format()).isEqualTo(new ImageFormat(3, 6, 6)); // colour as one image is, their median size
        assertThat(bundle.trainConformed()).isEqualTo(new Conformed(1, 0, 3, java.util.List.of(
                dir.resolve("train/cat/1.png") + " (6x6 grey)", dir.resolve("train/cat/2.png") + " (6x6 grey)",
                dir.resolve("train/dog/1.png") + " (6x6 grey)")));
        assertThat(bundle.testConformed().resized()).isEqualTo(1);
        assertThat(bundle.testConformed().toColour()).isEqualTo(1);
        assertThat(bundle.conformedLines("why")).containsExactly(
                "training images: resized 1 to 6x6 (width x height), converted 3 from grey to colour, why; e.g. "
                        + dir.resolve("train/cat/1.png") + " (6x6 grey), " + dir.resolve("train/cat/2.png") + " (6x6 grey), "
                        + dir.resolve("train/dog/1.png") + " (6x6 grey)",
                "test images: resized 1 to 6x6 (width x height), converted 1 from grey to colour, as the training images are;"
                        + " e.g. " + dir.resolve("test/cat/9.png") + " (10x10 grey)");
    }

    @Test
    void aCsvManifestCountsItsConversionsAndImagesAlreadyInFormatCountNone() {
        TestImages.save(TestImages.grey(4, 4, 1), "png", dir.resolve("img/a.png"));
        TestImages.save(TestImages.grey(4, 4, 2), "png", dir.resolve("img/b.png"));
        TestImages.save(TestImages.solid(4, 4, 0x808080), "jpg", dir.resolve("img/c.jpg"));
        Path csv = dir.resolve("m.csv");
        TestImages.write(csv, "path,label\nimg/a.png,cat\nimg/b.png,dog\nimg/c.jpg,dog\n".getBytes(), false);

        DataBundle colour = DatasetResolver.resolve(csv.toString(), null, null);
        DataBundle grey = DatasetResolver.resolve(csv.toString(), null, new ImageFormat(1, 4, 4));
        DataBundle idx = DatasetResolver.resolve(idxFolder("mnist", true).toString(), null, null);

        assertThat(colour.trainConformed().toColour()).isEqualTo(2);
        assertThat(colour.trainConformed().resized()).isZero();
        assertThat(grey.trainConformed().toGrey()).isEqualTo(1);
        assertThat(grey.trainConformed().examples()).containsExactly(dir.resolve("img/c.jpg") + " (4x4 colour)");
        assertThat(idx.trainConformed()).isEqualTo(Conformed.NONE);
        assertThat(idx.conformedLines("why")).isEmpty();
    }

    @Test
    void aClassCalledTrainBesideOtherClassesIsStillAClass() {
        imageFolder(dir, "cat", "train");
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("cat", "train");
        assertThat(bundle.test()).isNull();
    }

    @Test
    void aTestFolderOfTheClassesBesideThemIsRefusedNotTrainedAsAClass() {
        imageFolder(dir, "bag", "shirt");
        imageFolder(dir.resolve("test"), "bag", "shirt");
        assertError(() -> DatasetResolver.resolve(dir.toString(), null, null), dir.resolve("test"),
                "class folder 'test' holds folders named as the other classes (bag, shirt)", "pass it as --test");
    }

    @Test
    void separateTestWithoutATestFolderIsNamed() {
        Path train = imageFolder(dir.resolve("a"), "cat", "dog");
        Path other = dir.resolve("b");
        imageFolder(other.resolve("train"), "cat", "dog");
        assertError(() -> DatasetResolver.resolve(train.toString(), other.toString(), null), other,
                "train/ but no test/");
    }

    @Test
    void testFolderWithUnknownClassIsNamed() {
        imageFolder(dir.resolve("train"), "cat", "dog");
        imageFolder(dir.resolve("test"), "cat", "wolf");
        assertError(() -> DatasetResolver.resolve(dir.toString(), null, null), dir.resolve("test/wolf"),
                "'wolf' is not one of the training classes");
    }

    @Test
    void plainFolderAndSeparateCsvTest() {
        Path train = imageFolder(dir.resolve("photos"), "cat", "dog");
        TestImages.save(TestImages.solid(20, 20, 0xFFFFFF), "png", dir.resolve("holdout/a.png"));
        TestImages.write(dir.resolve("holdout/test.csv"), "path,label\na.png,dog\n".getBytes(), false);

        DataBundle bundle = DatasetResolver.resolve(train.toString(), dir.resolve("holdout/test.csv").toString(), null);

        assertThat(bundle.train().size()).isEqualTo(4);
        assertThat(bundle.test().labels()).containsExactly(1);
        assertThat(ImageFormat.of(bundle.test())).isEqualTo(bundle.format());
        assertThat(bundle.testSource()).endsWith("test.csv");
    }

    /** Four images a-d.png and a multi-label manifest of them in m.csv (bag;tshirt sets). */
    private Path multiLabelCsv() {
        for (String n : new String[] {"a", "b", "c", "d"}) {
            TestImages.save(TestImages.grey(6, 6, n.charAt(0)), "png", dir.resolve(n + ".png"));
        }
        return TestImages.writeReturning(dir.resolve("m.csv"), "path,labels\na.png,bag;tshirt\nb.png,bag\nc.png,tshirt\nd.png,bag;tshirt\n");
    }

    @Test
    void classFoldersAsTheTestOfAMultiLabelRunAreSetsOfOne() {
        Path test = imageFolder(dir.resolve("test"), "bag", "tshirt");
        DataBundle bundle = DatasetResolver.resolve(multiLabelCsv().toString(), test.toString(), null);
        assertThat(bundle.train().multiLabel()).isTrue();
        assertThat(bundle.test().multiLabel()).isTrue();
        assertThat(bundle.test().classNames()).containsExactly("bag", "tshirt");
        for (int i = 0; i < bundle.test().size(); i++) {
            int label = bundle.test().label(i);
            assertThat(bundle.test().positive(i, label)).isTrue();
            assertThat(bundle.test().positive(i, 1 - label)).isFalse();
        }
    }

    @Test
    void aMultiLabelTestOfASingleLabelRunIsRefusedBeforeTraining() {
        Path csv = multiLabelCsv();
        Path train = imageFolder(dir.resolve("train"), "bag", "tshirt");
        assertError(() -> DatasetResolver.resolve(train.toString(), csv.toString(), null), csv,
                "2 of the 4 images have no label or several, but --data " + train + " has one class per image");
    }

    @Test
    void aMultiLabelTestOfOneLabelEachIsReadAsOneClassPerImage() {
        for (String n : new String[] {"a", "b"}) {
            TestImages.save(TestImages.grey(6, 6, n.charAt(0)), "png", dir.resolve(n + ".png"));
        }
        Path csv = TestImages.writeReturning(dir.resolve("one.csv"), "path,labels\na.png,tshirt\nb.png,bag\n");
        Path train = imageFolder(dir.resolve("train"), "bag", "tshirt");
        DataBundle bundle = DatasetResolver.resolve(train.toString(), csv.toString(), null, ";", false);
        assertThat(bundle.test().multiLabel()).isFalse();
        assertThat(bundle.test().labels()).containsExactly(1, 0);
    }

    @Test
    void csvTrainWithIdxTest() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("a.png"));
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("b.png"));
        TestImages.save(TestImages.grey(4, 4, 9), "png", dir.resolve("c.png"));
        TestImages.write(dir.resolve("m.csv"), "a.png,0\nb.png,1\nc.png,2\n".getBytes(), false);
        Path idx = idxFolder("idx", true);
        DataBundle bundle = DatasetResolver.resolve(dir.resolve("m.csv").toString(), idx.toString(), null);
        assertThat(bundle.test().size()).isEqualTo(3);
        assertThat(bundle.test().classNames()).containsExactly("0", "1", "2");
    }

    @Test
    void twoTestSetsAreAnError() {
        Path d = idxFolder("mnist", true);
        assertError(() -> DatasetResolver.resolve(d.toString(), d.toString(), null), d, "two test sets");
    }

    @Test
    void unknownNameListsNamedDatasets() {
        assertThatThrownBy(() -> DatasetResolver.resolve("cifar-100", null, null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("cifar-100")
                .hasMessageContaining("fashion-mnist")
                .hasMessageContaining("Fix:");
    }

    @Test
    void nonCsvFileIsRejected() {
        Path file = dir.resolve("data.txt"); // a .json file is read as COCO detection annotations
        TestImages.write(file, "{}".getBytes(), false);
        assertError(() -> DatasetResolver.resolve(file.toString(), null, null), file, "not a .csv manifest");
    }

    @Test
    void fashionMnistByName() {
        DataBundle bundle = DatasetResolver.resolve("fashion-mnist", null, null);
        assertThat(bundle.train().size()).isEqualTo(60_000);
        assertThat(bundle.test().size()).isEqualTo(10_000);
        assertThat(bundle.format()).isEqualTo(new ImageFormat(1, 28, 28));
        assertThat(bundle.train().classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
        assertThat(bundle.train().classCounts()).containsOnly(6000);
        assertThat(bundle.test().classCounts()).containsOnly(1000);
    }

    @Test
    void missingPackageSaysHowToInstallIt() {
        assertThatThrownBy(() -> NamedDatasets.locate("fashion-mnist", "dataset-hone-no-such-package"))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("fashion-mnist is not installed")
                .hasMessageContaining("Fix: sudo apt-get install dataset-hone-no-such-package");
    }
}
