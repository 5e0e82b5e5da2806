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
     * How long SQS keeps a record away after it failed for an outage (PubNub's 5xx, dropped connections,
     * the open circuit, the deadline behind them): ChangeMessageVisibility, growing with the record's
     * ApproximateReceiveCount, so that an outage does not burn the receives that would send a valid
     * record to the dead-letter queue. Invalid and refused records keep the queue's own visibility.
     */
    interface Redelivery {
        /** Off: every failed record comes back after the queue's visibility timeout. */
        @WithDefault("true")
        boolean backoffEnabled();

        /** The delay after a record's first receive fails. */
        @WithDefault("60s")
        Duration backoffBase();

        /** Each further receive multiplies it. */
        @WithDefault("6")
        int backoffMultiplier();

        /** The longest delay; SQS refuses a visibility timeout past 12 hours from the receive. */
        @WithDefault("11h")
        Duration backoffMax();

        /** The most the ChangeMessageVisibility call may take; Lambda's deadline bounds it too. */
        @WithDefault("1s")
        Duration callTimeout();
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
