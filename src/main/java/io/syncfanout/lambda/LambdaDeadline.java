package io.syncfanout.lambda;

import java.time.Duration;
import java.util.OptionalLong;

import io.syncfanout.pubnub.Deadline;

/**
 * Lambda's deadline for the invocation running on this thread (contract, amendment 1), as the
 * runtime running the function hands it over: the managed Java runtime through its {@code Context}
 * ({@link RequestIdStreamHandler}), Quarkus's own poll loop on {@code provided.al2023} through the
 * Runtime API's {@code Lambda-Runtime-Deadline-Ms} header ({@link RuntimeApiDeadline}). Both run the
 * function on the thread that received the invocation.
 */
final class LambdaDeadline {

    private static final ThreadLocal<Long> EPOCH_MILLIS = new ThreadLocal<>();

    private LambdaDeadline() {
    }

    /** Lambda's deadline for the next invocation on this thread, in Unix milliseconds. */
    static void set(long epochMillis) {
        EPOCH_MILLIS.set(epochMillis);
    }

    /** The deadline handed over for this invocation, once: the next invocation brings its own. */
    static OptionalLong take() {
        Long epochMillis = EPOCH_MILLIS.get();
        EPOCH_MILLIS.remove();
        return epochMillis == null ? OptionalLong.empty() : OptionalLong.of(epochMillis);
    }

    /**
     * When publishing must be over: the earlier of {@code budget} from the start and Lambda's own
     * deadline ({@link #take()}), less {@code reserve} to answer in. Without Lambda's deadline (a
     * local run, a handler that does not pass it) the budget alone.
     */
    static Deadline forInvocation(long startNanos, Duration budget, OptionalLong lambda, Duration reserve) {
        long end = startNanos + budget.toNanos();
        String description = "the time budget (sync.time-budget)";
        if (lambda.isPresent()) {
            long lambdaEnd = System.nanoTime() + Duration.ofMillis(lambda.getAsLong() - System.currentTimeMillis()).toNanos();
            if (lambdaEnd - end < 0) {
                end = lambdaEnd;
                description = "Lambda's deadline (the function timeout, less the time kept to answer)";
            }
        }
        return new Deadline(end - reserve.toNanos(), description);
    }
}
