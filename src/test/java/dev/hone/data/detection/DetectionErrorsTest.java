package dev.hone.data.detection;

import static dev.hone.data.detection.DetectionFiles.png;
import static dev.hone.data.detection.DetectionFiles.text;
import static dev.hone.data.detection.DetectionFiles.vocObject;
import static dev.hone.data.detection.DetectionFiles.vocXml;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad detection input is a HoneException naming the annotation file, the image and the fix. */
class DetectionErrorsTest {
    @TempDir Path dir;

    private static AbstractThrowableAssert<?, ? extends Throwable> fails(ThrowingCallable read) {
        return assertThatThrownBy(read).isInstanceOf(HoneException.class).hasMessageContaining("Fix: ");
    }

    /** A COCO file for one 40x20 image a.png with the given annotations JSON. */
    private Path coco(String annotations) {
        png(dir.resolve("a.png"), 40, 20);
        return text(dir.resolve("c.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 40, \"height\": 20}],"
                + "\"annotations\": [" + annotations + "], \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> cocoFails(String annotations) {
        Path json = coco(annotations);
        return fails(() -> DetectionSource.readCoco(json, null, null, null)).hasMessageContaining(json.toString());
    }

    @Test
    void aCocoBoxOutsideTheImageNamesTheImage() {
        cocoFails("{\"image_id\": 1, \"category_id\": 1, \"bbox\": [30, 0, 20, 10]}")
                .hasMessageContaining(dir.resolve("a.png") + " has a box outside its 40x20 image")
                .hasMessageContaining("'cat' [x1=30.0, y1=0.0, x2=50.0, y2=10.0]")
                .hasMessageContaining("correct or delete the box");
    }

    /** A training and a test export that both have faults: one run names both sets' faults, each with its file. */
    @Test
    void theTestSetsFaultsComeWithTheTrainingSetsInOneRefusal() {
        Path train = coco("{\"image_id\": 1, \"category_id\": 1, \"bbox\": [30, 0, 20, 10]}");
        Path testDir = dir.resolve("test");
        png(testDir.resolve("b.png"), 40, 20);
        Path test = text(testDir.resolve("t.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"b.png\", \"width\": 40,"
                + " \"height\": 20}], \"annotations\": [{\"id\": 5, \"image_id\": 3, \"category_id\": 1, \"bbox\": [0, 0, 5, 5]}],"
                + " \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> dev.hone.data.DatasetResolver.resolve(train.toString(), test.toString(), null))
                .hasMessageContaining(dir.resolve("a.png") + " has a box outside its 40x20 image")
                .hasMessageContaining("\nThe --test data have faults too: ")
                .hasMessageContaining("annotation id 5 is for image id 3").hasMessageContaining(test.toString());

        // a sound test set adds nothing to the training set's refusal
        Path good = text(testDir.resolve("good.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"b.png\", \"width\": 40,"
                + " \"height\": 20}], \"annotations\": [{\"id\": 5, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 5, 5]}],"
                + " \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> dev.hone.data.DatasetResolver.resolve(train.toString(), good.toString(), null))
                .hasMessageContaining("has a box outside").hasMessageNotContaining("--test data have faults");

        // a test box outside its image or without area is found from the image's header, with the training set's fault
        Path boxes = text(testDir.resolve("boxes.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"b.png\", \"width\": 40,"
                + " \"height\": 20}], \"annotations\": [{\"id\": 5, \"image_id\": 1, \"category_id\": 1, \"bbox\": [5, 5, 0, 0]},"
                + " {\"id\": 6, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 15, 5, 10]}],"
                + " \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> dev.hone.data.DatasetResolver.resolve(train.toString(), boxes.toString(), null))
                .hasMessageContaining(dir.resolve("a.png") + " has a box outside its 40x20 image")
                .hasMessageContaining("\nThe --test data have faults too: 2 boxes lie outside their images or have no area")
                .hasMessageContaining(testDir.resolve("b.png") + " has a box without area")
                .hasMessageContaining(testDir.resolve("b.png") + " has a box outside its 40x20 image")
                .hasMessageContaining(boxes.toString());
    }

    @Test
    void aCocoBoxWithoutAreaNamesTheImage() {
        cocoFails("{\"image_id\": 1, \"category_id\": 1, \"bbox\": [3, 4, 0, 10]}")
                .hasMessageContaining(dir.resolve("a.png") + " has a box without area");
    }

    @Test
    void everyFaultyBoxOfAnExportIsCountedInOneRefusal() {
        // seven boxes out of the image and one good: the refusal names the first five and counts the rest
        StringBuilder a = new StringBuilder("{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 5, 5]}");
        for (int k = 0; k < 7; k++) {
            a.append(", {\"image_id\": 1, \"category_id\": 1, \"bbox\": [").append(30 + k).append(", 0, 20, 10]}");
        }
        cocoFails(a.toString()).hasMessageContaining("7 boxes lie outside their images or have no area (the first 5: ")
                .hasMessageContaining("x1=34.0").hasMessageNotContaining("x1=35.0").hasMessageContaining("; and 2 more)")
                .hasMessageContaining("correct or delete the box");
    }

    @Test
    void anAnnotationForAnImageIdNotListed() {
        cocoFails("{\"id\": 9, \"image_id\": 2, \"category_id\": 1, \"bbox\": [0, 0, 5, 5]}")
                .hasMessageContaining("annotation id 9 is for image id 2, which \"images\" does not list")
                .hasMessageContaining("add the image to \"images\", or delete the annotation");
    }

    @Test
    void everyFaultyAnnotationIsNamedInOneRefusalWithEachFix() {
        cocoFails("{\"id\": 7, \"image_id\": 2, \"category_id\": 1, \"bbox\": [0, 0, 5, 5]},"
                + " {\"id\": 8, \"image_id\": 1, \"category_id\": 4, \"bbox\": [0, 0, 5, 5]},"
                + " {\"id\": 9, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 5]}")
                .hasMessageContaining("3 faulty annotations (the first 3: annotation id 7 is for image id 2")
                .hasMessageContaining("annotation id 8 (of a.png) has category id 4").hasMessageContaining("annotation id 9 (of a.png) has no")
                .hasMessageContaining("delete the annotation; add the category").hasMessageContaining("give every annotation its box");
    }

    @Test
    void aMissingImageAndAFaultyAnnotationAreRefusedTogether() {
        Path json = text(dir.resolve("ann/both.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"gone.jpg\"}], \"annotations\":"
                + " [{\"id\": 3, \"image_id\": 1, \"category_id\": 9, \"bbox\": [0, 0, 5, 5]}],"
                + " \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> DetectionSource.readCoco(json, null, null, null)).hasMessageContaining("1 image file missing and 1 faulty annotation (the first 2: ")
                .hasMessageContaining("gone.jpg").hasMessageContaining("category id 9").hasMessageContaining("--images DIR")
                .hasMessageContaining("add the category");
    }

    @Test
    void aCategoryIdNotListed() {
        cocoFails("{\"id\": 9, \"image_id\": 1, \"category_id\": 4, \"bbox\": [0, 0, 5, 5]}")
                .hasMessageContaining("annotation id 9 (of a.png) has category id 4, which \"categories\" does not list (ids: [1])")
                .hasMessageContaining("add the category");
    }

    @Test
    void aMissingImageFileNamesTheFileAndSuggestsImages() {
        Path json = text(dir.resolve("ann/c.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"gone.jpg\"}], \"annotations\": [],"
                + " \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> DetectionSource.readCoco(json, null, null, null))
                .hasMessageContaining("image id 1 names gone.jpg, but " + dir.resolve("ann/gone.jpg") + " does not exist")
                .hasMessageContaining("--images DIR");
    }

    @Test
    void twoImageIdsNamingOneFileAreRefused() {
        png(dir.resolve("a.png"), 40, 20);
        Path json = text(dir.resolve("c.json"), "{\"images\": [{\"id\": 5, \"file_name\": \"a.png\"},"
                + " {\"id\": 6, \"file_name\": \"./a.png\"}], \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> DetectionSource.readCoco(json, null, null, null))
                .hasMessageContaining("image ids 5 and 6 both name the file ./a.png")
                .hasMessageContaining(json.toString())
                .hasMessageContaining("list each image once");
    }

    @Test
    void anImageIdThatIsNotANumberNamesItsEntryAndValue() {
        png(dir.resolve("a.png"), 40, 20);
        Path json = text(dir.resolve("c.json"), "{\"images\": [{\"id\": \"img1\", \"file_name\": \"a.png\"}],"
                + " \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> DetectionSource.readCoco(json, null, null, null))
                .hasMessageContaining("entry 1 of \"images\" (file_name a.png) has \"id\": \"img1\", not a whole number");
    }

    @Test
    void aDeclaredSizeOtherThanTheImages() {
        png(dir.resolve("a.png"), 40, 20);
        Path json = text(dir.resolve("c.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 20, \"height\": 40}],"
                + "\"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        fails(() -> DetectionSource.readCoco(json, null, null, null))
                .hasMessageContaining("the annotation gives " + dir.resolve("a.png") + " the size 20x40 (width x height) but the image is 40x20")
                .hasMessageContaining("EXIF orientation");
    }

    @Test
    void aTestClassThatIsNoTrainingClass() {
        Path json = coco("{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 5, 5]}");
        fails(() -> DetectionSource.readCoco(json, null, null, List.of("dog", "bird")))
                .hasMessageContaining("has class 'cat', which is not one of the training classes [dog, bird]")
                .hasMessageContaining(json.toString());
    }

    private AbstractThrowableAssert<?, ? extends Throwable> yoloFails(String rows) {
        png(dir.resolve("images/a.png"), 10, 10);
        text(dir.resolve("classes.txt"), "cat\ndog\n");
        Path label = text(dir.resolve("labels/a.txt"), rows);
        return fails(() -> DetectionSource.readYolo(dir, null, null, null)).hasMessageContaining(label + " line 2")
                .hasMessageContaining(dir.resolve("images/a.png").toString());
    }

    @Test
    void aYoloRowWithTheWrongNumberOfFields() {
        yoloFails("0 0.5 0.5 0.1 0.1\n1 0.1 0.1 0.2 0.2 0.3 0.3\n").hasMessageContaining("has 7 fields, not the 5 of 'class cx cy w h'")
                .hasMessageContaining("polygon");
    }

    @Test
    void aYoloValueOutsideZeroToOne() {
        yoloFails("0 0.5 0.5 0.1 0.1\n1 12 30 4 4\n").hasMessageContaining("YOLO box value '12' (cx) is not a fraction in [0, 1]")
                .hasMessageContaining("pixels divided by the size");
    }

    @Test
    void aYoloClassBeyondTheNames() {
        yoloFails("0 0.5 0.5 0.1 0.1\n2 0.5 0.5 0.1 0.1\n")
                .hasMessageContaining("class '2' is not one of the 2 class indices 0-1 named in " + dir.resolve("classes.txt"));
    }

    @Test
    void aYoloBoxReachingOutOfTheImage() {
        png(dir.resolve("images/a.png"), 10, 10);
        Path label = text(dir.resolve("labels/a.txt"), "0 0.1 0.5 0.5 0.2\n");
        fails(() -> DetectionSource.readYolo(dir, null, null, null)).hasMessageContaining(label.toString())
                .hasMessageContaining("has a box outside its 10x10 image");
    }

    @Test
    void aYoloLabelFileWithoutAnImage() {
        png(dir.resolve("images/a.png"), 10, 10);
        Path label = text(dir.resolve("labels/b.txt"), "0 0.5 0.5 0.1 0.1\n");
        fails(() -> DetectionSource.readYolo(dir, null, null, null)).hasMessageContaining("label file without an image")
                .hasMessageContaining(dir.resolve("images/b.*").toString()).hasMessageContaining(label.toString());
    }

    @Test
    void aVocFileWithoutASize() {
        png(dir.resolve("JPEGImages/a.png"), 10, 10);
        Path xml = text(dir.resolve("Annotations/a.xml"), "<annotation><filename>a.png</filename>"
                + vocObject("cat", false, 1, 1, 5, 5) + "</annotation>");
        fails(() -> DetectionSource.readVoc(dir, null, true)).hasMessageContaining("the VOC annotation has no <size>")
                .hasMessageContaining(xml.toString()).hasMessageContaining("<size><width>W</width>");
    }

    @Test
    void aVocFileWhoseImageIsMissing() {
        Path xml = text(dir.resolve("Annotations/a.xml"), vocXml("a.jpg", 10, 10));
        fails(() -> DetectionSource.readVoc(dir, null, true)).hasMessageContaining("the image of this annotation is missing")
                .hasMessageContaining(dir.resolve("JPEGImages/a.jpg").toString()).hasMessageContaining(xml.toString());
    }

    @Test
    void twoVocFilesNamingOneImageAreRefused() {
        png(dir.resolve("JPEGImages/a.png"), 10, 10);
        png(dir.resolve("JPEGImages/b.png"), 10, 10);
        Path a = text(dir.resolve("Annotations/a.xml"), vocXml("a.png", 10, 10, vocObject("cat", false, 1, 1, 5, 5)));
        Path b = text(dir.resolve("Annotations/b.xml"), vocXml("a.png", 10, 10, vocObject("cat", false, 2, 2, 6, 6)));
        fails(() -> DetectionSource.readVoc(dir, null, true))
                .hasMessageContaining("two annotation files name the image " + dir.resolve("JPEGImages/a.png") + ": " + a + " and " + b)
                .hasMessageContaining("correct its <filename>");
    }

    @Test
    void aVocListNamingAnImageWithoutAnnotation() {
        png(dir.resolve("JPEGImages/a.png"), 10, 10);
        text(dir.resolve("Annotations/a.xml"), vocXml("a.png", 10, 10));
        Path list = text(dir.resolve("ImageSets/Main/trainval.txt"), "a\nb\n");
        fails(() -> DetectionSource.readVoc(dir, null, true)).hasMessageContaining("line 2 names image 'b'")
                .hasMessageContaining(list.toString());
    }

    @Test
    void aVocFileWithADoctypeIsRefusedNotExpanded() {
        png(dir.resolve("JPEGImages/a.png"), 10, 10);
        Path xml = text(dir.resolve("Annotations/a.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<annotation><filename>&x;</filename></annotation>");
        fails(() -> DetectionSource.readVoc(dir, null, true)).hasMessageContaining("not well-formed XML")
                .hasMessageContaining(xml.toString());
    }

    @Test
    void aCocoFileWithoutAnnotationsIsRefusedNotTrainedOn() {
        png(dir.resolve("b.png"), 40, 20);
        Path json = text(dir.resolve("c.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}, {\"id\": 2, \"file_name\":"
                + " \"b.png\"}], \"annotations\": [], \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        png(dir.resolve("a.png"), 40, 20);
        fails(() -> DetectionSource.readCoco(json, null, null, null))
                .hasMessageContaining("the detection data has no box: all 2 images are without boxes (the COCO file's \"annotations\" array lists none): "
                        + json)
                .hasMessageContaining("check that you exported the right split");
    }

    @Test
    void aCocoTestSetWithoutBoxesIsRefusedTooForThereIsNothingToFind() {
        Path json = coco("");
        fails(() -> DetectionSource.readCoco(json, null, null, List.of("cat"))).hasMessageContaining("the test set has no box")
                .hasMessageContaining(json.toString()).hasMessageContaining("nothing to evaluate a detector on");
    }

    @Test
    void aVocFolderWithoutObjectsIsRefused() {
        for (String id : new String[] {"a", "b"}) {
            png(dir.resolve("JPEGImages/" + id + ".png"), 10, 10);
            text(dir.resolve("Annotations/" + id + ".xml"), vocXml(id + ".png", 10, 10));
        }
        fails(() -> DetectionSource.readVoc(dir, null, true))
                .hasMessageContaining("all 2 images are without boxes (no XML file in Annotations/ holds an <object>): " + dir);
    }

    @Test
    void aVocFolderWhoseBoxesAreAllDifficultIsRefused() {
        png(dir.resolve("JPEGImages/a.png"), 10, 10);
        text(dir.resolve("Annotations/a.xml"), vocXml("a.png", 10, 10, vocObject("cat", true, 1, 1, 5, 5)));
        fails(() -> DetectionSource.readVoc(dir, null, true))
                .hasMessageContaining("has no box that counts: all 1 of its boxes are marked to ignore")
                .hasMessageContaining("difficult 0");
    }

    @Test
    void aYoloFolderWhoseLabelFilesAreAllEmptyIsRefused() {
        png(dir.resolve("images/a.png"), 10, 10);
        png(dir.resolve("images/b.png"), 10, 10);
        text(dir.resolve("classes.txt"), "cat\n");
        text(dir.resolve("labels/a.txt"), "\n");
        fails(() -> DetectionSource.readYolo(dir, null, null, null))
                .hasMessageContaining("(every label file in " + dir.resolve("labels") + " is empty or missing): " + dir);
    }
}
