package io.syncfanout.lambda;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.syncfanout.fanout.FailureKind;

/**
 * The one line per invocation an on-call engineer reads first: what came in, what went out, what
 * SQS will deliver again and why, and how PubNub behaved.
 *
 * @param failedByKind records in {@code batchItemFailures}, by why they are there
 * @param publishLatenciesMs each acknowledged publish's time from first attempt to acknowledgement
 * @param rateLimitedAnswers 429 answers to this invocation's attempts
 * @param rateLimitPausedMillis how long those 429s held publishing (the pacing is the instance's: they held every invocation's)
 * @param circuitOpened times this invocation's failures opened the circuit breaker
 * @param circuitOpen whether the circuit breaker (the instance's) was open when the invocation answered
 * @param deadlineMissing run by a Lambda Runtime API without Lambda's deadline read (amendment 17)
 * @param protocol what PubNub's answers to this invocation came over: {@code h2}, {@code http/1.1}, {@code mixed} or {@code none}
 * @param redelivered what became of the records that failed for an outage (sqs.Redeliveries)
 */
record InvocationSummary(int records, int superseded, int duplicates, int publishes, int retries, long bytes,
        Map<FailureKind, Integer> failedByKind, long millis, List<Long> publishLatenciesMs, long rateLimitedAnswers,
        long rateLimitPausedMillis, int circuitOpened, boolean circuitOpen, boolean deadlineMissing, String protocol,
        Redelivered redelivered) {

    /**
     * @param parked sent back to their queue and left out of the answer (standard queues)
     * @param delayed FIFO records whose redelivery SQS delayed in place
     * @param notDelayed records that were to be parked or delayed and could not be
     * @param ended records whose park is over, or whose receive was their FIFO queue's last
     */
    record Redelivered(int parked, int delayed, int notDelayed, int ended) {
        static final Redelivered NONE = new Redelivered(0, 0, 0, 0);
    }

    InvocationSummary {
        EnumMap<FailureKind, Integer> every = new EnumMap<>(FailureKind.class);
        for (FailureKind kind : FailureKind.values()) {
            every.put(kind, failedByKind.getOrDefault(kind, 0));
        }
        failedByKind = java.util.Collections.unmodifiableMap(every);
        publishLatenciesMs = List.copyOf(publishLatenciesMs);
    }

    /** Records not published, by any reason: those in batchItemFailures and those parked. */
    int failed() {
        return failedByKind.values().stream().mapToInt(Integer::intValue).sum();
    }

    int failed(FailureKind kind) {
        return failedByKind.get(kind);
    }

    String text() {
        StringBuilder line = new StringBuilder("sync-fanout invocation: records=").append(records)
                .append(" superseded=").append(superseded).append(" duplicates=").append(duplicates)
                .append(" publishes=").append(publishes).append(" retries=").append(retries).append(" bytes=").append(bytes)
                .append(" failed=").append(failed());
        failedByKind.forEach((kind, count) -> line.append(' ').append(kind.key()).append('=').append(count));
        return line.append(" rate_limited=").append(rateLimitedAnswers).append(" paused_ms=").append(rateLimitPausedMillis)
                .append(" circuit_opened=").append(circuitOpened).append(" circuit=").append(circuitOpen ? "open" : "closed")
                .append(" parked=").append(redelivered.parked()).append(" redelivery_delayed=").append(redelivered.delayed())
                .append(" redelivery_not_delayed=").append(redelivered.notDelayed()).append(" park_ended=").append(redelivered.ended())
                .append(" deadline_missing=").append(deadlineMissing ? 1 : 0).append(" protocol=").append(protocol)
                .append(" ms=").append(millis)
                .toString();
    }
}
