package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ResNet classifiers keep the parameter names and shapes that saved models hold: the digests
 * were taken from ResNetV1 before its stages were split out for the U-Net encoders.
 */
class ResNetV1LayoutTest {

    @ParameterizedTest(name = "resnet{0} smallStem={1}")
    @CsvSource({
        "18, false, 227dd27ee4096d3c6e695b4b57e982f565dcb0f10bc0469c3e11dccde487dff8",
        "18, true, 243c8c3182a4a65059b0482cd7070e041002ef9c3698a134135b65b0f0f92307",
        "34, false, b51c1c4a3ddb5bbc526e3824def40199c177b8fcc6b667f6fbf916ac2cc184ee",
        "50, false, 9b44b7d9f40bbc63bf3fddcd4c3fa10e7677a3cdf8ebe00195f3caf62600d787",
        "50, true, 4930a900b7ba72c6de1fbcf94b700474c74d4770e0122d9b96439cfaabfa494f",
    })
    void parameterNamesAndShapesAreUnchanged(int depth, boolean smallStem, String digest) {
        Block block = ResNetV1.build(depth, 8, smallStem, 10, ModelSpec.DEFAULT_BATCH_NORM_MOMENTUM, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            StringBuilder layout = new StringBuilder();
            for (Pair<String, Parameter> p : block.getParameters()) {
                layout.append(p.getKey()).append(' ').append(p.getValue().getArray().getShape()).append('\n');
            }
            assertThat(sha256(layout.toString())).isEqualTo(digest);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
