package dev.hone.data.detection;

import dev.hone.core.HoneException;
import dev.hone.data.ImageFolderSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads Pascal VOC object annotations: one XML file per image in {@code Annotations/}, the images in
 * {@code JPEGImages/}.
 *
 * <p>An XML file names its image in {@code filename} (else the image shares the XML file's name up to
 * the extension), gives the image's size in {@code size/width} and {@code size/height}, and lists one
 * {@code object} per box: {@code name}, {@code difficult} (1 marks a box that neither trains nor counts:
 * ignore = 1) and {@code bndbox} with {@code xmin ymin xmax ymax}, VOC's 1-based inclusive pixel
 * numbers, read as the corners {@code xmin - 1, ymin - 1, xmax, ymax} of the image as shown ((0, 0) its
 * top-left corner). An XML file without objects is a negative, and so is an image of {@code JPEGImages/} without an
 * XML file in a folder without image-set lists ({@link #read(Path, List, boolean)}).
 *
 * <p>Class names: the sorted set of the object names found (of the files read), so the classes are only
 * those the data shows, whether or not they are VOC's 20. XML is parsed with DOCTYPEs and external
 * entities refused.
 */
final class VocAnnotations {
    /** The folder of XML files and the folder of images. */
    static final String ANNOTATIONS = "Annotations";
    static final String IMAGES = "JPEGImages";

    private VocAnnotations() {}

    /**
     * The images and the class names of a set of XML files.
     *
     * @param unannotated the images of {@code JPEGImages/} that no XML file names, read as negatives after the annotated
     *     ones (only when asked for: a folder without image-set lists)
     */
    record Read(List<AnnotatedImage> images, List<String> classNames, List<Path> unannotated) {}

    /** One XML file's image, size and objects, before class indices are assigned. */
    private record Parsed(Path image, Path xml, int width, int height, List<String> names, List<float[]> corners) {}

    /**
     * Reads the XML files {@code xmls}, in that order.
     *
     * @param root the VOC folder (holding {@code Annotations/} and {@code JPEGImages/})
     * @throws HoneException naming the XML file for malformed XML, a missing {@code size}, an object without
     *     a name or with a box that is not four numbers, an image that does not exist, or an image two files name
     */
    static Read read(Path root, List<Path> xmls) {
        return read(root, xmls, false);
    }

    /**
     * Reads the XML files {@code xmls}, in that order, and with {@code unannotated} the images of {@code JPEGImages/} that
     * none of them names, as negatives: LabelImg and similar tools write no XML for an image without objects, as YOLO's
     * tools write no label file and COCO lists an image without annotations.
     */
    static Read read(Path root, List<Path> xmls, boolean unannotated) {
        DocumentBuilder parser = parser();
        List<Parsed> parsed = new ArrayList<>(xmls.size());
        TreeSet<String> names = new TreeSet<>();
        java.util.Map<Path, Path> xmlOfImage = new java.util.HashMap<>();
        for (Path xml : xmls) {
            Parsed p = parse(parser, root, xml);
            Path other = xmlOfImage.putIfAbsent(p.image().toAbsolutePath().normalize(), xml);
            if (other != null) {
                throw HoneException.of("two annotation files name the image " + p.image() + ": " + other + " and " + xml
                        + ", so each one's boxes would be trained on the other's picture too", xml, "give each image one XML file;"
                        + " if one is a copy of the other (as annotation tools make), correct its <filename> or delete it");
            }
            names.addAll(p.names());
            parsed.add(p);
        }
        List<String> classNames = List.copyOf(names);
        List<AnnotatedImage> images = new ArrayList<>(parsed.size());
        for (Parsed p : parsed) {
            float[] boxes = new float[p.names().size() * 6];
            for (int k = 0; k < p.names().size(); k++) {
                float[] c = p.corners().get(k);
                boxes[k * 6] = classNames.indexOf(p.names().get(k));
                System.arraycopy(c, 0, boxes, k * 6 + 1, 5);
            }
            images.add(new AnnotatedImage(p.image(), p.xml(), p.width(), p.height(), false, boxes));
        }
        List<Path> negatives = new ArrayList<>();
        if (unannotated) {
            // an image is annotated when any XML file (one of test.txt's, or one a list leaves out, too) names it in its
            // <filename> or shares its stem: a test image must never train as a negative
            java.util.Set<Path> named = new java.util.HashSet<>();
            parsed.forEach(p -> named.add(p.image().toAbsolutePath().normalize()));
            java.util.Set<Path> read = new java.util.HashSet<>(xmls);
            java.util.Set<String> stems = new java.util.HashSet<>();
            for (Path x : allXml(root)) {
                stems.add(stem(x));
                if (!read.contains(x)) {
                    String filename = filenameOf(parser, x);
                    if (filename != null && !filename.isEmpty()) {
                        try {
                            named.add(root.resolve(IMAGES).resolve(filename).toAbsolutePath().normalize());
                        } catch (java.nio.file.InvalidPathException e) {
                            // a name no file can have names no image here
                        }
                    }
                }
            }
            Path dir = root.resolve(IMAGES);
            for (Path image : Files.isDirectory(dir) ? ImageFolderSource.sorted(dir) : List.<Path>of()) {
                if (Files.isRegularFile(image) && !ImageFolderSource.isHidden(image) && ImageFolderSource.hasImageExtension(image)
                        && !named.contains(image.toAbsolutePath().normalize()) && !stems.contains(stem(image))) {
                    negatives.add(image);
                    images.add(new AnnotatedImage(image, dir + " (no XML file in " + ANNOTATIONS + "/)", 0, 0, false, new float[0]));
                }
            }
        }
        return new Read(images, classNames, List.copyOf(negatives));
    }

    /**
     * The {@code <filename>} an XML file gives, or null when it gives none or cannot be parsed (a file this read does not use;
     * its image, when it shares the XML's stem, is still kept out of the negatives).
     */
    private static String filenameOf(DocumentBuilder parser, Path xml) {
        try {
            return text(child(parser.parse(xml.toFile()).getDocumentElement(), "filename"));
        } catch (SAXException | IOException | RuntimeException e) {
            return null;
        }
    }

    /** A file's name up to its last dot. */
    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The XML files of {@code root/Annotations/}, in name order. */
    static List<Path> allXml(Path root) {
        Path dir = root.resolve(ANNOTATIONS);
        List<Path> out = ImageFolderSource.sorted(dir).stream()
                .filter(p -> Files.isRegularFile(p) && !ImageFolderSource.isHidden(p)
                        && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml"))
                .toList();
        if (out.isEmpty()) {
            throw HoneException.of("the VOC folder's Annotations/ holds no .xml files", dir,
                    "put one Pascal VOC XML file per image there");
        }
        return out;
    }

    private static Parsed parse(DocumentBuilder parser, Path root, Path xml) {
        Document doc;
        try {
            doc = parser.parse(xml.toFile());
        } catch (SAXException e) {
            throw HoneException.of("the VOC annotation is not well-formed XML (" + e.getMessage() + ")", xml,
                    "repair or re-export the file");
        } catch (IOException e) {
            throw new HoneException("cannot read the VOC annotation (" + e + "): " + xml + ". Fix: check that the file is readable", e);
        }
        Element annotation = doc.getDocumentElement();
        Element size = child(annotation, "size");
        int width = size == null ? 0 : wholeNumber(child(size, "width"));
        int height = size == null ? 0 : wholeNumber(child(size, "height"));
        if (width <= 0 || height <= 0) {
            throw HoneException.of("the VOC annotation has no " + (size == null ? "<size>" : "positive <size> <width> and <height>")
                    + ", which its boxes need to be placed", xml,
                    "add <size><width>W</width><height>H</height></size> with the image's size in pixels");
        }
        Path image = image(root, xml, text(child(annotation, "filename")));
        List<String> names = new ArrayList<>();
        List<float[]> corners = new ArrayList<>();
        for (Element object : children(annotation, "object")) {
            String name = text(child(object, "name"));
            if (name == null || name.isEmpty()) {
                throw HoneException.of("an <object> of " + image + " has no <name>", xml, "give every object its class name");
            }
            Element box = child(object, "bndbox");
            Double xmin = number(box, "xmin");
            Double ymin = number(box, "ymin");
            Double xmax = number(box, "xmax");
            Double ymax = number(box, "ymax");
            if (xmin == null || ymin == null || xmax == null || ymax == null) {
                throw HoneException.of("the '" + name + "' object of " + image + " has no <bndbox> with numbers xmin, ymin, xmax"
                        + " and ymax", xml, "give every object its box in pixels, or delete the object");
            }
            boolean difficult = "1".equals(text(child(object, "difficult")));
            names.add(name);
            corners.add(new float[] {(float) (xmin - 1), (float) (ymin - 1), xmax.floatValue(), ymax.floatValue(), difficult ? 1f : 0f});
        }
        return new Parsed(image, xml, width, height, names, corners);
    }

    /** {@code JPEGImages/<filename>}, else the image named as the XML file; refused when neither exists. */
    private static Path image(Path root, Path xml, String filename) {
        Path images = root.resolve(IMAGES);
        if (filename != null && !filename.isEmpty()) {
            Path named = images.resolve(filename);
            if (Files.isRegularFile(named)) {
                return named;
            }
        }
        String file = xml.getFileName().toString();
        String stem = file.substring(0, file.length() - ".xml".length());
        for (String ext : ImageFolderSource.EXTENSIONS_IN_ORDER) {
            for (String e : List.of(ext, ext.toUpperCase(Locale.ROOT))) {
                Path candidate = images.resolve(stem + "." + e);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw HoneException.of("the image of this annotation is missing: neither "
                + (filename == null || filename.isEmpty() ? "" : images.resolve(filename) + " nor ")
                + images.resolve(stem + ".*") + " exists", xml,
                "put the image in " + images + " under the XML's <filename>, or delete the XML file");
    }

    private static DocumentBuilder parser() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.ErrorHandler() { // the exception is the report: nothing on stderr
                @Override
                public void warning(org.xml.sax.SAXParseException e) {}

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser refuses its secure settings", e);
        }
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }

    private static Double number(Element box, String name) {
        String s = text(child(box, name));
        if (s == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A size field's whole number; 0 when absent or not a number (some exports write 500.0). */
    private static int wholeNumber(Element e) {
        String s = text(e);
        if (s == null) {
            return 0;
        }
        try {
            double v = Double.parseDouble(s);
            return v == Math.rint(v) && v > 0 && v < Integer.MAX_VALUE ? (int) v : 0;
        } catch (NumberFormatException ex) {
            return 0;
        }
    }
}
