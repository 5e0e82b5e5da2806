package io.syncfanout.capacity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.syncfanout.capacity.Simulation.Result;

/**
 * The scenarios {@code docs/capacity.md} reports: steady loads and the season finale, each with the
 * module's defaults, with provisioned mode, and with the cheapest batching that keeps the oldest message
 * under the age goal.
 */
public final class Scenarios {

    /** The oldest message's age the tuned settings must stay under, at the 99th percentile. */
    static final double AGE_GOAL_SECONDS = 5;
    static final List<Integer> BATCHES = List.of(10, 100, 1_000, 5_000, 10_000);
    static final List<Double> WINDOWS = List.of(1.0, 2.0, 3.0, 4.0);

    private final List<InstanceCapacity> measured;

    public Scenarios(List<InstanceCapacity> measured) {
        this.measured = measured;
    }

    public static List<Load> loads() {
        return List.of(Load.steady(1_000, 600), Load.steady(10_000, 600), Load.steady(100_000, 600), Load.finale(2_000, 1_000_000, 600));
    }

    public Result run(TriggerSettings settings, Load load) {
        return new Simulation(InstanceCapacity.of(measured, settings.build(), settings.memoryMb()), settings, load).run();
    }

    /** The module's defaults. */
    public Result defaults(Load load) {
        return run(TriggerSettings.moduleDefaults(), load);
    }

    /** Provisioned mode with the module's default pollers (2 to 1,000), otherwise the module's defaults. */
    public Result provisioned(Load load) {
        return run(TriggerSettings.moduleProvisionedDefaults(), load);
    }

    /**
     * Of every batch size and window on a standard queue with no maximum_concurrency below the account's, the
     * cheapest (Lambda and SQS, x86_64) whose oldest message stays under the goal at the 99th percentile (a steady
     * load's past its ramp); if none does, the one with the youngest oldest message.
     */
    public Tuned tuned(Load load, TriggerSettings base) {
        List<Result> results = new ArrayList<>();
        for (int batch : BATCHES) {
            if (batch <= 10) {
                results.add(run(base.withMaximumConcurrency(null).withWindow(batch, 0), load));
            }
            for (double window : WINDOWS) {
                results.add(run(base.withMaximumConcurrency(null).withWindow(batch, window), load));
            }
        }
        Optional<Result> cheapest = results.stream().filter(r -> r.drained() && r.goalAge() < AGE_GOAL_SECONDS)
                .min(Comparator.comparingDouble(Scenarios::awsCost));
        return cheapest.map(r -> new Tuned(r, true))
                .orElseGet(() -> new Tuned(results.stream().min(Comparator.comparingDouble(Result::goalAge)).orElseThrow(), false));
    }

    /** A tuned run, and whether it met the age goal. */
    public record Tuned(Result result, boolean meetsGoal) {
    }

    static double awsCost(Result r) {
        Simulation.Cost cost = r.cost();
        return cost.lambdaX86() + cost.sqs();
    }
}
