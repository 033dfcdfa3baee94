package dev.hone.optimize;

import ai.djl.Model;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.models.ModelFactory;
import dev.hone.record.EpochMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Stops when the validation score (the task's metric: accuracy, ROC-AUC, mAP, mIoU) has not improved for
 * {@code patience} epochs, and puts back the
 * best epoch's weights at the end (Prechelt 1998: early stopping saves compute and is a regularizer).
 *
 * <p>The best weights are written beside the checkpoint, and the best epoch is recomputed from the
 * metrics history, so a resumed run stops and restores exactly as an uninterrupted one.
 */
public final class EarlyStopping implements Technique {
    private final Model model;
    private final int patience;
    private final Path bestFile;
    private double best = Double.NEGATIVE_INFINITY;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int restoredEpoch;
    private final String metric;

    /**
     * @param history epochs already done (resume), to recover the best epoch so far
     * @param metric the validation score's name, for the stop reason (e.g. {@code ROC-AUC})
     */
    public EarlyStopping(Model model, int patience, Path bestFile, List<EpochMetrics> history, String metric) {
        this.metric = metric;
        this.model = model;
        this.patience = patience;
        this.bestFile = bestFile;
        for (EpochMetrics m : history) {
            if (improves(m.valAccuracy(), m.valLoss())) {
                best = m.valAccuracy();
                bestLoss = m.valLoss();
                bestEpoch = m.epoch();
            }
        }
    }

    @Override
    public String name() {
        return "early-stopping";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.VALIDATION_END || event == Event.FIT_END;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        if (event == Event.VALIDATION_END) {
            if (improves(state.validationAccuracy(), state.validationLoss())) {
                best = state.validationAccuracy();
                bestLoss = state.validationLoss();
                bestEpoch = state.epoch();
                save();
            } else if (state.epoch() - bestEpoch >= patience && state.epoch() < state.totalEpochs()) {
                state.requestStop(String.format(java.util.Locale.ROOT, "early stopping: validation %s has not improved for %d"
                        + " epochs (best %.4f at epoch %d; an equal score counts as better at a lower validation loss)", metric,
                        patience, best, bestEpoch));
            }
        } else if (bestEpoch > 0 && bestEpoch < state.epoch() && Files.exists(bestFile)) {
            try (InputStream in = Files.newInputStream(bestFile)) {
                ModelFactory.readWeights(model, in);
                restoredEpoch = bestEpoch;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Higher accuracy, or equal accuracy at lower loss (a saturated accuracy must not freeze the best epoch). */
    private boolean improves(double accuracy, double loss) {
        return accuracy > best || (accuracy == best && loss < bestLoss);
    }

    /** The epoch whose weights were put back at the end, or 0 when the last epoch was the best. */
    public int restoredEpoch() {
        return restoredEpoch;
    }

    private void save() {
        Path tmp = bestFile.resolveSibling(bestFile.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ModelFactory.writeWeights(model, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, bestFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
