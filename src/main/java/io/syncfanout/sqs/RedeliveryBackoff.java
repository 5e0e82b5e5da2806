package io.syncfanout.sqs;

import java.time.Duration;

/**
 * How long a record that failed for an outage stays away: {@code base} after its first failure,
 * multiplied by {@code multiplier} at each further one, at most {@code max}. On a standard queue the
 * failures are counted by parks, and each park's delay is also at most SQS's {@code DelaySeconds}
 * limit; on a FIFO queue by receives, delayed in place.
 */
public record RedeliveryBackoff(Duration base, int multiplier, Duration max) {

    /**
     * SQS: "The maximum visibility timeout for a message is 12 hours from the time the ReceiveMessage
     * request was received"; a few minutes are kept for the batching window and the invocation.
     * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html)
     */
    static final Duration SQS_VISIBILITY_LIMIT = Duration.ofHours(12).minusMinutes(5);
    /** SQS: {@code DelaySeconds} "Valid values: 0 to 900" (API_SendMessageBatchRequestEntry). */
    static final Duration SQS_DELAY_LIMIT = Duration.ofSeconds(900);

    /** The delay after the {@code failures}-th failure (1 for the first). */
    public Duration after(int failures) {
        Duration cap = max.compareTo(SQS_VISIBILITY_LIMIT) < 0 ? max : SQS_VISIBILITY_LIMIT;
        Duration delay = base;
        for (int i = 1; i < failures && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(multiplier);
        }
        return delay.compareTo(cap) < 0 ? delay : cap;
    }

    /** A park's {@code DelaySeconds} for a record parked {@code parkedBefore} times already. */
    public Duration park(int parkedBefore) {
        Duration delay = after(parkedBefore + 1);
        return delay.compareTo(SQS_DELAY_LIMIT) < 0 ? delay : SQS_DELAY_LIMIT;
    }

    /**
     * How long a FIFO record that fails at every receive holds its message group before the dead-letter
     * queue takes it: after each receive but the last, its delay or the queue's visibility timeout
     * (whichever is longer: the records behind it in the batch keep the visibility timeout, and the group
     * waits for them too); after the last, no delay (it would only postpone the dead-letter queue), the
     * visibility timeout alone. Invocations' own time comes on top.
     */
    public Duration fifoHold(int maxReceiveCount, Duration visibilityTimeout) {
        Duration hold = visibilityTimeout;
        for (int n = 1; n < maxReceiveCount; n++) {
            Duration delay = after(n);
            hold = hold.plus(delay.compareTo(visibilityTimeout) > 0 ? delay : visibilityTimeout);
        }
        return hold;
    }
}
