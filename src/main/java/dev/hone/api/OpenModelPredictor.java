package dev.hone.api;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.inference.streaming.StreamingTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * DJL's predictor, refusing to run once its {@link HoneModel} is closed: it throws an {@code IllegalStateException}
 * that names the model and the fix, where DJL's own would say only that an {@code NDManager} is closed.
 */
final class OpenModelPredictor<I, O> extends Predictor<I, O> {
    private final BooleanSupplier closed;
    private final String closedMessage;

    OpenModelPredictor(Model model, Translator<I, O> translator, BooleanSupplier closed, String closedMessage) {
        super(model, translator, model.getNDManager().getDevice(), false);
        this.closed = closed;
        this.closedMessage = closedMessage;
    }

    @Override
    public O predict(I input) throws TranslateException {
        checkOpen();
        return super.predict(input);
    }

    @Override
    public List<O> batchPredict(List<I> inputs) throws TranslateException {
        checkOpen();
        return super.batchPredict(inputs);
    }

    @Override
    public StreamingTranslator.StreamOutput<O> streamingPredict(I input) throws TranslateException {
        checkOpen();
        return super.streamingPredict(input);
    }

    private void checkOpen() {
        if (closed.getAsBoolean()) {
            throw new IllegalStateException(closedMessage);
        }
    }
}
