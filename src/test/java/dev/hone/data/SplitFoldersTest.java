package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.SkippedFiles.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitFoldersTest {
    @TempDir Path dir;

    private void folders(String... names) throws IOException {
        for (String n : names) {
            Files.createDirectories(dir.resolve(n).resolve("cat"));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "train, test", "training, testing", "training_set, test_set", "train_set, testing_set",
        "Training, Testing", "TRAINING_SET, TEST_SET", "Training-Set, Test-Set", "train, val", "training, validation",
        "Train_Set, Val_Set", "training, valid"})
    void recognisesCommonSplitNamesInAnyCase(String train, String test) throws IOException {
        folders(train, test);
        SplitFolders s = SplitFolders.of(dir);
        assertThat(s).isNotNull();
        assertThat(s.train()).isEqualTo(dir.resolve(train));
        assertThat(s.test()).isEqualTo(dir.resolve(test));
        assertThat(s.skipped().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"training", "Training_Set", "train_set"})
    void aTrainingFolderAloneHoldsOutItsTest(String train) throws IOException {
        folders(train);
        SplitFolders s = SplitFolders.of(dir);
        assertThat(s.train()).isEqualTo(dir.resolve(train));
        assertThat(s.test()).isNull();
    }

    @Test
    void aTestNameWinsOverAValidationNameWhichIsReportedUnused() throws IOException {
        folders("training", "validation", "testing");
        SplitFolders s = SplitFolders.of(dir);
        assertThat(s.train()).isEqualTo(dir.resolve("training"));
        assertThat(s.test()).isEqualTo(dir.resolve("testing"));
        assertThat(s.skipped().count(Reason.UNUSED_FOLDER)).isEqualTo(1);
        assertThat(s.skipped().examples(Reason.UNUSED_FOLDER)).containsExactly(dir.resolve("validation").toString());
    }

    @Test
    void classFoldersThatAreNotSplitNamesAreNotASplitLayout() throws IOException {
        folders("cat", "dog", "trainer");
        assertThat(SplitFolders.of(dir)).isNull();
    }

    @Test
    void trainingAndTestingAreSplitsNotTwoClasses() {
        for (String split : new String[] {"training", "testing"}) {
            for (String c : new String[] {"bottom", "top"}) {
                TestImages.save(TestImages.grey(8, 8, c.length()), "png", dir.resolve(split + "/" + c + "/1.png"));
                TestImages.save(TestImages.grey(8, 8, 50), "png", dir.resolve(split + "/" + c + "/2.png"));
            }
        }
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("bottom", "top");
        assertThat(bundle.train().labels()).containsExactly(0, 0, 1, 1);
        assertThat(bundle.trainSource()).isEqualTo(dir.resolve("training").toString());
        assertThat(bundle.test().labels()).containsExactly(0, 0, 1, 1);
        assertThat(bundle.testSource()).isEqualTo(dir.resolve("testing").toString());
    }
}
