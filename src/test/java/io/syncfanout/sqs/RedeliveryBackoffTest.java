package io.syncfanout.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RedeliveryBackoffTest {

    /** SyncConfig's defaults. */
    private static final RedeliveryBackoff DEFAULTS = new RedeliveryBackoff(Duration.ofSeconds(60), 6, Duration.ofMinutes(15));

    @Test
    void theDelayGrowsWithEachFailureUpToItsCap() {
        assertEquals(List.of(60L, 360L, 900L, 900L), List.of(1, 2, 3, 4).stream().map(n -> DEFAULTS.after(n).toSeconds()).toList());
    }

    @Test
    void aParksDelayIsAtMostWhatSqsTakesAsDelaySeconds() {
        RedeliveryBackoff longer = new RedeliveryBackoff(Duration.ofSeconds(60), 6, Duration.ofHours(2));
        assertEquals(List.of(60L, 360L, 900L, 900L), List.of(0, 1, 2, 3).stream().map(n -> longer.park(n).toSeconds()).toList());
        assertEquals(2_160L, longer.after(3).toSeconds(), "in place (FIFO) the cap is backoff-max");
    }

    /** docs/operations.md#fifo-queues and infra/'s hold rule: 120 + 360 + 120 s with the FIFO defaults. */
    @Test
    void aFifoRecordThatFailsAtEveryReceiveHoldsItsGroupForItsDelaysAndTheLastVisibilityTimeout() {
        assertEquals(Duration.ofSeconds(600), DEFAULTS.fifoHold(3, Duration.ofSeconds(120)));
        assertEquals(Duration.ofSeconds(120), DEFAULTS.fifoHold(1, Duration.ofSeconds(120)), "one receive: no delay at all");
    }

    @Test
    void noDelayGoesPastWhatSqsAllowsAfterAReceive() {
        RedeliveryBackoff greedy = new RedeliveryBackoff(Duration.ofHours(2), 10, Duration.ofHours(48));
        assertEquals(Duration.ofHours(12).minusMinutes(5), greedy.after(3), "SQS refuses more than 12 hours from the receive");
        assertEquals(Duration.ofHours(2), greedy.after(0), "a missing receive count is the first receive");
    }

    @Test
    void parkAttributesThatAreNotOursCountAsNeverParked() {
        assertEquals(new Redelivery.Park(2, 5L), Redelivery.Park.of("2", "5"));
        for (String[] forged : new String[][] { { "many", "5" }, { "2", null }, { "-1", "5" }, { "2", "0" }, { "1e3", "5" } }) {
            assertEquals(Redelivery.Park.NONE, Redelivery.Park.of(forged[0], forged[1]), String.join(",", java.util.Arrays.asList(forged)));
        }
    }

    @Test
    void aQueueArnNamesItsQueueUrl() {
        assertEquals("https://sqs.eu-west-1.amazonaws.com/123456789012/sync-fanout.fifo",
                QueueArn.parse("arn:aws:sqs:eu-west-1:123456789012:sync-fanout.fifo").url());
        assertEquals("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q", QueueArn.parse("arn:aws-cn:sqs:cn-north-1:123456789012:q").url());
        assertNull(QueueArn.parse("arn:aws:kinesis:eu-west-1:123456789012:stream/s"));
        assertNull(QueueArn.parse("not an arn"));
        assertNull(QueueArn.parse(null));
    }
}
