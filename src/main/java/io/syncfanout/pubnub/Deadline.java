package io.syncfanout.pubnub;

import java.time.Duration;

/**
 * The moment an invocation's publishing must be over, on the monotonic clock, so that it can still
 * answer Lambda in time.
 *
 * @param description what set it, as a failure reason names it
 */
public record Deadline(long atNanos, String description) {

    public Duration remaining() {
        return Duration.ofNanos(atNanos - System.nanoTime());
    }

    public boolean hasPassed() {
        return System.nanoTime() - atNanos >= 0;
    }

    /** Whether something that takes {@code needed} can still finish before the deadline. */
    public boolean allows(Duration needed) {
        return remaining().compareTo(needed) >= 0;
    }
}
