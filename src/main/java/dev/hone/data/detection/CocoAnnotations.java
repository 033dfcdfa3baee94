package dev.hone.data.detection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a COCO object-detection JSON file ({@code images}, {@code annotations}, {@code categories}).
 *
 * <p>Each image's {@code file_name} is resolved against the images folder: the folder given with
 * {@code --images}; else the JSON file's own folder (the usual export layout,
 * {@code train/_annotations.coco.json} beside the images), and when the image is not there and the file is
 * COCO's own {@code annotations/instances_<split>.json}, the folder {@code <split>/} beside
 * {@code annotations/}. A {@code bbox} is {@code [x, y, width, height]} in pixels of the image as
 * shown, (0, 0) its top-left corner; the image's {@code width} and {@code height}, when given, must be
 * its size. {@code iscrowd: 1} marks a crowd region: the box is kept with ignore = 1. Class index k is
 * the category with the k-th smallest id, named by its {@code name}; a category that no annotation uses and
 * that is another category's {@code supercategory} (the parent category of Roboflow exports) is left out. Images listed without
 * annotations are negatives. Only boxes are read: segmentation polygons and keypoints are not.
 */
final class CocoAnnotations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CocoAnnotations() {}

    /** The images and the class names of one COCO file. */
    record Read(List<AnnotatedImage> images, List<String> classNames) {}

    /**
     * @param json the annotation file
     * @param imagesDir the folder {@code file_name} is relative to, or null for the JSON file's folder
     * @throws HoneException naming the file, and the image or annotation, when the JSON is malformed, lacks
     *     {@code images} or {@code categories}, repeats an image id, an image file or a category id, has an annotation whose
     *     image id or category id is not listed or whose {@code bbox} is not four numbers, or lists an image
     *     whose file does not exist
     */
    static Read read(Path json, Path imagesDir) {
        JsonNode root = parse(json);
        Path base = imagesDir != null ? imagesDir : json.toAbsolutePath().getParent();
        JsonNode imageList = array(root, "images", json);
        TreeMap<Long, String> categories = categories(root, json);
        dropUnusedParents(categories, root);
        Map<Long, Integer> classOf = new LinkedHashMap<>();
        for (Long id : categories.keySet()) {
            classOf.put(id, classOf.size());
        }
        List<String> names = List.copyOf(categories.values());
        Map<Long, Integer> indexOf = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        List<String[]> faults = new ArrayList<>(); // each: what, and its fix; refused together once all are read
        Map<Path, Long> idOfFile = new LinkedHashMap<>();
        for (JsonNode image : imageList) {
            long id = requireId(image, "entry " + (files.size() + 1) + " of \"images\""
                    + (image.path("file_name").isTextual() ? " (file_name " + image.get("file_name").asText() + ")" : ""), json);
            String fileName = image.path("file_name").asText("");
            if (fileName.isBlank()) {
                throw HoneException.of("image id " + id + " has no \"file_name\"", json,
                        "give every entry of \"images\" the file name of its image");
            }
            if (indexOf.putIfAbsent(id, files.size()) != null) {
                throw HoneException.of("image id " + id + " is listed twice in \"images\"", json, "give every image its own id");
            }
            Path file = base.resolve(fileName);
            if (!Files.isRegularFile(file) && imagesDir == null) {
                file = cocoLayout(json, fileName, file);
            }
            if (!Files.isRegularFile(file)) {
                faults.add(new String[] {"image id " + id + " names " + fileName + ", but " + file + " does not exist",
                        imagesDir != null ? "check --images: the image files must lie under " + imagesDir + " as file_name names them"
                                : "put the images beside the JSON file as file_name names them, or pass --images DIR for the"
                                        + " folder that holds them"});
            }
            Long other = idOfFile.putIfAbsent(file.toAbsolutePath().normalize(), id);
            if (other != null) {
                throw HoneException.of("image ids " + other + " and " + id + " both name the file " + fileName + ", so each id's"
                        + " boxes would be trained on the other's picture too", json, "list each image once in \"images\", and give"
                        + " all its annotations that one image_id");
            }
            files.add(file);
            sizes.add(new int[] {image.path("width").asInt(0), image.path("height").asInt(0)});
        }
        int missing = faults.size(); // every fault so far is an image file missing
        List<List<Float>> boxes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            boxes.add(new ArrayList<>());
        }
        JsonNode annotations = root.path("annotations");
        if (!annotations.isMissingNode() && !annotations.isArray()) {
            throw HoneException.of("\"annotations\" is not an array", json, "write the annotations as a JSON array");
        }
        for (JsonNode a : annotations) {
            String which = "annotation" + (a.has("id") ? " id " + a.get("id").asText() : "");
            long imageId = requireLong(a, "image_id", which, json);
            Integer i = indexOf.get(imageId);
            if (i == null) {
                faults.add(new String[] {which + " is for image id " + imageId + ", which \"images\" does not list",
                        "add the image to \"images\", or delete the annotation"});
                continue;
            }
            long categoryId = requireLong(a, "category_id", which, json);
            Integer cls = classOf.get(categoryId);
            if (cls == null) {
                faults.add(new String[] {which + " (of " + files.get(i).getFileName() + ") has category id " + categoryId
                        + ", which \"categories\" does not list (ids: " + categories.keySet() + ")",
                        "add the category to \"categories\", or correct the annotation's category_id"});
                continue;
            }
            JsonNode bbox = a.path("bbox");
            if (!bbox.isArray() || bbox.size() != 4 || !allNumbers(bbox)) {
                faults.add(new String[] {which + " (of " + files.get(i).getFileName() + ") has no \"bbox\" of four numbers [x, y,"
                        + " width, height]", "give every annotation its box as \"bbox\": [x, y, width, height] in pixels"});
                continue;
            }
            float x = (float) bbox.get(0).asDouble();
            float y = (float) bbox.get(1).asDouble();
            float w = (float) bbox.get(2).asDouble();
            float h = (float) bbox.get(3).asDouble();
            List<Float> row = boxes.get(i);
            row.add((float) cls);
            row.add(x);
            row.add(y);
            row.add(x + w);
            row.add(y + h);
            row.add(a.path("iscrowd").asInt(0) == 1 ? 1f : 0f);
        }
        int annotationFaults = faults.size() - missing;
        refuse(faults, (missing == 0 ? "" : missing + (missing == 1 ? " image file missing" : " image files missing"))
                + (missing > 0 && annotationFaults > 0 ? " and " : "") + (annotationFaults == 0 ? ""
                : annotationFaults + (annotationFaults == 1 ? " faulty annotation" : " faulty annotations")), json);
        List<AnnotatedImage> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            List<Float> row = boxes.get(i);
            float[] b = new float[row.size()];
            for (int k = 0; k < b.length; k++) {
                b[k] = row.get(k);
            }
            out.add(new AnnotatedImage(files.get(i), json, sizes.get(i)[0], sizes.get(i)[1], false, b));
        }
        if (out.isEmpty()) {
            throw HoneException.of("the COCO file lists no images", json, "list the images in \"images\"");
        }
        return new Read(out, names);
    }

    /**
     * Refuses the file when {@code faults} is not empty: one fault as it is, more counted, the first
     * {@link BoxGeometry#SHOWN} of them named, so that an export is corrected in one round.
     *
     * @param faults each fault's description and its fix; the distinct fixes are given together
     * @param what the faults counted by kind, e.g. "3 image files missing and 2 faulty annotations"
     */
    private static void refuse(List<String[]> faults, String what, Path json) {
        if (faults.isEmpty()) {
            return;
        }
        String fix = String.join("; ", faults.stream().map(f -> f[1]).distinct().toList());
        if (faults.size() == 1) {
            throw HoneException.of(faults.get(0)[0], json, fix);
        }
        int shown = Math.min(BoxGeometry.SHOWN, faults.size());
        throw HoneException.of(what + " (the first " + shown + ": " + String.join("; ", faults.subList(0,
                shown).stream().map(f -> f[0]).toList()) + (faults.size() > shown ? "; and " + (faults.size() - shown) + " more" : "")
                + ")", json, fix);
    }

    /**
     * Removes the categories no annotation uses that are another category's {@code supercategory}: the
     * parent category Roboflow's exports list first (id 0, e.g. "cells" over "Platelets" and "RBC"),
     * which would otherwise be a class without a single box. Keeps at least one category.
     */
    private static void dropUnusedParents(TreeMap<Long, String> categories, JsonNode root) {
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (JsonNode a : root.path("annotations")) {
            if (a.path("category_id").isIntegralNumber()) {
                used.add(a.get("category_id").asLong());
            }
        }
        java.util.Set<String> parents = new java.util.HashSet<>();
        for (JsonNode c : root.path("categories")) {
            String parent = c.path("supercategory").asText("").strip();
            if (!parent.equals(c.path("name").asText("").strip())) {
                parents.add(parent);
            }
        }
        categories.entrySet().removeIf(e -> categories.size() > 1 && !used.contains(e.getKey()) && parents.contains(e.getValue()));
    }

    /**
     * COCO's own layout, {@code annotations/instances_val2017.json} beside {@code val2017/}: the image in the
     * folder named after the part of the JSON file's name after {@code instances_}; else {@code fallback}.
     */
    private static Path cocoLayout(Path json, String fileName, Path fallback) {
        Path dir = json.toAbsolutePath().getParent();
        String name = json.getFileName().toString();
        if (dir.getParent() == null || !dir.getFileName().toString().equalsIgnoreCase("annotations")
                || !name.startsWith("instances_") || !name.endsWith(".json")) {
            return fallback;
        }
        String split = name.substring("instances_".length(), name.length() - ".json".length());
        Path candidate = dir.getParent().resolve(split).resolve(fileName);
        return Files.isRegularFile(candidate) ? candidate : fallback;
    }

    /** The categories by id, in id order. */
    private static TreeMap<Long, String> categories(JsonNode root, Path json) {
        TreeMap<Long, String> byId = new TreeMap<>();
        for (JsonNode c : array(root, "categories", json)) {
            long id = requireId(c, "an entry of \"categories\"", json);
            String name = c.path("name").asText("").strip();
            if (name.isEmpty()) {
                throw HoneException.of("category id " + id + " has no \"name\"", json, "give every category a name");
            }
            if (byId.put(id, name) != null) {
                throw HoneException.of("category id " + id + " is listed twice", json, "give every category its own id");
            }
            if (byId.values().stream().filter(name::equals).count() > 1) {
                throw HoneException.of("two categories are named '" + name + "'", json, "give every category its own name");
            }
        }
        if (byId.isEmpty()) {
            throw HoneException.of("\"categories\" lists no category", json, "list the classes in \"categories\" as {\"id\": 1, \"name\": \"cat\"}");
        }
        return byId;
    }

    private static JsonNode parse(Path json) {
        try {
            return JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            throw HoneException.of("the COCO file is not valid JSON (" + dev.hone.record.Json.describe(e) + ")", json,
                    "repair or re-export the file");
        } catch (IOException e) {
            throw new HoneException("cannot read the COCO file (" + e + "): " + json + ". Fix: check that the file is readable", e);
        }
    }

    private static JsonNode array(JsonNode root, String field, Path json) {
        JsonNode a = root.path(field);
        if (!a.isArray()) {
            throw HoneException.of("the COCO file has no \"" + field + "\" array", json,
                    "pass a COCO object-detection file, with \"images\", \"annotations\" and \"categories\"");
        }
        return a;
    }

    private static long requireId(JsonNode node, String what, Path json) {
        return requireLong(node, "id", what, json);
    }

    private static long requireLong(JsonNode node, String field, String what, Path json) {
        JsonNode v = node.path(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw HoneException.of(what + (v.isMissingNode() ? " has no \"" + field + "\"" : " has \"" + field + "\": " + v
                    + ", not a whole number"), json, "give it a whole-number \"" + field + "\", as COCO's ids are");
        }
        return v.asLong();
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode v : array) {
            if (!v.isNumber()) {
                return false;
            }
        }
        return true;
    }
}
