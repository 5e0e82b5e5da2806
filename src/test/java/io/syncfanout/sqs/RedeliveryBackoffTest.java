package io.syncfanout.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RedeliveryBackoffTest {

    private static final RedeliveryBackoff DEFAULTS = new RedeliveryBackoff(Duration.ofSeconds(60), 6, Duration.ofHours(11));
    /** infra/'s maxReceiveCount on a standard queue. */
    private static final int INFRA_MAX_RECEIVE_COUNT = 5;

    @Test
    void theDelayGrowsWithEachReceiveUpToItsCap() {
        assertEquals(List.of(60L, 360L, 2_160L, 12_960L, 39_600L, 39_600L),
                List.of(1, 2, 3, 4, 5, 6).stream().map(n -> DEFAULTS.after(n).toSeconds()).toList());
    }

    @Test
    void withInfrasDefaultsAnOutageOfSeveralHoursDeadLettersNothingValid() {
        Duration riddenOut = DEFAULTS.outageRiddenOut(INFRA_MAX_RECEIVE_COUNT);
        assertEquals(Duration.ofSeconds(60 + 360 + 2_160 + 12_960), riddenOut);
        assertTrue(riddenOut.compareTo(Duration.ofHours(4)) > 0, "docs/operations.md says more than 4 hours: " + riddenOut);
    }

    @Test
    void noDelayGoesPastWhatSqsAllowsAfterAReceive() {
        RedeliveryBackoff greedy = new RedeliveryBackoff(Duration.ofHours(2), 10, Duration.ofHours(48));
        assertEquals(Duration.ofHours(12).minusMinutes(5), greedy.after(3), "SQS refuses more than 12 hours from the receive");
        assertEquals(Duration.ofHours(2), greedy.after(0), "a missing receive count is the first receive");
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
