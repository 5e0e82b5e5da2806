package io.syncfanout.queue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.syncfanout.local.LambdaProcess;
import io.syncfanout.local.LambdaRuntimeApi;

/**
 * One execution environment of the packaged function: its own Lambda Runtime API and its own process
 * (the JVM zip under AWS's runtime interface client, or the native {@code bootstrap}), run as
 * {@code LocalRunIT} runs it. Like Lambda, it starts a fresh process after one crashed or ran past
 * its timeout (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 */
public final class LocalFunction implements EventSourceMapping.Function, AutoCloseable {

    /** How an invocation ended, as Lambda's event source mapping sees it. */
    public enum Ending {
        /** 200 with the function's answer. */
        ANSWERED,
        /** A function error: the function said it failed. */
        FUNCTION_ERROR,
        /** The process exited during the invocation. */
        CRASHED,
        /** No answer by the function timeout: Lambda stops the environment. */
        TIMED_OUT
    }

    /** One invocation's end, and the answer when there is one. */
    public record Outcome(Ending ending, String answer) {
    }

    /**
     * Lambda gives a cold start 10 s of init, counted apart from the timeout; a JVM starting on a busy
     * 2-core machine may take longer, and the test is not about that.
     */
    private static final Duration INIT_LIMIT = Duration.ofSeconds(60);

    private final Path functionZip;
    private final Path workDir;
    private final Map<String, String> environment;
    private volatile Duration timeout;
    private final LambdaRuntimeApi runtimeApi;
    private final AtomicInteger starts = new AtomicInteger();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private volatile LambdaProcess process;

    private LocalFunction(Path functionZip, Path workDir, Map<String, String> environment, Duration timeout) throws IOException {
        this.functionZip = functionZip;
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
        this.runtimeApi = LambdaRuntimeApi.start(timeout);
        this.process = launch();
    }

    /** An environment with this timeout and these variables (the PubNub stand-in's, the queue's endpoint). */
    public static LocalFunction start(Path functionZip, Path workDir, Map<String, String> environment, Duration timeout) throws IOException {
        return new LocalFunction(functionZip, workDir, environment, timeout);
    }

    private LambdaProcess launch() throws IOException {
        Path dir = workDir.resolve("start-" + starts.incrementAndGet());
        java.nio.file.Files.createDirectories(dir);
        return LambdaProcess.start(functionZip, dir, runtimeApi.address(), LambdaProcess.HANDLER, environment);
    }

    /** Invokes the function with an SQS event, as the event source mapping does (synchronously). */
    @Override
    public Outcome invoke(String event) throws IOException, InterruptedException {
        LambdaProcess current = process;
        try {
            // Lambda's own timeout, from the moment the function takes the event, with no grace: an answer
            // after the deadline is a timeout, and the whole batch comes back.
            HttpResponse<String> answer = runtimeApi.invokeByDeadline(event, current, INIT_LIMIT);
            return new Outcome(answer.statusCode() == 200 ? Ending.ANSWERED : Ending.FUNCTION_ERROR, answer.body());
        } catch (IllegalStateException ended) {
            boolean crashed = !current.isAlive();
            replace(current);
            return new Outcome(crashed ? Ending.CRASHED : Ending.TIMED_OUT, null);
        }
    }

    /** The timeout the next invocations get, as changing the function's configuration would. */
    public void functionTimeout(Duration timeout) {
        this.timeout = timeout;
        runtimeApi.functionTimeout(timeout);
    }

    /** Kills the process at once (SIGKILL), as a crash or an out-of-memory kill would. */
    public void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    public boolean isNative() {
        return process.isNative();
    }

    /** Every line the function wrote, over all its processes so far. */
    public List<String> output() {
        List<String> all = new java.util.ArrayList<>(output);
        all.addAll(process.output());
        return all;
    }

    /** How many processes this environment has started (1 until one crashed or timed out). */
    public int starts() {
        return starts.get();
    }

    private synchronized void replace(LambdaProcess ended) throws IOException, InterruptedException {
        if (process != ended) {
            return;
        }
        output.addAll(ended.output());
        ended.close();
        process = launch();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        try {
            runtimeApi.close();
        } catch (IOException ignored) {
            // the run is over
        }
    }
}
