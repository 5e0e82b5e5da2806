package io.syncfanout.pubnub;

import java.time.Duration;

/** The moment an invocation must have answered by, on the monotonic clock. */
public record Deadline(long atNanos) {

    public static Deadline after(Duration budget, long startNanos) {
        return new Deadline(startNanos + budget.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(atNanos - System.nanoTime());
    }

    /** Whether something that takes {@code needed} can still finish before the deadline. */
    public boolean allows(Duration needed) {
        return remaining().compareTo(needed) >= 0;
    }
}
