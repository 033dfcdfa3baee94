package dev.hone.data.detection;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which XML files of a VOC folder train and which test, from VOC's image-set lists.
 *
 * <p>{@code ImageSets/Main/} may hold {@code trainval.txt}, {@code train.txt}, {@code val.txt} and
 * {@code test.txt}, one image id (the XML file's name without {@code .xml}) per line; only the first
 * word of a line counts. Training reads {@code trainval.txt}, else {@code train.txt} and {@code val.txt}
 * together (hone holds its own validation split out of them), else every XML file not in
 * {@code test.txt}. {@code test.txt} gives the test set, unless a test set is given separately: then its
 * images are read by neither. Without any list every XML file trains.
 */
final class VocSplits {
    static final Path LISTS = Path.of("ImageSets", "Main");

    private VocSplits() {}

    /**
     * @param train the XML files to train on, in list order
     * @param test the XML files of {@code test.txt}, or null when there is none or a test set is given
     * @param testList {@code test.txt}, or null
     * @param unlisted whether no list names the training images (every XML file not in {@code test.txt} trains): the images
     *     without an XML file then train too, as negatives
     */
    record Lists(List<Path> train, List<Path> test, Path testList, boolean unlisted) {}

    /**
     * @param root the VOC folder
     * @param readTest whether {@code test.txt} gives the test set (no separate test set is given)
     * @throws HoneException naming the list file when it names an image without an XML file
     */
    static Lists of(Path root, boolean readTest) {
        Path main = root.resolve(LISTS);
        Path trainval = main.resolve("trainval.txt");
        Path train = main.resolve("train.txt");
        Path val = main.resolve("val.txt");
        Path test = main.resolve("test.txt");
        List<Path> testXml = Files.isRegularFile(test) ? xmls(root, test) : null;
        List<Path> trainXml;
        boolean unlisted = false;
        if (Files.isRegularFile(trainval)) {
            trainXml = xmls(root, trainval);
        } else if (Files.isRegularFile(train) || Files.isRegularFile(val)) {
            Set<Path> union = new LinkedHashSet<>();
            for (Path list : List.of(train, val)) {
                if (Files.isRegularFile(list)) {
                    union.addAll(xmls(root, list));
                }
            }
            trainXml = List.copyOf(union);
        } else {
            Set<Path> held = testXml == null ? Set.of() : Set.copyOf(testXml);
            trainXml = VocAnnotations.allXml(root).stream().filter(p -> !held.contains(p)).toList();
            unlisted = true;
        }
        if (trainXml.isEmpty()) {
            throw HoneException.of("the VOC folder has no training images (every annotation is in test.txt)", main,
                    "list the training images in trainval.txt, or point --data at a folder with training annotations");
        }
        return new Lists(trainXml, readTest ? testXml : null, testXml == null ? null : test, unlisted);
    }

    /** Whether a VOC folder given as {@code --test} has no {@code test.txt}: all its images test, those without XML too. */
    static boolean testUnlisted(Path root) {
        return !Files.isRegularFile(root.resolve(LISTS).resolve("test.txt"));
    }

    /** The test images of a VOC folder given as {@code --test}: {@code test.txt}'s, else every XML file. */
    static List<Path> testOnly(Path root) {
        Path test = root.resolve(LISTS).resolve("test.txt");
        return Files.isRegularFile(test) ? xmls(root, test) : VocAnnotations.allXml(root);
    }

    /** The XML files a list names, in its order. */
    static List<Path> xmls(Path root, Path list) {
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HoneException("cannot read the image-set list (" + e + "): " + list + ". Fix: check that the file is readable", e);
        }
        Path annotations = root.resolve(VocAnnotations.ANNOTATIONS);
        List<Path> out = new ArrayList<>();
        java.util.Set<Path> listed = new java.util.HashSet<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            String id = line.split("\\s+")[0];
            Path xml = annotations.resolve(id + ".xml");
            if (!Files.isRegularFile(xml)) {
                throw HoneException.of("line " + (n + 1) + " names image '" + id + "', but " + xml + " does not exist", list,
                        "add the image's annotation, or delete the line");
            }
            if (listed.add(xml)) { // an id listed twice is read once
                out.add(xml);
            }
        }
        if (out.isEmpty()) {
            throw HoneException.of("the image-set list names no image", list, "list one image id per line, or delete the file");
        }
        return out;
    }
}
