package dev.hone.data.multilabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiLabelManifestTest {
    @TempDir Path dir;

    /** Writes the manifest and an (empty) file for each image name, which is all the manifest looks at. */
    private Path csv(String text, String... images) {
        try {
            for (String image : images) {
                Path f = dir.resolve(image);
                Files.createDirectories(f.getParent());
                Files.write(f, new byte[] {1});
            }
            Path file = dir.resolve("m.csv");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertError(ThrowingCallable call, Path where, String... what) {
        var a = assertThatThrownBy(call).isInstanceOf(HoneException.class)
                .hasMessageContaining(where.toString()).hasMessageContaining("Fix:");
        for (String w : what) {
            a.hasMessageContaining(w);
        }
    }

    private static List<Boolean> row(boolean[] t) {
        Boolean[] b = new Boolean[t.length];
        for (int i = 0; i < t.length; i++) {
            b[i] = t[i];
        }
        return List.of(b);
    }

    @Test
    void labelSetsWithSpacesAndSlashesAndEmptyNegatives() {
        Path file = csv("\uFEFFpath,labels\r\nimg/1.png,Pleural Effusion;T-shirt/top\r\n\"img/2, b.png\",\r\n"
                + "img/3.png, T-shirt/top ; \r\n", "img/1.png", "img/2, b.png", "img/3.png");
        MultiLabelManifest m = MultiLabelManifest.load(file);
        assertThat(m.classNames()).containsExactly("Pleural Effusion", "T-shirt/top");
        assertThat(m.size()).isEqualTo(3);
        assertThat(row(m.targets()[0])).containsExactly(true, true);
        assertThat(row(m.targets()[1])).containsExactly(false, false);   // an empty cell is a negative, kept
        assertThat(row(m.targets()[2])).containsExactly(false, true);
        assertThat(m.files().get(1)).isEqualTo(dir.resolve("img/2, b.png"));
        assertThat(m.format()).isEqualTo("label-set, delimiter ';' (detected)");
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void delimiterIsDetectedAmongBarAndSpace() {
        Path bar = csv("path,labels\n1.png,No Finding\n2.png,Atelectasis|Pleural Effusion\n", "1.png", "2.png");
        assertThat(MultiLabelManifest.load(bar).classNames()).containsExactly("Atelectasis", "No Finding", "Pleural Effusion");

        Path space = csv("path,labels\n1.png,cat dog\n2.png,dog\n3.png,cat\n", "1.png", "2.png", "3.png");
        MultiLabelManifest m = MultiLabelManifest.load(space);
        assertThat(m.classNames()).containsExactly("cat", "dog");
        assertThat(m.format()).contains("' ' (detected)");

        Path single = csv("path,label\n1.png,cat\n2.png,dog\n", "1.png", "2.png");
        assertThat(MultiLabelManifest.load(single).format()).contains("none needed");
    }

    @Test
    void spaceThatMaySplitAClassNameIsRefusedUnlessGiven() {
        // 'Pleural' and 'Effusion' never appear apart: one class name or two classes?
        Path file = csv("path,labels\n1.png,Pleural Effusion\n2.png,Atelectasis\n3.png,Pleural Effusion Atelectasis\n",
                "1.png", "2.png", "3.png");
        assertError(() -> MultiLabelManifest.load(file), file, "line 2", "'Pleural' and 'Effusion' never appear apart",
                "--label-delimiter");
        MultiLabelManifest given = MultiLabelManifest.load(file, " ", null);
        assertThat(given.classNames()).containsExactly("Atelectasis", "Effusion", "Pleural");
        assertThat(given.format()).contains("' ' (given)");
        MultiLabelManifest semicolon = MultiLabelManifest.load(file, ";", null);
        assertThat(semicolon.classNames()).containsExactly("Atelectasis", "Pleural Effusion", "Pleural Effusion Atelectasis");
    }

    @Test
    void bothSemicolonAndBarAreRefused() {
        Path file = csv("path,labels\n1.png,a;b\n2.png,c|d\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(file), file, "line 2", "line 3", "--label-delimiter");
    }

    @Test
    void commaInsideQuotedCellsIsDetectedAndClassNamesKeepTheirSpaces() {
        // 'Ankle boot' is one class; read with a space it would make 'boot,Bag' a class of its own
        Path file = csv("path,labels\n1.png,\"Bag,Pullover\"\n2.png,\"Ankle boot,Bag\"\n3.png,\"Ankle boot\"\n4.png,\"\"\n",
                "1.png", "2.png", "3.png", "4.png");
        MultiLabelManifest m = MultiLabelManifest.load(file);
        assertThat(m.classNames()).containsExactly("Ankle boot", "Bag", "Pullover");
        assertThat(row(m.targets()[1])).containsExactly(true, true, false);
        assertThat(row(m.targets()[3])).containsExactly(false, false, false);
        assertThat(m.format()).isEqualTo("label-set, delimiter ',' (detected)");
        assertThat(MultiLabelManifest.load(file, ",", null).format()).contains("',' (given)");
    }

    @Test
    void namesJoinedByASlashAreWarnedAboutButASlashWithinANameIsNot() {
        List<Integer> lines = List.of(2, 3, 4, 5, 6);
        Path csv = Path.of("sets.csv");
        assertThat(LabelDelimiter.warnOfJoinedNames(List.of("dress/sandal", "bag/dress", "bag", "sandal", ""), lines, csv))
                .contains("2 class names look like other class names joined by '/'", "'bag/dress' on line 3",
                        "--label-delimiter '/'");
        // Fashion-MNIST's one name with a slash: its parts recur nowhere
        assertThat(LabelDelimiter.warnOfJoinedNames(List.of("T-shirt/top", "Trouser", "Bag", "T-shirt/top", "Bag"), lines, csv))
                .isNull();
    }

    @Test
    void commaBesideAnotherDelimiterIsRefused() {
        Path file = csv("path,labels\n1.png,Bag;Pullover\n2.png,\"Tie, bow\"\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(file), file, "both ';' (line 2", "',' (line 3", "--label-delimiter");
        assertThat(MultiLabelManifest.load(file, ";", null).classNames()).containsExactly("Bag", "Pullover", "Tie, bow");
    }

    @Test
    void spaceJoinedCellsAreStillCheckedForAmbiguityWithoutCommas() {
        Path file = csv("path,labels\n1.png,Ankle boot\n2.png,Bag\n3.png,Ankle boot Bag\n", "1.png", "2.png", "3.png");
        assertError(() -> MultiLabelManifest.load(file), file, "line 2", "'Ankle' and 'boot' never appear apart",
                "--label-delimiter");
    }

    @Test
    void multiHotColumnsAsMedicalDatasetsShipThem() {
        Path file = csv("Path,No Finding,Pleural Effusion,Atelectasis\nx/1.png,1,0,0\nx/2.png,0.0,1.0,1\nx/3.png,0,1,0\n",
                "x/1.png", "x/2.png", "x/3.png");
        MultiLabelManifest m = MultiLabelManifest.load(file);
        assertThat(m.classNames()).containsExactly("Atelectasis", "No Finding", "Pleural Effusion");
        assertThat(row(m.targets()[1])).containsExactly(true, false, true);
        assertThat(m.format()).isEqualTo("multi-hot, 3 class columns");
    }

    @Test
    void manyRepeatedFilesGiveOneWarningWithExamples() {
        Path file = csv("path,labels\n1.png,cat\n2.png,dog\n3.png,cat\n4.png,dog\n1.png,cat\n2.png,dog\n3.png,cat\n4.png,dog\n",
                "1.png", "2.png", "3.png", "4.png");
        MultiLabelManifest m = MultiLabelManifest.load(file);
        assertThat(m.size()).isEqualTo(4);
        assertThat(m.warnings()).singleElement().asString().contains("4 images are listed on several lines", "1.png on lines"
                + " [2, 6]", "; ...").doesNotContain("4.png");
    }

    @Test
    void repeatedFileIsMergedWithOneWarningNamingItsLines() {
        Path file = csv("path,labels\n1.png,cat\n2.png,dog\n./sub/../1.png,dog\n1.png,\n", "1.png", "2.png");
        MultiLabelManifest m = MultiLabelManifest.load(file);
        assertThat(m.size()).isEqualTo(2);
        assertThat(row(m.targets()[0])).containsExactly(true, true);
        assertThat(m.warnings()).hasSize(1);
        assertThat(m.warnings().get(0)).contains("1.png", "lines [2, 4, 5]", "[cat, dog]");
    }

    @Test
    void multiHotClassThatNeverOccursIsRefused() {
        Path file = csv("path,cat,Hernia,dog\n1.png,1,0,0\n2.png,0,0,1\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(file), file, "'Hernia'", "column 3", "never occurs", "line 1",
                "remove the column");
    }

    @Test
    void classWithoutPositiveAgainstKnownClassesIsAWarningNamingIt() {
        Path file = csv("path,labels\n1.png,cat\n2.png,\n", "1.png", "2.png");
        MultiLabelManifest m = MultiLabelManifest.load(file, null, List.of("cat", "dog"));
        assertThat(m.classNames()).containsExactly("cat", "dog");
        assertThat(m.warnings()).singleElement().asString().contains("'dog'", "no positive example");
        Path unknown = csv("path,labels\n1.png,cat\n2.png,zebra\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(unknown, null, List.of("cat", "dog")), unknown, "'zebra'", "line 3");
    }

    @Test
    void nonBinaryMultiHotValueIsRefusedWithRowAndClass() {
        Path file = csv("path,cat,dog\n1.png,1,0\n2.png,0,-1\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(file), file, "line 3", "class 'dog'", "'-1', not 0 or 1", "CheXpert");
        Path blank = csv("path,cat,dog\n1.png,1,\n", "1.png");
        assertError(() -> MultiLabelManifest.load(blank), blank, "line 2", "'', not 0 or 1");
    }

    @Test
    void delimiterThatSplitsAMultiHotClassNameIsRefusedAndExplained() {
        Path file = csv("path,Pleural Effusion,Atelectasis\n1.png,1,0\n2.png,0,1\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(file, " ", null), file, "line 1", "splits the class name 'Pleural Effusion'",
                "column 2", "multi-hot", "drop --label-delimiter");
        MultiLabelManifest m = MultiLabelManifest.load(file, "|", null);
        assertThat(m.warnings()).singleElement().asString().contains("not used");
    }

    @Test
    void missingImageFileIsRefusedWithLineAndLookedForPath() {
        Path file = csv("path,labels\n1.png,cat\nnope/2.png,dog\n", "1.png");
        assertError(() -> MultiLabelManifest.load(file), file, "line 3", "missing image file nope/2.png",
                dir.resolve("nope/2.png").toString());
    }

    @Test
    void emptyManifestsAreRefused() {
        Path empty = csv("");
        assertError(() -> MultiLabelManifest.load(empty), empty, "is empty");
        Path headerOnly = csv("path,labels\n\n");
        assertError(() -> MultiLabelManifest.load(headerOnly), headerOnly, "lists no images");
        Path allEmpty = csv("path,labels\n1.png,\n", "1.png");
        assertError(() -> MultiLabelManifest.load(allEmpty), allEmpty, "no row of the manifest names a class");
    }

    @Test
    void headerlessAndRaggedFilesAreRefused() {
        Path noHeader = csv("1.png,cat\n2.png,dog\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(noHeader), noHeader, "needs a header line", "path,labels");
        Path ragged = csv("path,cat,dog\n1.png,1,0\n2.png,1\n", "1.png", "2.png");
        assertError(() -> MultiLabelManifest.load(ragged), ragged, "line 3", "2 fields, expected 3");
        Path dup = csv("path,cat,cat\n1.png,1,0\n", "1.png");
        assertError(() -> MultiLabelManifest.load(dup), dup, "a second 'cat'");
    }

    @Test
    void aGivenDelimiterThatLeavesAnotherInTheClassNamesIsWarnedAbout() {
        Path file = csv("path,labels\na.png,red;green\nb.png,blue\n", "a.png", "b.png");
        MultiLabelManifest m = MultiLabelManifest.load(file, "|", null);
        assertThat(m.warnings()).anySatisfy(w -> assertThat(w).contains("the label delimiter '|' was given, but the class"
                + " name 'red;green' on line 2 holds another of ';', '|' and ','"));
        assertThat(MultiLabelManifest.load(file, null, null).warnings()).as("detected: ';'").isEmpty();
    }

    @Test
    void aMultiHotFileWhosePathColumnIsNotFirstIsRefusedNamingIt() {
        Path file = csv("id,path,red,green\n1,a.png,1,0\n2,b.png,0,1\n", "a.png", "b.png");
        assertError(() -> MultiLabelManifest.load(file), file, "the header names column 2 ('path') as the image paths",
                "'id' would be read as the paths", "put the path column first");
    }

    @Test
    void eachFileKeepsTheLineThatListsIt() {
        Path file = csv("path,labels\na.png,red\nb.png,blue\na.png,green\n", "a.png", "b.png");
        assertThat(MultiLabelManifest.load(file).lines()).containsExactly(2, 3);
    }
}
