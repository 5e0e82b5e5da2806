package io.syncfanout.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;

/**
 * A PubNub origin for the HTTP/2 edges WireMock cannot play: it speaks HTTP/2 only (ALPN, TLS with the
 * test CA), allows as many concurrent streams per connection as its {@value #MAX_STREAMS} argument says
 * ({@code SETTINGS_MAX_CONCURRENT_STREAMS}), acknowledges every publish after {@value #LATENCY_MS} ms,
 * and, when told, sends GOAWAY while publishes are in flight: the streams after the last one it names
 * are refused, as a server going away refuses them, and the connection closes.
 */
public class Http2EdgeStandIn implements QuarkusTestResourceLifecycleManager {

    /** The resource argument naming the server's SETTINGS_MAX_CONCURRENT_STREAMS (default 100). */
    public static final String MAX_STREAMS = "max-streams";
    public static final long LATENCY_MS = 50;
    private static final String ACK = "[1,\"Sent\",\"17000000000000000\"]";

    /** Publishes acknowledged. */
    public static final AtomicInteger ACKNOWLEDGED = new AtomicInteger();
    /** The most streams open at once on one connection, as the server saw them. */
    public static final AtomicInteger MOST_IN_FLIGHT = new AtomicInteger();
    /** Connections the publishes came over since the last reset. */
    public static final Set<HttpConnection> CONNECTIONS = ConcurrentHashMap.newKeySet();
    /** GOAWAY on the connection that receives this request (counting from 1); 0 for never. */
    public static final AtomicInteger GO_AWAY_AT = new AtomicInteger();
    /** Whether a GOAWAY was sent. */
    public static final AtomicInteger WENT_AWAY = new AtomicInteger();

    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final Map<HttpConnection, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();
    private Vertx vertx;
    private int maxStreams = 100;

    @Override
    public void init(Map<String, String> initArgs) {
        maxStreams = Integer.parseInt(initArgs.getOrDefault(MAX_STREAMS, "100"));
    }

    public static void reset() {
        ACKNOWLEDGED.set(0);
        MOST_IN_FLIGHT.set(0);
        CONNECTIONS.clear();
        GO_AWAY_AT.set(0);
        WENT_AWAY.set(0);
        REQUESTS.set(0);
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setSsl(true).setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2))
                .setKeyCertOptions(new PfxOptions().setPath(TestCertificates.get().serverKeyStore.toString())
                        .setPassword(TestCertificates.PASSWORD))
                .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(maxStreams));
        try {
            int port = vertx.createHttpServer(options)
                    .requestHandler(request -> {
                        int number = REQUESTS.incrementAndGet();
                        CONNECTIONS.add(request.connection());
                        AtomicInteger inFlight = IN_FLIGHT.computeIfAbsent(request.connection(), c -> new AtomicInteger());
                        MOST_IN_FLIGHT.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        if (GO_AWAY_AT.get() == number) {
                            // Streams after the one before this are refused; those up to it are answered.
                            WENT_AWAY.incrementAndGet();
                            request.connection().goAway(0, Math.max(1, request.streamId() - 2));
                        }
                        request.body().onComplete(body -> vertx.setTimer(LATENCY_MS, t -> {
                            inFlight.decrementAndGet();
                            request.response().setStatusCode(200).putHeader("Content-Type", "text/javascript; charset=\"UTF-8\"")
                                    .end(ACK);
                            ACKNOWLEDGED.incrementAndGet();
                        }));
                    })
                    .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            Map<String, String> config = new HashMap<>(PubNubStandIn.Transport.HTTPS_H2.functionConfig());
            config.putAll(SuiteRuntimeApi.config());
            config.put("pubnub.origin", "https://127.0.0.1:" + port);
            config.put("pubnub.http2", "true"); // the default, said here because these suites are about it
            config.put("pubnub.publish-key", "test-pub");
            config.put("pubnub.subscribe-key", "test-sub");
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP/2 stand-in did not start", e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
