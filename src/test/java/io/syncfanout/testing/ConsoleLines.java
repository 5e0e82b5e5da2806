package io.syncfanout.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** What a tool prints to a person, read line by line as it prints it: for tests of dev mode and its tools. */
public final class ConsoleLines {

    private ConsoleLines() {
    }

    /** Starts the process with its output and errors in one stream, every line of it added to {@code lines}; no one at the keyboard. */
    public static Process start(ProcessBuilder builder, List<String> lines) throws IOException {
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        pump(process, lines);
        return process;
    }

    /** What a finished run printed, and its exit status. */
    public record Ended(int exit, List<String> lines) {
    }

    /** Runs the process to its end, within {@code limit}: every line it printed, and its exit status. */
    public static Ended run(ProcessBuilder builder, Duration limit) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = pump(process, lines);
        reader.join(limit.toMillis());
        boolean ended = process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertTrue(ended, "still running after " + limit + ":\n" + String.join("\n", lines));
        return new Ended(process.exitValue(), List.copyOf(lines));
    }

    /** Adds each line the process prints to {@code lines}, until it closes its output. */
    private static Thread pump(Process process, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Waits for a line containing {@code text}; fails with every line printed so far. */
    public static void awaitLine(List<String> lines, String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (lines.stream().noneMatch(line -> line.contains(text))) {
            assertTrue(System.nanoTime() < deadline, "no line with '" + text + "' in:\n" + String.join("\n", lines));
            Thread.sleep(50);
        }
    }

    /** A loopback port free now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
