package io.syncfanout.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.syncfanout.capacity.Simulation.Result;

/** The simulator's idea of infra/'s defaults is infra/'s, and they do what docs/capacity.md says they do. */
class ModuleDefaultsTest {

    static String variableDefault(String variables, String name) {
        Matcher m = Pattern.compile("variable \"" + name + "\" \\{.*?\\n  default\\s*=\\s*\"?([^\"\\n]+)\"?\\n", Pattern.DOTALL).matcher(variables);
        assertTrue(m.find(), "infra/variables.tf has no default for " + name);
        return m.group(1).trim();
    }

    @Test
    void theSimulatorsDefaultsAreInfrasDefaults() throws Exception {
        String variables = Files.readString(Path.of("infra/variables.tf"));
        String main = Files.readString(Path.of("infra/main.tf"));
        TriggerSettings defaults = TriggerSettings.moduleDefaults();
        assertEquals(defaults.build(), variableDefault(variables, "package"));
        assertEquals(defaults.memoryMb(), Integer.parseInt(variableDefault(variables, "memory_size")));
        assertTrue(main.contains("coalesce(var.timeout, var.fifo ? 20 : " + defaults.timeoutSeconds() + ")"), "timeout");
        assertTrue(main.contains("coalesce(var.batch_size, var.fifo ? 10 : " + defaults.batchSize() + ")"), "batch size");
        assertTrue(main.contains("coalesce(var.maximum_batching_window_in_seconds, " + (int) defaults.windowSeconds() + ")"), "window");
        assertTrue(main.contains("coalesce(var.maximum_concurrency, " + defaults.maximumConcurrency() + ")"), "maximum_concurrency");
        TriggerSettings provisioned = TriggerSettings.moduleProvisionedDefaults();
        assertTrue(variables.contains("minimum = optional(number, " + provisioned.minimumPollers() + ")")
                && variables.contains("maximum = optional(number, " + provisioned.maximumPollers() + ")"), "provisioned_pollers");
    }

    @Test
    void theDefaultsTakeTheFinaleAndTenThousandASecondOnTheMeasuredInstance() throws Exception {
        Scenarios scenarios = new Scenarios(InstanceCapacity.read(CapacityReport.BENCH));
        Result finale = scenarios.defaults(Load.finale(2_000, 1_000_000, 600));
        assertTrue(finale.p99Age() < Scenarios.AGE_GOAL_SECONDS, "finale p99 " + finale.p99Age());
        Result steady = scenarios.defaults(Load.steady(10_000, 600));
        assertTrue(steady.keptUp() && steady.steadyP99Age() < Scenarios.AGE_GOAL_SECONDS, "10,000/s p99 " + steady.steadyP99Age());
        // What the former default of 10 did to the same finale.
        Result former = scenarios.run(TriggerSettings.formerDefaults(), Load.finale(2_000, 1_000_000, 600));
        assertTrue(former.p99Age() > 30, "former finale p99 " + former.p99Age());
    }
}
