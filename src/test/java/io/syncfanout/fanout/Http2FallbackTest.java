package io.syncfanout.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * HTTP/2 offered ({@code pubnub.http2=true}) to an origin that speaks HTTP/1.1 only, as a TLS-inspecting
 * proxy may: the function falls back to HTTP/1.1, and publishes still go out side by side, each on its
 * own connection, not one after another on a single one.
 */
@QuarkusTest
@TestProfile(Http2FallbackTest.Http2On.class)
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = PubNubStandIn.FRONT, value = "tcp"), @ResourceArg(name = PubNubStandIn.TRANSPORT, value = "https-http1") })
class Http2FallbackTest {

    public static class Http2On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pubnub.http2", "true"); // the default, said here because this suite is about it
        }
    }

    @PubNubStandIn.StandIn
    WireMockServer pubnub;

    @PubNubStandIn.StandIn
    TcpFront network;

    @Test
    void anHttp1OnlyOriginGetsAConnectionForEachPublishInFlight() {
        PubNubStandIn.acknowledgeEverything(pubnub);
        pubnub.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(PubNubStandIn.PUBLISH_PATH)).atPriority(1)
                .willReturn(PubNubStandIn.sent().withFixedDelay(100)));

        List<String> lines;
        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of(), Invoke.failedIds(Http2EdgesTest.usersEach(200, "h1-only")), () -> String.join("\n", log.lines()));
            lines = log.lines();
        }

        assertEquals(200, Published.all(pubnub).size());
        // 200 publishes of 100 ms each, 32 at a time, need 32 connections; one connection would take 20 s.
        assertTrue(network.accepted() >= 16, "connections opened for 200 publishes, 32 at a time: " + network.accepted());
        assertTrue(network.accepted() <= 32 + 1, "never more than sync.publish.concurrency: " + network.accepted());
        if (LogCapture.inProcess()) {
            assertTrue(lines.stream().anyMatch(l -> l.contains("protocol=http/1.1")), () -> String.join("\n", lines));
        }
    }
}
