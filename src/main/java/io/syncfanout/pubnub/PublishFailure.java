package io.syncfanout.pubnub;

/**
 * Why a publish attempt did not get PubNub's acknowledgement. The message is what the log and the
 * record's failure reason show: it never carries a key, a signature or a message body.
 */
public abstract sealed class PublishFailure extends RuntimeException
        permits PublishFailure.Retryable, PublishFailure.Rejected, PublishFailure.OutOfTime {

    PublishFailure(String message) {
        super(message, null, false, false);
    }

    /** 5xx, 429, connection errors, an answer that is not PubNub's: worth another attempt. */
    public static final class Retryable extends PublishFailure {
        private final long retryAfterMillis;

        public Retryable(String message) {
            this(message, 0);
        }

        public Retryable(String message, long retryAfterMillis) {
            super(message);
            this.retryAfterMillis = retryAfterMillis;
        }

        /** What a 429's {@code Retry-After} asked for, or 0. */
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
