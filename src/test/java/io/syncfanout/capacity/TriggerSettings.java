package io.syncfanout.capacity;

/**
 * The function and its SQS trigger, as {@code infra/} sets them: the build and memory size, the batch
 * size and window, and either the standard mode's {@code maximum_concurrency} or provisioned pollers.
 *
 * @param maximumConcurrency null for none (the mapping's own ceiling); ignored in provisioned mode
 * @param minimumPollers null for the standard mode
 * @param accountConcurrency the account's concurrency quota in the region (AWS's default 1,000)
 */
public record TriggerSettings(boolean fifo, String build, int memoryMb, int batchSize, double windowSeconds, Integer maximumConcurrency,
        Integer minimumPollers, Integer maximumPollers, int timeoutSeconds, int accountConcurrency) {

    public TriggerSettings {
        // The limits AWS enforces on a mapping: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
        if (fifo && (batchSize > 10 || windowSeconds > 0)) {
            throw new IllegalArgumentException("a FIFO queue takes batches of at most 10 and no batching window");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batch size must be 1 to 10,000");
        }
        if (batchSize > 10 && windowSeconds < 1) {
            throw new IllegalArgumentException("a batch size over 10 needs a batching window of at least 1 s");
        }
        if (windowSeconds < 0 || windowSeconds > 300) {
            throw new IllegalArgumentException("the batching window must be 0 to 300 s");
        }
        if ((minimumPollers == null) != (maximumPollers == null)) {
            throw new IllegalArgumentException("provisioned mode needs both minimum and maximum pollers");
        }
        if (minimumPollers != null && (minimumPollers < 2 || minimumPollers > 200 || maximumPollers < minimumPollers)) {
            throw new IllegalArgumentException("minimum pollers must be 2 to 200, and the maximum at least the minimum");
        }
        if (minimumPollers != null && maximumConcurrency != null) {
            throw new IllegalArgumentException("maximum_concurrency and provisioned pollers are mutually exclusive");
        }
    }

    /** infra/'s defaults: native, 512 MB, batches of 1,000 within 1 s, maximum_concurrency 100, a 30 s timeout. */
    public static TriggerSettings moduleDefaults() {
        return new TriggerSettings(false, "native", 512, 1_000, 1, 100, null, null, 30, 1_000);
    }

    /** infra/'s provisioned_pollers defaults: 2 to 1,000 (1,000 pollers carry 100,000 small updates a second). */
    public static TriggerSettings moduleProvisionedDefaults() {
        return moduleDefaults().withPollers(2, 1_000);
    }

    /** infra/'s defaults before the capacity model: maximum_concurrency 10. */
    public static TriggerSettings formerDefaults() {
        return moduleDefaults().withMaximumConcurrency(10);
    }

    public boolean provisioned() {
        return minimumPollers != null;
    }

    public TriggerSettings withWindow(int batch, double window) {
        return new TriggerSettings(fifo, build, memoryMb, batch, window, maximumConcurrency, minimumPollers, maximumPollers, timeoutSeconds,
                accountConcurrency);
    }

    public TriggerSettings withMaximumConcurrency(Integer concurrency) {
        return new TriggerSettings(fifo, build, memoryMb, batchSize, windowSeconds, concurrency, null, null, timeoutSeconds, accountConcurrency);
    }

    public TriggerSettings withPollers(int minimum, int maximum) {
        return new TriggerSettings(fifo, build, memoryMb, batchSize, windowSeconds, null, minimum, maximum, timeoutSeconds, accountConcurrency);
    }

    public TriggerSettings withInstance(String build, int memoryMb) {
        return new TriggerSettings(fifo, build, memoryMb, batchSize, windowSeconds, maximumConcurrency, minimumPollers, maximumPollers,
                timeoutSeconds, accountConcurrency);
    }

    public String describe() {
        String mode = provisioned() ? "provisioned " + minimumPollers + "–" + maximumPollers + " pollers"
                : maximumConcurrency == null ? "no maximum_concurrency" : "maximum_concurrency " + maximumConcurrency;
        return String.format(java.util.Locale.ROOT, "%s %d MB, batch %d, window %s s, %s", build, memoryMb, batchSize,
                windowSeconds == Math.rint(windowSeconds) ? Integer.toString((int) windowSeconds) : Double.toString(windowSeconds), mode);
    }
}
