package dev.hone.data.detection;

import static dev.hone.data.detection.DetectionFiles.png;
import static dev.hone.data.detection.DetectionFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COCO JSON reads to boxes in stored pixels, crowd regions ignored, images without annotations kept. */
class CocoAnnotationsTest {
    @TempDir Path dir;

    static final String CATEGORIES = "\"categories\": [{\"id\": 3, \"name\": \"dog\"}, {\"id\": 1, \"name\": \"cat\"}]";

    /** Two 400x200 images: a.png with a cat and a crowd of dogs, b.png without annotations. */
    private Path export(Path folder) {
        png(folder.resolve("a.png"), 400, 200);
        png(folder.resolve("b.png"), 400, 200);
        return text(folder.resolve("_annotations.coco.json"), "{\"images\": ["
                + "{\"id\": 7, \"file_name\": \"a.png\", \"width\": 400, \"height\": 200},"
                + "{\"id\": 8, \"file_name\": \"b.png\", \"width\": 400, \"height\": 200}],"
                + "\"annotations\": ["
                + "{\"id\": 1, \"image_id\": 7, \"category_id\": 1, \"bbox\": [100, 50, 200, 100], \"iscrowd\": 0},"
                + "{\"id\": 2, \"image_id\": 7, \"category_id\": 3, \"bbox\": [0, 0, 50, 40], \"iscrowd\": 1}],"
                + CATEGORIES + "}");
    }

    @Test
    void boxesAreScaledWithTheImagesToTheStoredSize() {
        Path json = export(dir.resolve("train"));
        ImageSet set = DetectionSource.readCoco(json, null, null, null).images();

        assertThat(set.detection()).isTrue();
        // 400x200 shrinks to the 224-pixel cap: 224x112, a factor of 0.56 on both axes
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 112, 224));
        assertThat(set.classNames()).containsExactly("cat", "dog"); // categories in id order
        assertThat(set.size()).isEqualTo(2);
        float[] a = set.boxes()[0];
        assertThat(a).containsExactly(new float[] {0, 56, 28, 168, 84, 0, 1, 0, 0, 28, 22.4f, 1}, within(1e-4f));
        assertThat(set.boxes()[1]).isEmpty(); // a negative
        assertThat(set.labels()).containsExactly(0, 0); // a tie goes to the lower class; none gives 0
        assertThat(set.classCounts()).containsExactly(1, 1);
    }

    @Test
    void imagesResolveAgainstTheImagesFolderWhenGiven() {
        png(dir.resolve("pictures/a.png"), 40, 20);
        Path json = text(dir.resolve("annotations/instances.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}],"
                + "\"annotations\": [{\"image_id\": 1, \"category_id\": 3, \"bbox\": [4, 2, 10, 8]}]," + CATEGORIES + "}");
        ImageSet set = DetectionSource.readCoco(json, dir.resolve("pictures"), null, null).images();
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 20, 40));
        assertThat(set.boxes()[0]).containsExactly(1, 4, 2, 14, 10, 0);
        assertThat(set.labels()).containsExactly(1);
    }

    @Test
    void cocosOwnLayoutFindsTheImagesInTheSplitFolder() {
        png(dir.resolve("val2017/000000000139.png"), 40, 20);
        Path json = text(dir.resolve("annotations/instances_val2017.json"), "{\"images\": [{\"id\": 139, \"file_name\": "
                + "\"000000000139.png\"}], \"annotations\": [{\"image_id\": 139, \"category_id\": 1, \"bbox\": [0, 0, 4, 4]}], \"categories\": [{\"id\": 1, \"name\": \"person\", "
                + "\"supercategory\": \"person\"}, {\"id\": 2, \"name\": \"bicycle\", \"supercategory\": \"vehicle\"}]}");
        ImageSet set = DetectionSource.readCoco(json, null, null, null).images();
        assertThat(set.source(0)).isEqualTo(dir.resolve("val2017/000000000139.png").toString());
        assertThat(set.classNames()).containsExactly("person", "bicycle"); // unused, but no other's parent: kept
    }

    @Test
    void anUnusedParentCategoryIsLeftOut() {
        png(dir.resolve("a.png"), 40, 20);
        Path json = text(dir.resolve("c.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}],"
                + "\"annotations\": [{\"image_id\": 1, \"category_id\": 2, \"bbox\": [0, 0, 4, 4]}],"
                + "\"categories\": [{\"id\": 0, \"name\": \"cells\", \"supercategory\": \"none\"},"
                + "{\"id\": 1, \"name\": \"Platelets\", \"supercategory\": \"cells\"},"
                + "{\"id\": 2, \"name\": \"RBC\", \"supercategory\": \"cells\"}]}");
        ImageSet set = DetectionSource.readCoco(json, null, null, null).images();
        assertThat(set.classNames()).containsExactly("Platelets", "RBC");
        assertThat(set.boxes()[0]).containsExactly(1, 0, 0, 4, 4, 0);
    }

    @Test
    void aCornerOutsideByRoundingIsClipped() {
        png(dir.resolve("a.png"), 40, 20);
        Path json = text(dir.resolve("c.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 40, \"height\": 20}],"
                + "\"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [-0.4, 10, 40.6, 10.5]}]," + CATEGORIES + "}");
        ImageSet set = DetectionSource.readCoco(json, null, null, null).images();
        assertThat(set.boxes()[0]).containsExactly(0, 0, 10, 40, 20, 0);
    }

    @Test
    void aTestFileMapsItsCategoriesOntoTheTrainingClassesByName() {
        png(dir.resolve("a.png"), 40, 20);
        Path json = text(dir.resolve("test.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}],"
                + "\"annotations\": [{\"image_id\": 1, \"category_id\": 5, \"bbox\": [0, 0, 10, 10]}],"
                + "\"categories\": [{\"id\": 5, \"name\": \"dog\"}]}");
        ImageSet set = DetectionSource.readCoco(json, null, new ImageFormat(3, 10, 20), List.of("cat", "dog")).images();
        assertThat(set.classNames()).containsExactly("cat", "dog");
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(3, 10, 20));
        assertThat(set.boxes()[0]).containsExactly(1, 0, 0, 5, 5, 0);
    }
}
