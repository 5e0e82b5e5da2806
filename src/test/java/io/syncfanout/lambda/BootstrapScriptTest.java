package io.syncfanout.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The native zip's {@code bootstrap} (src/main/zip.native), as provided.al2023 starts it: it bounds the
 * executable's heap by the function's memory size, and hands everything else on. A stand-in {@code runner}
 * prints the arguments it was given.
 */
class BootstrapScriptTest {

    @TempDir
    Path task;

    private String run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Files.copy(Path.of("src/main/zip.native/bootstrap"), task.resolve("bootstrap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(task.resolve("runner"), "#!/bin/sh\necho \"$@\"\n");
        task.resolve("bootstrap").toFile().setExecutable(true);
        task.resolve("runner").toFile().setExecutable(true);
        List<String> command = new java.util.ArrayList<>(List.of(task.resolve("bootstrap").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        builder.environment().remove("SYNC_NATIVE_MAX_HEAP_MB");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), out);
        return out;
    }

    @ParameterizedTest(name = "{0} MB: {1}")
    @CsvSource({ "128, -Xmx64m", "256, -Xmx160m", "512, -Xmx352m", "1769, -Xmx1294m", "64, -Xmx32m" })
    void theHeapIsThreeQuartersOfTheMemorySizeLess32Mb(String memory, String expected) throws Exception {
        assertEquals(expected, run(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory)));
    }

    @Test
    void anExplicitHeapWins() throws Exception {
        assertEquals("-Xmx100m", run(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128", "SYNC_NATIVE_MAX_HEAP_MB", "100")));
    }

    @Test
    void withoutAMemorySizeTheHeapIsLeftToTheExecutable() throws Exception {
        assertEquals("", run(Map.of()));
        assertEquals("", run(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")));
    }

    @Test
    void argumentsReachTheExecutableAfterTheHeap() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"));
        assertEquals("-Xmx64m -Dquarkus.log.level=DEBUG two words", run(env, "-Dquarkus.log.level=DEBUG", "two words"));
    }
}
