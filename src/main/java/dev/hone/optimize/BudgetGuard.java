package dev.hone.optimize;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import java.time.Duration;

/**
 * The safety net under a planned budget: if steps run slower than measured (a busy machine), stop
 * at the deadline rather than overrun it. The schedule was planned to anneal by the planned last
 * step, so in the normal case this never fires.
 */
public final class BudgetGuard implements Technique {
    private final long deadlineNanos;
    private final Duration budget;

    /** @param trainingTime how long training may run from now */
    public BudgetGuard(Duration trainingTime, Duration budget) {
        this.deadlineNanos = System.nanoTime() + trainingTime.toNanos();
        this.budget = budget;
    }

    @Override
    public String name() {
        return "budget-guard";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_END;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        if (System.nanoTime() > deadlineNanos) {
            state.requestStop("time budget " + budget.toMinutes() + "m reached before the planned last step "
                    + "(steps ran slower than measured)");
        }
    }
}
