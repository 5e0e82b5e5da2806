package io.syncfanout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Publishing defaults follow Lambda's memory size, and anything set explicitly wins. */
class LambdaSizingConfigSourceFactoryTest {

    private static SmallRyeConfig config(Map<String, String> environment, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(environment, "env", 300))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new LambdaSizingConfigSourceFactory())
                .build();
    }

    @ParameterizedTest(name = "{0} MB")
    @CsvSource({ "128, 4000, 829", "512, 3700, 207", "1024, 2600, 104", "1769, 2000, 60", "3008, 2000, 60", "10240, 2000, 60" })
    void belowOneVcpuLongerAttemptsAndMoreTimeKeptToAnswer(int megabytes, long attemptTimeoutMs, long answerMicros) {
        SmallRyeConfig config = config(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(megabytes)), Map.of());
        assertEquals(attemptTimeoutMs, config.getValue("sync.publish.attempt-timeout-ms", Long.class));
        assertEquals(answerMicros, config.getValue("sync.publish.answer-micros-per-record", Long.class));
        assertEquals(false, config.getOptionalValue("sync.publish.concurrency", Integer.class).isPresent(),
                "concurrency does not follow the memory size");
    }

    @Test
    void explicitSettingsWin() {
        Map<String, String> environment = new HashMap<>(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512",
                "sync.publish.answer-micros-per-record", "40"));
        SmallRyeConfig config = config(environment, Map.of("sync.publish.attempt-timeout-ms", "1500"));
        assertEquals(40, config.getValue("sync.publish.answer-micros-per-record", Long.class));
        assertEquals(1500, config.getValue("sync.publish.attempt-timeout-ms", Long.class));
    }

    @Test
    void offLambdaNothingIsSaid() {
        SmallRyeConfig config = config(Map.of(), Map.of());
        assertEquals(false, config.getOptionalValue("sync.publish.attempt-timeout-ms", Long.class).isPresent());
    }
}
