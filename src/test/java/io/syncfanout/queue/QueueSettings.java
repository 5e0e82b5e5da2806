package io.syncfanout.queue;

import java.time.Duration;

/**
 * A source queue and its dead-letter queue, with the settings infra/main.tf gives them: names
 * {@code name} and {@code name-dlq} ({@code .fifo} on both for FIFO), the redrive policy's
 * {@code maxReceiveCount}, and the visibility timeout from the module's rule.
 *
 * @param functionTimeout the function timeout the queue is sized for
 */
public record QueueSettings(String name, boolean fifo, Duration functionTimeout, Duration visibilityTimeout, int maxReceiveCount) {

    /** infra/'s defaults: a 30 s timeout (20 on FIFO), visibility 200 s (6 x timeout on FIFO), 5 receives (3 on FIFO). */
    public static QueueSettings infraDefaults(String name, boolean fifo) {
        Duration timeout = Duration.ofSeconds(fifo ? 20 : 30);
        return new QueueSettings(name, fifo, timeout, fifo ? timeout.multipliedBy(6) : Duration.ofSeconds(200), fifo ? 3 : 5);
    }

    /**
     * Scaled down for a test, by infra/'s rule for the visibility timeout: at least 6 x the function
     * timeout plus the batching window (AWS: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
     */
    public static QueueSettings scaled(String name, boolean fifo, Duration functionTimeout, Duration window, int maxReceiveCount) {
        return new QueueSettings(name, fifo, functionTimeout, functionTimeout.multipliedBy(6).plus(window), maxReceiveCount);
    }

    public QueueSettings withVisibilityTimeout(Duration timeout) {
        return new QueueSettings(name, fifo, functionTimeout, timeout, maxReceiveCount);
    }

    String sourceName() {
        return name + (fifo ? ".fifo" : "");
    }

    String deadLetterName() {
        return name + "-dlq" + (fifo ? ".fifo" : "");
    }
}
