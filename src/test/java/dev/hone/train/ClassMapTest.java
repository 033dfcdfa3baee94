package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data are evaluated in the model's class order: by name, and numbered masks by their values. */
class ClassMapTest {
    private static final List<String> MODEL = List.of("background", "disk", "square");

    private static ImageSet masks(List<String> names) {
        byte[] masks = new byte[2 * 4];
        for (int p = 0; p < masks.length; p++) {
            masks[p] = (byte) (p % names.size()); // every class in the first image
        }
        return new ImageSet(new byte[2 * 4], new int[2], 1, 2, 2, names, i -> "img" + i).withMasks(masks);
    }

    @Test
    void masksWithoutAClassNameFileKeepTheirValues() {
        // a test folder without classes.txt reads as 'class 0'..'class 2' (a review: evaluate refused the run's own test set)
        assertThat(TrainedModel.classMap(masks(List.of("class 0", "class 1", "class 2")), MODEL)).containsExactly(0, 1, 2);
        assertThat(TrainedModel.classMap(masks(List.of("class 0", "class 1")), MODEL)).containsExactly(0, 1);
        // 0/255 masks read without a class-name file are background and foreground: the model's two classes by value
        assertThat(TrainedModel.classMap(masks(List.of("background", "foreground")), List.of("background", "road")))
                .containsExactly(0, 1);
        // with more classes, the model's 255 is 'ignore' and its value 1 a class of its own: refused, not read as 'disk'
        assertThatThrownBy(() -> TrainedModel.classMap(masks(List.of("background", "foreground")), MODEL))
                .isInstanceOf(HoneException.class).hasMessageContaining("the masks hold only 0 and 255, read as background and"
                        + " foreground, but the model has 3 classes").hasMessageContaining("value 1 is 'disk'");
    }

    @Test
    void namedClassesMapByNameAndAnUnknownOneIsRefusedWithTheFix() {
        assertThat(TrainedModel.classMap(masks(List.of("square", "background", "disk")), MODEL)).containsExactly(2, 0, 1);
        // a class name decomposed (NFD, as a Mac's folders hold it) is the composed one the model knows
        ImageSet nfd = new ImageSet(new byte[4], new int[1], 1, 2, 2, List.of("cafe\u0301", "tea"), i -> "x");
        assertThat(TrainedModel.classMap(nfd, List.of("tea", "caf\u00e9"))).containsExactly(1, 0);
        assertThatThrownBy(() -> TrainedModel.classMap(masks(List.of("background", "cat")), MODEL)).isInstanceOf(HoneException.class)
                .hasMessageContaining("class 'cat' of the data is not one the model knows").hasMessageContaining(", e.g. the mask paired with img0.")
                .hasMessageContaining("classes.txt");
        // an IDX folder without classes.txt against a model with names: the message says to add the file
        ImageSet idx = new ImageSet(new byte[8], new int[] {0, 1}, 1, 2, 2, List.of("0", "1"), i -> "train-images-idx3-ubyte#" + i);
        assertThatThrownBy(() -> TrainedModel.classMap(idx, List.of("T-shirt", "Trouser"))).isInstanceOf(HoneException.class)
                .hasMessageContaining("the data's classes are numbers (an IDX folder without classes.txt)");
        // class folders named 0 and 1 read no classes.txt: their folders are to be named
        ImageSet folders = new ImageSet(new byte[8], new int[] {0, 1}, 1, 2, 2, List.of("0", "1"), i -> "digits/" + i + "/a.png");
        assertThatThrownBy(() -> TrainedModel.classMap(folders, List.of("T-shirt", "Trouser")))
                .hasMessageContaining("name its class folders or labels as the model's classes").hasMessageNotContaining("IDX");
        // more numbered classes than the model has: a value the model has no class for, named by its mask's image
        assertThatThrownBy(() -> TrainedModel.classMap(masks(List.of("class 0", "class 1", "class 2", "class 3")), MODEL))
                .isInstanceOf(HoneException.class).hasMessageContaining("the masks hold class values up to 3, more than the"
                        + " model's 3 classes").hasMessageContaining("e.g. the mask paired with img0");
    }
}
