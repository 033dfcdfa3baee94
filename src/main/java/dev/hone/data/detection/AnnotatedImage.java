package dev.hone.data.detection;

import java.nio.file.Path;

/**
 * One image and its boxes as an annotation file states them, before the image is decoded.
 *
 * @param image the image file
 * @param annotation where the boxes were read (the JSON, XML or label file), for messages
 * @param width the image's width as the annotation declares it, in pixels; 0 when it declares none
 * @param height the declared height in pixels; 0 when none
 * @param normalised whether the corners are fractions of the image's size (YOLO) rather than pixels
 * @param boxes rows of {@link dev.hone.data.ImageSet#BOX_FIELDS} floats {@code class, x1, y1, x2, y2, ignore}:
 *     the class an index into the source's own class names; corners in pixels of the image as shown
 *     ((0, 0) its top-left corner), or fractions of its size when {@code normalised}; not yet checked
 *     against the image
 */
record AnnotatedImage(Path image, Object annotation, int width, int height, boolean normalised, float[] boxes) {}
