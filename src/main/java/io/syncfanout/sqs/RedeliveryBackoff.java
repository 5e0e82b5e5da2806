package io.syncfanout.sqs;

import java.time.Duration;

/**
 * The delay before SQS delivers again a record that failed for an outage: {@code base} after its first
 * receive, multiplied by {@code multiplier} at each further receive, at most {@code max}. With the
 * defaults (60 s x 6) and infra/'s 5 receives, a record is received at 0 and after 1, 7, 43 and
 * 259 minutes: an outage shorter than 4.3 hours dead-letters nothing valid.
 */
public record RedeliveryBackoff(Duration base, int multiplier, Duration max) {

    /**
     * SQS: "The maximum visibility timeout for a message is 12 hours from the time the ReceiveMessage
     * request was received"; a few minutes are kept for the batching window and the invocation.
     * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html)
     */
    static final Duration SQS_LIMIT = Duration.ofHours(12).minusMinutes(5);

    /** The delay for a record received {@code receiveCount} times (1 on its first receive). */
    public Duration after(int receiveCount) {
        Duration cap = max.compareTo(SQS_LIMIT) < 0 ? max : SQS_LIMIT;
        Duration delay = base;
        for (int i = 1; i < receiveCount && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(multiplier);
        }
        return delay.compareTo(cap) < 0 ? delay : cap;
    }

    /**
     * The longest outage after which a record is still delivered: its last receive, the
     * {@code maxReceiveCount}-th, comes after the delays of the receives before it. Should that one fail
     * too, the next receive moves it to the dead-letter queue.
     */
    public Duration outageRiddenOut(int maxReceiveCount) {
        Duration total = Duration.ZERO;
        for (int n = 1; n < maxReceiveCount; n++) {
            total = total.plus(after(n));
        }
        return total;
    }
}
