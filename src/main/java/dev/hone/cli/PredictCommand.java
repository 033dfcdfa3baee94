package dev.hone.cli;

import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.loop.Predictions;
import dev.hone.train.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hone predict}: top-k classes with probabilities for each image, resized to the model's input. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Classify images with a trained model.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "the --out folder of a finished run")
    Path modelDir;

    @Option(names = "--top", defaultValue = "3", description = "how many classes to show per image (default ${DEFAULT-VALUE})")
    int top;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "PNG or JPEG files")
    List<Path> images;

    @Override
    public Integer call() {
        try (TrainedModel model = TrainedModel.load(modelDir)) {
            ImageFormat format = model.descriptor().input();
            byte[] pixels = new byte[images.size() * format.imageBytes()];
            for (int i = 0; i < images.size(); i++) {
                ImageDecoder.decodeInto(images.get(i), format, pixels, i * format.imageBytes());
            }
            List<Path> files = new ArrayList<>(images);
            ImageSet set = new ImageSet(pixels, new int[images.size()], format.channels(), format.height(), format.width(),
                    model.descriptor().classes(), i -> files.get(i).toString());
            Predictions p = model.predict(set);
            PrintWriter out = spec.commandLine().getOut();
            List<String> classes = model.descriptor().classes();
            for (int i = 0; i < images.size(); i++) {
                float[] row = p.probabilities()[i];
                String best = IntStream.range(0, row.length).boxed()
                        .sorted(Comparator.comparingDouble((Integer k) -> row[k]).reversed())
                        .limit(Math.max(1, top))
                        .map(k -> String.format("%s %.3f", classes.get(k), row[k]))
                        .reduce((a, b) -> a + ", " + b).orElse("");
                out.println(images.get(i) + ": " + best);
            }
            out.flush();
        }
        return 0;
    }
}
