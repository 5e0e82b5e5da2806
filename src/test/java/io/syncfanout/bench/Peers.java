package io.syncfanout.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pubnub.api.UserId;
import com.pubnub.api.java.PubNub;
import com.pubnub.api.java.v2.PNConfiguration;

/** What a team would otherwise run, and what the machine can do at all, measured on the same stand-in. */
final class Peers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Peers() {
    }

    /**
     * What the peers came to on the whole machine.
     *
     * @param sdkConcurrentSeconds the naive SDK publisher at 32 threads on W1
     * @param sdkSequentialSeconds the same, one at a time (extrapolated from 1,000 records)
     * @param w2Seconds sync-fanout's own time on W2, one record for each of 10,000 users
     * @param w3P50Millis a warm invocation of 10 records, post to answer
     * @param roundTripMillis one publish round trip to the stand-in
     */
    record Figures(double sdkConcurrentSeconds, double sdkSequentialSeconds, double w2Seconds, int w2Requests, int w2Records,
            double w3P50Millis, double roundTripMillis) {
    }

    /** One publish per record through the official SDK, as a team writes first; {@code threads} at once. */
    static long naiveSdk(int port, List<String> bodies, int threads) throws Exception {
        PNConfiguration.Builder config = PNConfiguration.builder(new UserId("naive-publisher"), "demo-sub");
        config.publishKey("demo-pub");
        config.origin("127.0.0.1:" + port);
        config.secure(false);
        PubNub pubnub = PubNub.create(config.build());
        List<Runnable> publishes = new ArrayList<>();
        for (String body : bodies) {
            // Each record is parsed where it is published, as a handler given the SQS records does.
            publishes.add(() -> {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> message = JSON.readValue(body, Map.class);
                    String channel = "user." + message.remove("user_id") + ".sync";
                    pubnub.publish(message, channel).sync();
                } catch (Exception e) {
                    throw new IllegalStateException("the SDK's publish failed: " + e.getMessage(), e);
                }
            });
        }
        long start = System.nanoTime();
        if (threads == 1) {
            publishes.forEach(Runnable::run);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                publishes.forEach(p -> done.add(pool.submit(p)));
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
        long nanos = System.nanoTime() - start;
        pubnub.destroy();
        return nanos;
    }

    /**
     * The floor, on the HTTP client sync-fanout itself sends with (Vert.x's, on Netty): the same
     * publishes as bare POSTs at the same concurrency, keep-alive, nothing else. What is left between
     * this and sync-fanout is the function's own cost: reading, planning, the REST client, fault
     * tolerance.
     */
    static long floorOnVertx(io.vertx.core.Vertx vertx, int port, List<Map.Entry<String, byte[]>> publishes, int concurrency)
            throws Exception {
        io.vertx.core.http.HttpClient http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true)
                .setDefaultHost("127.0.0.1").setDefaultPort(port), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(concurrency));
        Semaphore permits = new Semaphore(concurrency);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(publishes.size());
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime();
        for (Map.Entry<String, byte[]> publish : publishes) {
            permits.acquire();
            io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer(publish.getValue());
            // A POST the stand-in never answers fails after 10 s instead of holding the floor forever.
            http.request(new io.vertx.core.http.RequestOptions().setMethod(io.vertx.core.http.HttpMethod.POST).setURI(publish.getKey())
                    .setIdleTimeout(10_000))
                    .compose(request -> request.putHeader("Content-Type", "application/json").send(body))
                    .compose(io.vertx.core.http.HttpClientResponse::body)
                    .onComplete(answer -> {
                        if (answer.failed()) {
                            failed.compareAndSet(null, answer.cause());
                        }
                        permits.release();
                        done.countDown();
                    });
        }
        done.await();
        long nanos = System.nanoTime() - start;
        http.close();
        if (failed.get() != null) {
            throw new IllegalStateException("a floor POST failed, so this run is no floor: " + failed.get());
        }
        return nanos;
    }

    /** The floor on the JDK's HTTP client: the same publishes as bare async POSTs at the same concurrency. */
    static long floor(int port, List<Map.Entry<String, byte[]>> publishes, int concurrency) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (Map.Entry<String, byte[]> publish : publishes) {
            permits.acquire();
            URI uri = URI.create("http://127.0.0.1:" + port + publish.getKey());
            all.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(publish.getValue())).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> permits.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return System.nanoTime() - start;
    }
}
