package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Origin;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public training API: a run through the builder, its listener, and cancellation with resume. */
class HoneApiTest {
    @TempDir
    Path tmp;

    /** Small and fast: fixed batch size, learning rate, schedule and optimizer, no regularization search. */
    static HoneTrainer.Builder tiny(Path data, Path out) {
        return Hone.trainer().setData(data).setModel("resnet9").optWidth(4).optEpochs(2).optBatchSize(16).optSeed(5)
                .optOptimizer("sgd-nesterov").optLearningRate(0.05).optSchedule("warmup-cosine").optRegularization(false)
                .optOut(out);
    }

    @Test
    void fitReturnsTheModelFolderTheRecordAndTheEvaluationAndTellsTheListener() {
        Path data = SyntheticData.folder(tmp.resolve("images"), 30, 12, 1);
        List<Decision<?>> decisions = new CopyOnWriteArrayList<>();
        List<EpochMetrics> epochs = new CopyOnWriteArrayList<>();
        List<Progress> progress = new CopyOnWriteArrayList<>();
        List<String> ends = new CopyOnWriteArrayList<>();
        TrainingResult result = tiny(data, tmp.resolve("run")).addListener(new TrainingListener() {
            @Override public void onDecision(Decision<?> d) { decisions.add(d); }
            @Override public void onEpoch(EpochMetrics m) { epochs.add(m); }
            @Override public void onProgress(Progress p) { progress.add(p); }
            @Override public void onTrainingEnd(String reason) { ends.add(reason); }
        }).build().fit();

        assertThat(result.outputDir()).isEqualTo(tmp.resolve("run").toAbsolutePath().normalize());
        assertThat(result.modelDir()).isEqualTo(result.outputDir().resolve("model"));
        assertThat(result.modelDir().resolve("hone-model.json")).exists();
        assertThat(result.modelDir().resolve("serving.properties")).exists();
        assertThat(result.record().epochs()).hasSize(2);
        assertThat(result.record().command()).contains("Java API");
        assertThat(result.evaluation().count()).isPositive();
        assertThat(result.evaluation().accuracy()).isBetween(0.0, 1.0);

        assertThat(epochs).isEqualTo(result.record().epochs());
        assertThat(ends).containsExactly("completed"); // nothing stopped training early: it ran its plan
        // every decision of the record reached the listener, each once
        assertThat(decisions.stream().map(Decision::name).toList())
                .containsExactlyInAnyOrderElementsOf(result.record().decisions().stream().map(Decision::name).toList());
        assertThat(decisions).anySatisfy(d -> {
            assertThat(d.name()).isEqualTo("batch-size");
            assertThat(d.origin()).isEqualTo(Origin.USER);
        });
        Progress last = progress.get(progress.size() - 1);
        assertThat(last.step()).isEqualTo(last.totalSteps());
        assertThat(last.fraction()).isEqualTo(1.0);
        assertThat(last.eta()).isZero();
        assertThat(progress).allSatisfy(p -> assertThat(p.eta().isNegative()).isFalse());
        assertThat(progress.get(0).epoch()).isEqualTo(1);
        assertThat(progress.get(0).batch()).isEqualTo(1);
    }

