package dev.hone.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Copies values into a live array (a model's parameter) in place, so every holder of the array sees them.
 *
 * <p>DJL's {@code NDArray.set(Buffer)} would do it, but on PyTorch it enters the deprecated
 * {@code AutoNonVariableTypeMode} and libtorch prints a deprecation warning to the process's stderr in every run.
 * This copies with {@code index_put_} over the whole array ({@code "..."}) instead; like any in-place write to a
 * parameter it must run outside a {@code GradientCollector}.
 */
public final class InPlace {

    private InPlace() {}

    /**
     * Writes {@code values} into {@code target}; {@code values} stays open and may be closed at once after.
     *
     * @param values the values, of {@code target}'s shape and data type
     * @param target the array written, any shape
     * @throws IllegalArgumentException when the shapes or data types differ
     */
    public static void copy(NDArray values, NDArray target) {
        if (!values.getShape().equals(target.getShape()) || values.getDataType() != target.getDataType()) {
            throw new IllegalArgumentException("cannot copy " + values.getShape() + " " + values.getDataType()
                    + " into " + target.getShape() + " " + target.getDataType());
        }
        target.set(new NDIndex("..."), values);
    }
}
