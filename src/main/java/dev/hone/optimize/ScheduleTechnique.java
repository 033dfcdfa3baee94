package dev.hone.optimize;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import java.util.Set;

/**
 * Sets the learning rate from a {@link Schedule} at the start of every batch, read at
 * {@link TrainingView#scheduleStep()}, so a re-plan to more steps does not raise the rate again.
 */
public final class ScheduleTechnique implements Technique {
    private final Schedule schedule;

    public ScheduleTechnique(Schedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_START;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        state.setLearningRate(state.learningRateScale() * schedule.at(state.scheduleStep(), state.scheduleTotal()));
    }

    @Override
    public Set<Trait> traits() {
        return Set.of(Trait.SETS_LEARNING_RATE);
    }
}
