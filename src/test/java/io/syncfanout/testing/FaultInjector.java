package io.syncfanout.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Makes the stand-in misbehave as real networks and PubNub do, at seeded random rates: server
 * errors, rate limiting with {@code Retry-After}, dropped connections, answers stalled past the
 * timeout, a 200 that is not PubNub's, and the final 4xx answers. What it did is counted.
 */
public final class FaultInjector implements ResponseDefinitionTransformerV2 {

    /** A fault and how often it strikes, in requests per thousand. */
    public enum Kind {
        HTTP_500(30), HTTP_502(20), HTTP_503(30), HTTP_504(20), HTTP_429(30), CONNECTION_RESET(20), STALLED(20),
        NOT_PUBNUB_200(20), HTTP_403(5), HTTP_400(5), HTTP_413(10);

        final int perMille;

        Kind(int perMille) {
            this.perMille = perMille;
        }
    }

    private Random random;
    private final int stallMillis;
    private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
    private volatile boolean enabled = true;
    private int requests;

    public FaultInjector(long seed, int stallMillis) {
        this.random = new Random(seed);
        this.stallMillis = stallMillis;
    }

    /** Starts over: the same seed gives the same sequence of draws. */
    public synchronized void reseed(long seed) {
        random = new Random(seed);
        injected.clear();
        requests = 0;
    }

    @Override
    public String getName() {
        return "pubnub-fault-injector";
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    public void enabled(boolean on) {
        enabled = on;
    }

    public synchronized Map<Kind, Integer> injected() {
        return Map.copyOf(injected);
    }

    public synchronized int requests() {
        return requests;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition normal = serveEvent.getResponseDefinition();
        if (!enabled || !serveEvent.getRequest().getUrl().startsWith("/publish/")) {
            return normal;
        }
        Kind kind = draw();
        if (kind == null) {
            return normal;
        }
        return switch (kind) {
            case HTTP_500 -> pubnub(500, "[0,\"Internal Server Error\"]");
            case HTTP_502 -> pubnub(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
            case HTTP_503 -> pubnub(503, "{\"status\":503,\"error\":true,\"message\":\"Service Unavailable\"}");
            case HTTP_504 -> pubnub(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>");
            case HTTP_429 -> ResponseDefinitionBuilder.like(pubnub(429,
                    "{\"status\":429,\"error\":true,\"message\":\"Too Many Requests\"}")).withHeader("Retry-After", "1").build();
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            case STALLED -> ResponseDefinitionBuilder.like(normal).withFixedDelay(stallMillis).build();
            case NOT_PUBNUB_200 -> pubnub(200, "<html>Service temporarily redirected</html>");
            case HTTP_403 -> pubnub(403, "{\"message\":\"Forbidden\",\"error\":true,\"service\":\"Access Manager\",\"status\":403}");
            case HTTP_400 -> pubnub(400, "[0,\"Invalid JSON\"]");
            case HTTP_413 -> pubnub(413, "{\"status\":413,\"service\":\"Balancer\",\"error\":true,\"message\":\"Request Entity Too Large\"}");
        };
    }

    private synchronized Kind draw() {
        requests++;
        int roll = random.nextInt(1000);
        for (Kind kind : Kind.values()) {
            if (roll < kind.perMille) {
                injected.merge(kind, 1, Integer::sum);
                return kind;
            }
            roll -= kind.perMille;
        }
        return null;
    }

    private static ResponseDefinition pubnub(int status, String body) {
        return PubNubStandIn.pubnub(status, body).build();
    }
}
