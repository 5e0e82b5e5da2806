package io.syncfanout.config;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Publishing defaults that fit the function's memory size (contract, amendment 3). Lambda gives CPU in
 * proportion to memory, 1,769 MB being one vCPU
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html">AWS</a>), and tells
 * the function its size in {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}. Below one vCPU, what takes the
 * function's own CPU takes longer, so two defaults grow: the attempt timeout, so that a cold JVM on a
 * fraction of a CPU is not taken for a slow PubNub (and retried for nothing), and the time kept to
 * answer, so that reporting a whole batch failed still ends before Lambda's deadline, and the time kept
 * to park or delay the records of a batch that failed for an outage. From one vCPU
 * up, the defaults of {@link SyncConfig} stand.
 * <p>
 * The publish concurrency does not follow the memory size: measured at 512 MB, fewer publishes in
 * flight took longer and more CPU, not less (docs/profiling.md).
 * <p>
 * Its ordinal is below application.properties and environment variables: any explicit setting wins.
 */
public class LambdaSizingConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 200;
    static final int ONE_VCPU_MB = 1_769;
    /** SyncConfig's defaults, for one vCPU and more. */
    static final long FULL_ATTEMPT_TIMEOUT_MS = Long.parseLong(SyncConfig.Publish.ONE_VCPU_ATTEMPT_TIMEOUT_MS);
    static final long FULL_ANSWER_MICROS_PER_RECORD = Long.parseLong(SyncConfig.Publish.ONE_VCPU_ANSWER_MICROS_PER_RECORD);
    static final long FULL_REDELIVERY_MICROS_PER_RECORD = Long.parseLong(SyncConfig.Redelivery.ONE_VCPU_RESERVE_MICROS_PER_RECORD);
    /**
     * Never longer: an attempt that may take most of a short function timeout leaves no room for the
     * others, and a stalled PubNub must still leave room for a retry.
     */
    static final long MAX_ATTEMPT_TIMEOUT_MS = 4_000;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue memory = context.getValue("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        if (memory == null || memory.getValue() == null) {
            return List.of();
        }
        int megabytes;
        try {
            megabytes = Integer.parseInt(memory.getValue().trim());
        } catch (NumberFormatException notLambdas) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(defaults(megabytes), "lambda-memory-size-defaults", ORDINAL));
    }

    /**
     * The publishing defaults for a memory size. The attempt timeout grows as the square root of the
     * CPU given up (at 512 MB, 0.29 vCPU: 3.7 s), not in proportion: an attempt waits mostly on
     * PubNub, and only its own part of the work slows down. The time kept to answer is CPU work alone,
     * and grows in proportion.
     */
    static Map<String, String> defaults(int megabytes) {
        double vcpus = Math.min(1.0, Math.max(0.05, (double) megabytes / ONE_VCPU_MB));
        long attemptTimeoutMs = Math.min(MAX_ATTEMPT_TIMEOUT_MS, Math.round(FULL_ATTEMPT_TIMEOUT_MS / Math.sqrt(vcpus) / 100.0) * 100);
        long answerMicros = Math.round(FULL_ANSWER_MICROS_PER_RECORD / vcpus);
        long redeliveryMicros = Math.round(FULL_REDELIVERY_MICROS_PER_RECORD / vcpus);
        return Map.of("sync.publish.attempt-timeout-ms", Long.toString(attemptTimeoutMs),
                "sync.publish.answer-micros-per-record", Long.toString(answerMicros),
                "sync.redelivery.reserve-micros-per-record", Long.toString(redeliveryMicros));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
