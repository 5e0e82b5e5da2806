package io.syncfanout.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.quarkus.amazon.lambda.runtime.AmazonLambdaApi;
import io.quarkus.amazon.lambda.runtime.MockEventServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * Lambda's Runtime API on loopback, for running the packaged function as Lambda runs it: Quarkus's
 * mock event server, which hands each posted event to the function's poll loop and the answer back,
 * plus what Lambda sends with every event and the mock does not: the invocation's deadline,
 * {@code Lambda-Runtime-Deadline-Ms}, the function timeout from the moment the function receives it
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-next">AWS</a>).
 */
public final class LambdaRuntimeApi extends MockEventServer {

    static final String DEADLINE = "Lambda-Runtime-Deadline-Ms";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Duration functionTimeout;
    /** Events the function has taken, and the deadline the last one was given (Unix milliseconds). */
    private final java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastDeadlineMillis;

    private LambdaRuntimeApi(Duration functionTimeout) {
        this.functionTimeout = functionTimeout;
    }

    /** A Runtime API on a free loopback port, for a function with this timeout. */
    public static LambdaRuntimeApi start(Duration functionTimeout) {
        LambdaRuntimeApi api = new LambdaRuntimeApi(functionTimeout);
        api.start(0);
        return api;
    }

    /** The timeout the next invocations get, as changing the function's configuration would. */
    public void functionTimeout(Duration timeout) {
        this.functionTimeout = timeout;
    }

    /**
     * As the mock's own, with one difference: a request whose connection has gone never takes an
     * event. The mock notices a closed connection through handlers it registers after the poll has
     * started; a function process stopped right after an answer, its next poll already sent, left a
     * poller behind that swallowed the next event posted, and that invocation never ended.
     */
    @Override
    public void nextEvent(RoutingContext context) {
        RoutingContext event;
        try {
            while (true) {
                if (context.response().closed()) {
                    return;
                }
                event = queue.poll(10, TimeUnit.MILLISECONDS);
                if (event != null) {
                    if (context.response().closed()) {
                        queue.put(event);
                        return;
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.fail(500);
            return;
        }
        String contentType = getEventContentType(event);
        if (contentType != null) {
            context.response().putHeader("content-type", contentType);
        }
        String traceId = event.get(AmazonLambdaApi.LAMBDA_TRACE_HEADER_KEY);
        if (traceId != null) {
            context.response().putHeader(AmazonLambdaApi.LAMBDA_TRACE_HEADER_KEY, traceId);
        }
        String requestId = event.get(AmazonLambdaApi.LAMBDA_RUNTIME_AWS_REQUEST_ID);
        // Lambda's clock for the invocation starts when the function takes the event, not when it was
        // posted: a cold start's init is counted apart (its own 10 s).
        long deadline = System.currentTimeMillis() + functionTimeout.toMillis();
        context.response().putHeader(DEADLINE, Long.toString(deadline));
        lastDeadlineMillis = deadline;
        taken.incrementAndGet();
        responsePending.put(requestId, event);
        context.response().putHeader(AmazonLambdaApi.LAMBDA_RUNTIME_AWS_REQUEST_ID, requestId);
        Buffer body = processEventBody(event);
        if (body != null) {
            context.response().setStatusCode(200).end(body);
        } else {
            context.response().setStatusCode(200).end();
        }
    }

    /** The port it listens on. */
    public int port() {
        return getPort();
    }

    /** What the function is given as {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + getPort() + BASE_PATH;
    }

    /** Invokes the function with an event, as Lambda's Invoke would: 200 with its answer, or 500 for a function error. */
    public CompletableFuture<HttpResponse<String>> invokeAsync(String event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + getPort() + "/"))
                .timeout(Duration.ofMinutes(15)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> invoke(String event) throws IOException, InterruptedException {
        try {
            return invokeAsync(event).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** As {@link #invoke(String)}, but gives up at once if the function's process exits instead of answering. */
    public HttpResponse<String> invoke(String event, LambdaProcess function) throws IOException, InterruptedException {
        return invoke(event, function, Duration.ofMinutes(15));
    }

    /**
     * As Lambda holds a function to its timeout: the function has {@code initLimit} to take the event
     * (a cold start), then until the deadline it was given with it, to the millisecond. An answer that
     * comes later is a timeout, as Lambda would have stopped the function by then.
     */
    public HttpResponse<String> invokeByDeadline(String event, LambdaProcess function, Duration initLimit)
            throws IOException, InterruptedException {
        long before = taken.get();
        CompletableFuture<HttpResponse<String>> answer = invokeAsync(event);
        long initEnds = System.nanoTime() + initLimit.toNanos();
        while (true) {
            HttpResponse<String> done = null;
            try {
                done = answer.get(20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // below
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            boolean wasTaken = taken.get() > before;
            if (wasTaken && System.currentTimeMillis() > lastDeadlineMillis) {
                answer.cancel(true);
                throw new IllegalStateException("no answer by the invocation's deadline");
            }
            if (done != null) {
                return done;
            }
            if (!function.isAlive()) {
                throw new IllegalStateException("the function exited before answering:\n" + function.tail());
            }
            if (!wasTaken && System.nanoTime() > initEnds) {
                throw new IllegalStateException("the function did not take the event within " + initLimit.toSeconds() + " s of init");
            }
        }
    }

    /** As {@link #invoke(String, LambdaProcess)}, and gives up too if no answer comes within {@code limit}. */
    public HttpResponse<String> invoke(String event, LambdaProcess function, Duration limit) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> answer = invokeAsync(event);
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return answer.get(200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                if (!function.isAlive()) {
                    throw new IllegalStateException("the function exited before answering:\n" + function.tail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer within " + limit.toSeconds() + " s");
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }
}
