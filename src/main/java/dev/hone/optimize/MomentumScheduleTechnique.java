package dev.hone.optimize;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;

/**
 * Sets the optimizer's momentum from a {@link MomentumSchedule} at the start of every batch.
 *
 * <p>The momentum is not part of the training state, so this holds the optimizer itself; being a
 * pure function of the schedule's step ({@link TrainingView#scheduleStep()}), whose frame the loop's
 * checkpoint keeps, it needs nothing of its own checkpointed to resume exactly.
 */
public final class MomentumScheduleTechnique implements Technique {
    private final HoneOptimizer optimizer;
    private final MomentumSchedule schedule;

    public MomentumScheduleTechnique(HoneOptimizer optimizer, MomentumSchedule schedule) {
        this.optimizer = optimizer;
        this.schedule = schedule;
    }

    @Override
    public String name() {
        return "momentum-schedule";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_START;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        optimizer.setMomentum(schedule.at(state.scheduleStep(), state.scheduleTotal()));
    }
}
