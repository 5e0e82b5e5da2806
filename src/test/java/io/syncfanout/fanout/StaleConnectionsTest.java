package io.syncfanout.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.TcpFront;

/**
 * Pooled connections that went stale between invocations: a load balancer or NAT dropped them while
 * they sat idle (or while Lambda froze the instance), and says so only with a reset on the next write.
 * That is not PubNub failing: the batch is delivered, and the circuit stays closed. Over HTTP/1.1, where
 * the pool holds a connection per publish in flight and 32 of them fail at once (an origin that offers
 * HTTP/1.1 only, or {@code pubnub.http2=false}); over HTTP/2 the one dead connection costs a retry or two.
 */
@QuarkusTest
@TestProfile(StaleConnectionsTest.Http1.class)
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = PubNubStandIn.FRONT, value = "tcp"))
class StaleConnectionsTest {

    public static class Http1 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pubnub.http2", "false");
        }
    }

    @PubNubStandIn.StandIn
    WireMockServer pubnub;

    @PubNubStandIn.StandIn
    TcpFront network;

    @Test
    void connectionsDroppedWhileIdleAreTriedAgainOnNewOnesAndDoNotOpenTheCircuit() {
        PubNubStandIn.acknowledgeEverything(pubnub);
        assertEquals(List.of(), Invoke.failedIds(Http2EdgesTest.usersEach(64, "warm")));
        int dropped = network.forgetOpenConnections();
        assertTrue(dropped >= 8, "the first invocation left connections in the pool: " + dropped);
        PubNubStandIn.acknowledgeEverything(pubnub);

        List<String> failed;
        List<String> lines;
        try (LogCapture log = new LogCapture()) {
            failed = Invoke.failedIds(Http2EdgesTest.usersEach(200, "after-idle"));
            lines = log.lines();
        }

        assertEquals(List.of(), failed, () -> String.join("\n", lines));
        assertEquals(200, Published.all(pubnub).size(), "every user's update reached PubNub");
        assertFalse(lines.stream().anyMatch(l -> l.contains("is now OPEN")), () -> "the circuit opened:\n" + String.join("\n", lines));
    }
}
