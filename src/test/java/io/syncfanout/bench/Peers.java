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

    /** The floor: the same publishes as bare POSTs from an async HTTP client at the same concurrency. */
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
