package io.syncfanout.capacity;

import io.syncfanout.capacity.Simulation.Result;

/** What can hold records up in the simulator, and the setting that moves it. */
public enum Limit {

    FIFO_GROUPS("more message groups (the producer's `MessageGroupId`)"),
    POLLER_THROUGHPUT("more pollers: for a burst a higher `provisioned_pollers.minimum` (up to 200; they grow 100 a minute), for a steady load a higher maximum"),
    SCALE_UP("`provisioned_pollers`: a higher floor (minimum) and 1,000 a minute growth"),
    COLD_STARTS("the native build (or SnapStart for the JVM), a larger `memory_size`"),
    MAXIMUM_POLLERS("a higher `provisioned_pollers.maximum`"),
    MAXIMUM_CONCURRENCY("raise `maximum_concurrency` (up to 1,000), or leave it unset"),
    ACCOUNT_CONCURRENCY("a higher Lambda concurrency quota for the account (Service Quotas)"),
    MAPPING_CEILING("`provisioned_pollers` (up to 10 invocations a poller), or a second queue");

    /** The setting that moves it, in the words of {@code infra/}'s variables. */
    public final String movedBy;

    Limit(String movedBy) {
        this.movedBy = movedBy;
    }

    /** How the report names it, with the run's own figure. */
    public String label(Result run) {
        TriggerSettings settings = run.settings();
        return switch (this) {
            case FIFO_GROUPS -> "FIFO message groups (" + run.load().users() + ")";
            case POLLER_THROUGHPUT -> "poller throughput (" + String.format(java.util.Locale.ROOT, "%,.0f",
                    Simulation.pollerMessagesPerSecond(run.load().messageBytes())) + " updates/s each: 1 MB/s, or 10 receives of 10)";
            case SCALE_UP -> "scale-up rate (+" + Math.round(60 * (settings.provisioned() ? Simulation.PROVISIONED_GROWTH_PER_SECOND
                    : Simulation.STANDARD_GROWTH_PER_SECOND)) + " a minute)";
            case COLD_STARTS -> "cold starts (" + Simulation.fmt(run.instance().coldSeconds()) + " s each)";
            case MAXIMUM_POLLERS -> "maximum pollers (" + settings.maximumPollers() + ", 10 invocations each)";
            case MAXIMUM_CONCURRENCY -> "maximum_concurrency (" + settings.maximumConcurrency() + ")";
            case ACCOUNT_CONCURRENCY -> "account concurrency (" + settings.accountConcurrency() + ")";
            case MAPPING_CEILING -> "the mapping's ceiling (1,250 concurrent invocations)";
        };
    }
}
