package io.syncfanout.pubnub;

/**
 * Why a publish attempt did not get PubNub's acknowledgement. The message is what the log and the
 * record's failure reason show: it never carries a key, a signature, a query string or a message
 * body ({@link Redaction}).
 */
public abstract sealed class PublishFailure extends RuntimeException
        permits PublishFailure.Retryable, PublishFailure.Rejected, PublishFailure.OutOfTime {

    PublishFailure(String message) {
        super(message, null, false, false);
    }

    /**
     * Worth another attempt, and not PubNub's fault as far as the function can tell: an answer that
     * is not PubNub's, a connection that failed some other way. The circuit breaker ignores these.
     */
    public static sealed class Retryable extends PublishFailure permits Outage, RateLimited, StaleConnection, Unanswered {
        public Retryable(String message) {
            super(message);
        }
    }

    /**
     * PubNub signalling an outage (contract, amendment 2): a 5xx answer, or a refused or reset
     * connection. The only failures the circuit breaker counts.
     */
    public static final class Outage extends Retryable {
        public Outage(String message) {
            super(message);
        }
    }

    /**
     * A first attempt whose connection was closed or reset under it: most likely a pooled connection
     * that a server or a load balancer dropped while it sat idle (or while Lambda froze the instance).
     * Tried again at once, on a new connection, and not counted as PubNub's outage: a dozen dead
     * connections after an idle minute are not PubNub failing. A retry that meets the same counts.
     */
    public static final class StaleConnection extends Retryable {
        public StaleConnection(String message) {
            super(message);
        }
    }

    /**
     * No answer from PubNub in time: the attempt timeout, or the time left before the deadline. The
     * circuit ignores it (it may be the function's own starved CPU, amendment 2), but a PubNub that
     * answers nothing for a whole invocation is down: its records may be parked (amendment 20).
     */
    public static final class Unanswered extends Retryable {
        public Unanswered(String message) {
            super(message);
        }
    }

    /** 429: PubNub asks the function to slow down, for {@code Retry-After} when it says so. */
    public static final class RateLimited extends Retryable {
        private final long retryAfterMillis;

        public RateLimited(String message, long retryAfterMillis) {
            super(message);
            this.retryAfterMillis = retryAfterMillis;
        }

        /** What {@code Retry-After} asked for, or 0. */
        public long retryAfterMillis() {
            return retryAfterMillis;
        }
    }

    /** A 4xx other than 429: the same request would be refused again. */
    public static final class Rejected extends PublishFailure {
        private final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }

        public boolean isPayloadTooLarge() {
            return status == 413;
        }
    }

    /** Not attempted (again): the deadline leaves no room for another attempt. */
    public static final class OutOfTime extends PublishFailure {
        public OutOfTime(String message) {
            super(message);
        }
    }
}
