package io.syncfanout.fanout;

/**
 * Why a record is in {@code batchItemFailures}, by what an on-call engineer does about it: each
 * kind is a metric of its own ({@link EmbeddedMetrics}) and a line of the dashboard.
 */
public enum FailureKind {
    /** The record breaks the contract: a producer's bug; redelivery will not help. */
    INVALID("RecordsInvalid", "invalid"),
    /** PubNub refused the publish for good (a 4xx other than 429): keys, grants, size. */
    REFUSED("RecordsRefused", "refused"),
    /** Retries ran out on 5xx answers, timeouts, dropped connections or 429s. */
    UNDELIVERED("RecordsUndelivered", "undelivered"),
    /** Not attempted: the circuit breaker was open after PubNub's outage. */
    FAILED_FAST("RecordsFailedFast", "failed_fast"),
    /** Not attempted, or not answered, before the invocation's deadline. */
    OUT_OF_TIME("RecordsOutOfTime", "out_of_time"),
    /** Not published because a record before it in its FIFO message group failed. */
    BEHIND_FAILURE("RecordsBehindFailure", "behind_failure");

    private final String metric;
    private final String key;

    FailureKind(String metric, String key) {
        this.metric = metric;
        this.key = key;
    }

    /** The CloudWatch metric counting records that failed this way. */
    public String metric() {
        return metric;
    }

    /** The key in the summary line. */
    public String key() {
        return key;
    }
}
