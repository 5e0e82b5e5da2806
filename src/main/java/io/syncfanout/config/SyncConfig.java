package io.syncfanout.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How records are planned into publishes and how long an invocation may take (contract, section 5). */
@ConfigMapping(prefix = "sync")
public interface SyncConfig {

    Batch batch();

    /** Publish only the newest progress update per channel and content (contract, section 2). */
    @WithDefault("true")
    boolean coalesceProgress();

    /**
     * The most an invocation may take, counted from its start. Lambda's own deadline, less
     * {@code sync.publish.deadline-margin}, bounds it too when the runtime passes it on (contract,
     * amendment 1): the function answers by whichever comes first.
     */
    @WithDefault("15m")
    Duration timeBudget();

    Publish publish();

    Metrics metrics();

    Redelivery redelivery();

    /**
     * What happens to a record that failed for an outage of PubNub's (amendment 20: 5xx, refused or reset
     * connections, no answer, the open circuit, the deadline behind them), so that an outage spends
     * neither the receives that send a valid record to the dead-letter queue nor SQS's in-flight quota.
     * On a standard queue it is parked: sent back to its queue with {@code DelaySeconds}, and left out of
     * the answer once SQS has it. On a FIFO queue its redelivery is delayed in place
     * (ChangeMessageVisibility). Invalid, refused and rate-limited records keep the queue's own way.
     * docs/operations.md#outages-and-the-dead-letter-queue.
     */
    interface Redelivery {
        /** Off: every failed record comes back after the queue's visibility timeout. */
        @WithDefault("true")
        boolean backoffEnabled();

        /** The delay after a record's first failure (first park, or first receive on FIFO). At least 1 s. */
        @WithDefault("60s")
        Duration backoffBase();

        /** Each further failure multiplies it. At least 1. */
        @WithDefault("6")
        int backoffMultiplier();

        /**
         * The longest one delay. A park's is at most 15 minutes anyway (SQS's {@code DelaySeconds});
         * on FIFO it is what infra/'s hold rule counts. At most 11 h 55 min (SQS allows 12 h from a receive).
         */
        @WithDefault("15m")
        Duration backoffMax();

        /**
         * How long a record may stay parked, from its first park: then it takes the queue's ordinary way
         * to the dead-letter queue. Keep it well inside the source queue's retention (infra/ checks).
         */
        @WithDefault("6h")
        Duration parkLimit();

        /**
         * The source queue's {@code maxReceiveCount} (infra/ sets it): on FIFO the last receive is not
         * delayed, since the next one moves the record to the dead-letter queue. Unset: always delayed.
         */
        java.util.OptionalInt maxReceiveCount();

        /**
         * SQS calls at once: a batch of 1,000 failed records is 100 calls of 10. At a 15 ms round trip
         * 16 parked 1,000 records in about 340 ms here, 8 in 650 ms, 32 in 300 (RedeliveriesTest's rig).
         */
        @WithDefault("16")
        int concurrency();

        /** The most one SQS call may take; Lambda's deadline bounds it too. */
        @WithDefault("1s")
        Duration callTimeout();

        /**
         * Kept free before the deadline to park or delay records, on top of the answer's reserve: a
         * round of calls to SQS, and for each record of the batch, were it to fail, its share of the
         * calls. Below one vCPU the per-record part grows with the memory size's CPU share
         * (LambdaSizingConfigSourceFactory).
         */
        @WithDefault("300ms")
        Duration reserve();

        @WithDefault(ONE_VCPU_RESERVE_MICROS_PER_RECORD)
        long reserveMicrosPerRecord();

        String ONE_VCPU_RESERVE_MICROS_PER_RECORD = "250";

        /** All that is kept free before the deadline to park or delay the records of a batch of {@code records}. */
        default Duration reserveFor(int records) {
            return backoffEnabled() ? reserve().plusNanos(1_000L * reserveMicrosPerRecord() * records) : Duration.ZERO;
        }
    }

    interface Metrics {
        /** Whether the summary line carries CloudWatch Embedded Metric Format. */
        @WithDefault("true")
        boolean enabled();

        /** The CloudWatch namespace the metrics land in. */
        @WithDefault("SyncFanout")
        String namespace();
    }

    interface Batch {
        /** Items per publish. */
        @WithDefault("50")
        int maxMessages();

        /** POST body bytes per publish: PubNub's message size limit. */
        @WithDefault("32768")
        int maxBytes();
    }

    interface Publish {
        /** The defaults for one vCPU and more; LambdaSizingConfigSourceFactory scales them below it. */
        String ONE_VCPU_ATTEMPT_TIMEOUT_MS = "2000";
        String ONE_VCPU_ANSWER_MICROS_PER_RECORD = "60";

        /** Channels published at once; each channel's publishes still go one after another. */
        @WithDefault("32")
        int concurrency();

        /**
         * Per-attempt timeout. Also feeds SmallRye's {@code @Timeout} through application.properties,
         * so the deadline check and the interceptor agree.
         */
        @WithDefault(ONE_VCPU_ATTEMPT_TIMEOUT_MS)
        long attemptTimeoutMs();

        /** Retries after a retryable failure: the seed's 3. Feeds {@code @Retry(maxRetries)}. */
        @WithDefault("3")
        int maxRetries();

        /** First backoff delay, doubled per retry and jittered: the seed's 100 ms. Feeds {@code @Retry(delay)}. */
        @WithDefault("100")
        long retryDelayMs();

        /**
         * Kept free before the deadline to answer Lambda once publishing is over: settling what
         * came back, the answer itself.
         */
        @WithDefault("250ms")
        Duration deadlineMargin();

        /**
         * Kept free before the deadline, in addition, for each record of the batch: were it to fail,
         * its WARN line and its entry in the answer. Measured at about 60 µs on one vCPU; below one
         * vCPU it grows with the memory size's CPU share (LambdaSizingConfigSourceFactory).
         */
        @WithDefault(ONE_VCPU_ANSWER_MICROS_PER_RECORD)
        long answerMicrosPerRecord();

        /**
         * The least time left before the deadline in which an attempt still starts (amendment 18); its
         * timeout is then the time left, when that is shorter than {@code attempt-timeout-ms}.
         */
        @WithDefault("250ms")
        Duration minAttempt();

        /**
         * The longest a 429's {@code Retry-After} holds publishing (amendment 13): PubNub's answer is
         * honoured within reason, and no value of it can stall an instance.
         */
        @WithDefault("10s")
        Duration maxRateLimitPause();

        /** All that is kept free before the deadline for a batch of {@code records}. */
        default Duration answerReserve(int records) {
            return deadlineMargin().plusNanos(1_000L * answerMicrosPerRecord() * records);
        }
    }
}
