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
     * How long an invocation may take before it must answer, counted from its start: the Lambda
     * function's timeout less a margin. Funqy does not pass Lambda's remaining time to the function.
     */
    @WithDefault("25s")
    Duration timeBudget();

    Publish publish();

    Metrics metrics();

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
        /** Channels published at once; each channel's publishes still go one after another. */
        @WithDefault("32")
        int concurrency();

        /**
         * Per-attempt timeout. Also feeds SmallRye's {@code @Timeout} through application.properties,
         * so the deadline check and the interceptor agree.
         */
        @WithDefault("2000")
        long attemptTimeoutMs();

        /** Retries after a retryable failure: the seed's 3. Feeds {@code @Retry(maxRetries)}. */
        @WithDefault("3")
        int maxRetries();

        /** First backoff delay, doubled per retry and jittered: the seed's 100 ms. Feeds {@code @Retry(delay)}. */
        @WithDefault("100")
        long retryDelayMs();

        /** Kept free at the end of the budget for answering Lambda once the last publish is back. */
        @WithDefault("250ms")
        Duration deadlineMargin();

        /** The time left that an attempt needs before it may start: its timeout and the margin. */
        default Duration attemptNeeds() {
            return Duration.ofMillis(attemptTimeoutMs()).plus(deadlineMargin());
        }
    }
}
