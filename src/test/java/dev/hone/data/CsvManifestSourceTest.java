package dev.hone.data;

import static dev.hone.data.ImageFolderSourceTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvManifestSourceTest {
    @TempDir Path dir;

    private Path csv(String name, String text) {
        Path file = dir.resolve(name);
        TestImages.write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        return file;
    }

    @Test
    void headerQuotedAndRelativePaths() {
        TestImages.save(TestImages.grey(4, 4, 10), "png", dir.resolve("img/a, b.png"));
        TestImages.save(TestImages.grey(4, 4, 20), "png", dir.resolve("img/c.png"));
        Path abs = TestImages.save(TestImages.grey(4, 4, 30), "png", dir.resolve("elsewhere/d.png"));
        Path file = csv("m.csv", "\uFEFFpath,label\r\n\"img/a, b.png\",dog\r\n\r\nimg/c.png , cat\r\n"
                + abs + ",\"dog\"\r\n");

        ImageSet set = CsvManifestSource.load(file, null);

        assertThat(set.classNames()).containsExactly("cat", "dog");
        assertThat(set.labels()).containsExactly(1, 0, 1);
        assertThat(set.pixels()[0] & 0xFF).isEqualTo(10);
        assertThat(set.pixels()[16] & 0xFF).isEqualTo(20);
        assertThat(set.source(0)).endsWith("a, b.png");
    }

    @Test
    void imageMaskPairsWithoutTheirHeaderAreRefusedNotReadAsClassesOfOne() {
        for (String n : new String[] {"a", "b"}) {
            TestImages.save(TestImages.grey(4, 4, 10), "png", dir.resolve("images/" + n + ".png"));
            TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("masks/" + n + ".png"));
        }
        Path file = csv("pairs.csv", "images/a.png,masks/a.png\nimages/b.png,masks/b.png\n");
        assertError(() -> CsvManifestSource.read(file, null, null), file, "2 of the 2 rows give an image file as the label"
                + " (e.g. masks/a.png, line 1)", "make the CSV's first line the header image,mask");
    }

    @Test
    void anEmptyImageListedInAManifestIsNamedWithItsLineAndTheLineFix() {
        TestImages.save(TestImages.grey(4, 4, 10), "png", dir.resolve("a.png"));
        TestImages.save(TestImages.grey(4, 4, 20), "png", dir.resolve("b.png"));
        TestImages.write(dir.resolve("zero.png"), new byte[0], false);
        Path file = csv("m.csv", "path,label\na.png,cat\nb.png,dog\nzero.png,dog\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "file is empty (0 bytes), not an image: "
                + dir.resolve("zero.png") + " (listed at " + file + ", line 4). Fix: re-export the image, or remove the line"
                + " that lists it");
    }

    @Test
    void labelsJoinedByASemicolonAreNamedAsPossibleLabelSets() {
        List<String> labels = List.of("red", "green;blue", "red|green", "blue");
        String w = CsvManifestSource.joinedLabels(dir.resolve("m.csv"), labels, List.of(2, 3, 4, 5));
        assertThat(w).contains("2 of the class names hold ';' or '|' (e.g. 'green;blue' on line 3)",
                "name the column labels (a header path,labels)");
        assertThat(CsvManifestSource.joinedLabels(dir.resolve("m.csv"), List.of("red", "blue"), List.of(2, 3))).isNull();
    }

    @Test
    void anEmptyLabelSaysHowToWriteMultiLabelData() {
        TestImages.save(TestImages.grey(4, 4, 10), "png", dir.resolve("a.png"));
        Path file = csv("m.csv", "path,label\na.png,\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "CSV row has an empty label",
                "name the column labels (a header path,labels)");
    }

    @Test
    void theSameFileUnderTwoLabelsIsRefusedWithBothLinesAndLabels() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("img/1.png"));
        TestImages.save(TestImages.grey(4, 4, 9), "png", dir.resolve("img/2.png"));
        // the second listing spells the path differently: it is still the same file
        Path file = csv("m.csv", "path,label\nimg/1.png,cat\nimg/2.png,dog\n./img/../img/1.png,dog\n");
        assertError(() -> CsvManifestSource.load(file, null), file,
                "CSV lists the image ./img/../img/1.png under two labels: 'cat' on line 2 and 'dog' on line 4");
        assertError(() -> CsvManifestSource.load(file, null), file, "keep the one line with the right label");
    }

    @Test
    void theSameFileTwiceWithOneLabelIsReadOnce() {
        TestImages.save(TestImages.grey(4, 4, 10), "png", dir.resolve("1.png"));
        TestImages.save(TestImages.grey(4, 4, 20), "png", dir.resolve("2.png"));
        TestImages.save(TestImages.grey(4, 4, 30), "png", dir.resolve("3.png"));
        ImageSet set = CsvManifestSource.load(csv("m.csv", "1.png,x\n2.png,y\n1.png,x\n3.png,bogus\n"), null);
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.labels()).containsExactly(1, 2, 0);
        assertThat(set.pixels()[16 * 2] & 0xFF).isEqualTo(30);
        assertThat(set.source(2)).endsWith("3.png");

        // a label check after a skipped row still names the right line
        Path test = csv("t.csv", "1.png,x\n1.png,x\n2.png,zebra\n");
        assertError(() -> CsvManifestSource.load(test, null, List.of("x", "y")), test, "line 3");
    }

    @Test
    void headerIsOptional() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("2.png"));
        ImageSet set = CsvManifestSource.load(csv("m.csv", "1.png,x\n2.png,y"), null);
        assertThat(set.size()).isEqualTo(2);
    }

    @Test
    void quotedFieldsHoldQuotesAndLineBreaks() {
        List<CsvRows.Row> rows = CsvRows.parse("\"a \"\"b\"\"\",\"c\nd\"\ne,f\n", Path.of("x.csv"));
        assertThat(rows).containsExactly(new CsvRows.Row(1, List.of("a \"b\"", "c\nd")),
                new CsvRows.Row(3, List.of("e", "f")));
    }

    @Test
    void missingFileNamesCsvLineAndPath() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        Path file = csv("m.csv", "path,label\n1.png,a\n\nghost.png,b\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "missing image file ghost.png");
        assertError(() -> CsvManifestSource.load(file, null), file, "line 4");
    }

    @Test
    void aFolderOrAnotherUnicodeFormIsSaidSoNotJustMissing() throws Exception {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        TestImages.save(TestImages.grey(4, 4, 9), "png", dir.resolve("caf\u00e9.png")); // composed on disk
        java.nio.file.Files.createDirectories(dir.resolve("sub"));
        Path folder = csv("f.csv", "path,label\n1.png,a\nsub,b\n");
        assertError(() -> CsvManifestSource.load(folder, null), folder, dir.resolve("sub") + ": a folder, not a file");
        Path nfd = csv("n.csv", "path,label\n1.png,a\ncafe\u0301.png,b\n"); // decomposed in the CSV
        assertError(() -> CsvManifestSource.load(nfd, null), nfd, "accents written another way");
    }

    @Test
    void severalMissingFilesAreNamedInOneErrorWithTheirLines() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        StringBuilder text = new StringBuilder("path,label\n1.png,a\n");
        for (int i = 0; i < MissingFiles.NAMED + 2; i++) {
            text.append("moved/").append(i).append(".png,b\n");
        }
        Path file = csv("m.csv", text.toString());
        assertError(() -> CsvManifestSource.load(file, null), file, (MissingFiles.NAMED + 2) + " CSV rows point to missing"
                + " image files", "line 3: moved/0.png (looked for " + dir.resolve("moved/0.png") + ")",
                "line 7: moved/4.png", "and 2 more", "correct each path", "remove its line");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CsvManifestSource.load(file, null))
                .hasMessageNotContaining("moved/5.png");
    }

    @Test
    void everyUnreadableListedImageIsNamedInOneError() throws Exception {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        java.nio.file.Files.writeString(dir.resolve("text.png"), "not an image");
        java.nio.file.Files.writeString(dir.resolve("also.png"), "not an image either");
        byte[] png = java.nio.file.Files.readAllBytes(dir.resolve("1.png"));
        java.nio.file.Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Path file = csv("m.csv", "1.png,a\ntext.png,b\nalso.png,a\ncut.png,b\n");
        assertError(() -> CsvManifestSource.load(file, null), dir.resolve("text.png"), "not a readable image",
                "2 more of the 4 files cannot be read either", dir.resolve("also.png").toString(),
                dir.resolve("cut.png").toString());
    }

    @Test
    void emptyLabelNamesCsvAndLine() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        Path file = csv("m.csv", "1.png,a\n1.png,\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "empty label");
        assertError(() -> CsvManifestSource.load(file, null), file, "line 2");
    }

    @Test
    void oneClassIsNotEnough() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        Path file = csv("m.csv", "1.png,a\n1.png,a\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "only 1 class (a)");
    }

    /** A manifest with more columns than path and label: the two named ones are read, in either order, the rest left out. */
    @Test
    void extraColumnsBesideNamedPathAndLabelColumnsAreLeftOut() {
        catAndDog("id,Label,notes,path\n7,cat,\"a, note\",1.png\n8,dog,,2.png\n");
        Path sets = csv("s.csv", "path,labels,source\n1.png,cat;dog,web\n2.png,dog,web\n");
        assertThat(dev.hone.data.multilabel.MultiLabelSource.isMultiLabel(sets)).isTrue();
        assertThat(dev.hone.data.multilabel.MultiLabelSource.load(sets, null, null, null).multiHot()).containsExactly(1, 1, 0, 1);
        Path short_ = csv("short.csv", "id,path,label\n7,1.png,cat\n1.png,dog\n");
        assertError(() -> CsvManifestSource.load(short_, null), short_, "line 3", "2 fields, expected the header's 3 (id,path,label)");
    }

    @Test
    void emptyManifest() {
        Path file = csv("m.csv", "path,label\n\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "lists no images");
    }

    @Test
    void wrongFieldCount() {
        Path file = csv("m.csv", "a.png,cat,extra\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "3 fields");
    }

    @Test
    void aSemicolonSeparatedFileAndWindowsPathsSayWhatToChange() {
        Path semicolons = csv("m.csv", "path;label\n1.png;cat\n");
        assertError(() -> CsvManifestSource.load(semicolons, null), semicolons, "1 fields", "separate its fields with semicolons");
        Path backslashes = csv("b.csv", "path,label\nimg\\1.png,cat\nimg\\2.png,dog\n");
        assertError(() -> CsvManifestSource.load(backslashes, null), backslashes, "img\\1.png", "write them with '/'");
    }

    @Test
    void unclosedQuote() {
        Path file = csv("m.csv", "a.png,cat\n\"b.png,dog\n");
        assertError(() -> CsvManifestSource.load(file, null), file, "opened on line 2");
    }

    @Test
    void unknownLabelAgainstKnownClasses() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        Path file = csv("m.csv", "1.png,zebra\n");
        assertError(() -> CsvManifestSource.load(file, null, List.of("a", "b")), file, "'zebra'");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"filename,label", "image,label", "file,class",
        "image_path,label", "img,category", "Image Path,Target", "FILE_NAME,Class", "filename,breed", "path,label"})
    void commonHeadersAreReadAsHeaders(String header) {
        catAndDog(header + "\n1.png,cat\n2.png,dog\n");
    }

    /** Saves 1.png (grey 10) and 2.png (grey 20) and checks the manifest {@code text} reads them as "cat" and "dog". */
    private void catAndDog(String text) {
        TestImages.save(TestImages.grey(4, 4, 10), "png", dir.resolve("1.png"));
        TestImages.save(TestImages.grey(4, 4, 20), "png", dir.resolve("2.png"));
        ImageSet set = CsvManifestSource.load(csv("m.csv", text), null);
        assertThat(set.classNames()).containsExactly("cat", "dog");
        assertThat(set.labels()).containsExactly(0, 1);
        assertThat(set.pixels()[16] & 0xFF).isEqualTo(20);
    }

    @Test
    void aFileNamedLikeAColumnIsDataNotAHeader() {
        TestImages.save(TestImages.grey(4, 4, 10), "png", dir.resolve("image"));
        TestImages.save(TestImages.grey(4, 4, 20), "png", dir.resolve("2.png"));
        ImageSet set = CsvManifestSource.load(csv("m.csv", "image,label\n2.png,dog\n"), null);
        assertThat(set.classNames()).containsExactly("dog", "label");
        assertThat(set.labels()).containsExactly(1, 0);
    }

    @Test
    void aFirstRowThatIsNeitherAFileNorAHeaderSaysWhatAHeaderMustBe() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        // "picture.png" is a path, not a column name; "photo id" and "kind" are neither known names
        for (String first : new String[] {"picture.png,label", "photo id,kind"}) {
            Path file = csv("m.csv", first + "\n1.png,a\n");
            assertError(() -> CsvManifestSource.load(file, null), file,
                    "if line 1 is meant as a header, a header must read path,label");
            assertError(() -> CsvManifestSource.load(file, null), file, "line 1");
        }
        // a later missing row does not get the header note
        Path later = csv("m.csv", "1.png,a\nghost.png,b\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CsvManifestSource.load(later, null))
                .hasMessageContaining("ghost.png").hasMessageNotContaining("header");
    }
}