    @Test
    void aRunCancelledFromAnotherThreadResumesToTheWeightsOfARunNeverCancelled() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 40, 12, 2);
        Path cancelledOut = tmp.resolve("cancelled");
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        // holds training in epoch 2 until the other thread has cancelled, so the cancel lands mid-epoch
        TrainingListener pause = new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                if (p.epoch() == 2 && p.batch() == 2) {
                    reached.countDown();
                    await(cancelled);
                }
            }
        };
        HoneTrainer.Builder builder = tiny(data, cancelledOut).addListener(pause);
        HoneTrainer trainer = builder.build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TrainingResult> run = pool.submit(trainer::fit);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!reached.await(50, TimeUnit.MILLISECONDS) && !run.isDone() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (run.isDone()) {
                run.get(); // surfaces why training ended before epoch 2
            }
            assertThat(reached.getCount()).as("training reached epoch 2").isZero();
            trainer.cancel();
            cancelled.countDown();
            assertThatThrownBy(run::get).cause().isInstanceOfSatisfying(TrainingCancelledException.class, e -> {
                assertThat(e.completedEpochs()).isEqualTo(1);
                assertThat(e.getMessage()).contains("cancelled").contains("optResume(true)").contains(".cancelled.partial")
                        .doesNotContain("--resume");
                assertThat(e.workFolder()).isDirectory().isEqualTo(tmp.resolve(".cancelled.partial").toAbsolutePath().normalize());
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(cancelledOut).doesNotExist();
        Path checkpoint = tmp.resolve(".cancelled.partial").resolve("checkpoint").resolve("progress.json");
        assertThat(dev.hone.record.Json.mapper().readTree(checkpoint.toFile()).get("completedEpochs").asInt()).isEqualTo(1);

        TrainingResult resumed = tiny(data, cancelledOut).optResume(true).build().fit();
        TrainingResult straight = tiny(data, tmp.resolve("straight")).build().fit();

        assertThat(Files.readAllBytes(resumed.modelDir().resolve("model-0000.params")))
                .isEqualTo(Files.readAllBytes(straight.modelDir().resolve("model-0000.params")));
        assertThat(resumed.record().epochs()).hasSize(2);
        assertThat(resumed.evaluation().accuracy()).isEqualTo(straight.evaluation().accuracy());
        assertThat(resumed.record().decisions()).filteredOn(d -> d.name().equals("resume")).singleElement()
                .satisfies(d -> assertThat(d.rationale()).contains("stopped after epoch 1").contains("steps of its plan"));
        assertThat(straight.record().decisions()).noneMatch(d -> d.name().equals("resume"));
    }

    @Test
    void aTrainerWithoutDataOrModelSaysWhichIsMissingAndHow() {
        assertThatThrownBy(() -> Hone.trainer().setModel("resnet9").build())
                .isInstanceOf(HoneException.class).hasMessageContaining("setData");
        assertThatThrownBy(() -> Hone.trainer().setData(tmp).build())
                .isInstanceOf(HoneException.class).hasMessageContaining("setModel");
        assertThatThrownBy(() -> Hone.trainer().setData((Path) null).setModel("resnet9").build())
                .isInstanceOf(HoneException.class).hasMessageContaining("setData");
        assertThatThrownBy(() -> Hone.trainer().setData(tmp).setModel("resnet9").optEpochs(0).optOut(tmp.resolve("e0")).build()
                .fit()).isInstanceOf(HoneException.class).hasMessageStartingWith("optEpochs 0 is out of range");
        assertThatThrownBy(() -> Hone.trainer().setData(tmp).setModel("resnet9").optBudget(java.time.Duration.ZERO).build())
                .isInstanceOf(HoneException.class).hasMessageContaining("optBudget");
        assertThatThrownBy(() -> Hone.trainer().setData(tmp).setModel("resnet9").optBudget(java.time.Duration.ofMillis(100))
                .build()).isInstanceOf(HoneException.class).hasMessageContaining("optBudget(PT0.1S) is not a duration from 30 s");
    }

    @Test
    void anUnknownModelAndAMissingModelFolderSayItInTheApisTerms() {
        assertThatThrownBy(() -> Hone.trainer().setData(tmp).setModel("resnet999").optOut(tmp.resolveSibling(tmp.getFileName() + "-m")).build().fit())
                .isInstanceOf(HoneException.class).hasMessageStartingWith("unknown model \"resnet999\" given to setModel. Fix: use one"
                        + " of resnet9");
        Path nowhere = tmp.resolve("nowhere");
        assertThatThrownBy(() -> HoneModel.load(nowhere)).isInstanceOf(HoneException.class)
                .hasMessage("no trained model found: the folder does not exist: " + nowhere + ". Fix: pass the output folder of a"
                        + " finished training run (hone train's --out, the Java API's optOut; it holds model/hone-model.json)");
    }

    @Test
    void aMissingDataFolderIsAHoneExceptionNamingIt() {
        Path missing = tmp.resolve("no-such-folder");
        assertThatThrownBy(() -> tiny(missing, tmp.resolve("out")).build().fit())
                .isInstanceOf(HoneException.class).hasMessageContaining("no-such-folder").hasMessageContaining("Fix");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
