package io.syncfanout.fanout;

import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.Http2EdgeStandIn;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.SqsEvents;

/**
 * HTTP/2 as PubNub's origins speak it: negotiated by ALPN over TLS, a limit on concurrent streams the
 * function must queue behind, and a connection closed with GOAWAY while publishes are in flight.
 */
@QuarkusTest
@QuarkusTestResource(value = Http2EdgeStandIn.class, restrictToAnnotatedClass = true)
class Http2EdgesTest {

    static SqsEvents usersEach(int users, String prefix) {
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < users; i++) {
            event.add(watchlist(prefix + i, "film", "Add", i + 1));
        }
        return event;
    }

    @BeforeEach
    void reset() {
        Http2EdgeStandIn.reset();
    }

    /** The first invocation of an instance: one publish opens the connection, the rest multiplex on it. */
    @Test
    void everyPublishOfAColdInstanceSharesOneConnectionOverH2() {
        List<String> lines;
        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of(), Invoke.failedIds(usersEach(40, "cold")), () -> String.join("\n", log.lines()));
            lines = log.lines();
        }
        assertEquals(40, Http2EdgeStandIn.ACKNOWLEDGED.get());
        assertEquals(1, Http2EdgeStandIn.CONNECTIONS.size(), "one connection, one TLS handshake, for 32 publishes in flight");
        assertTrue(Http2EdgeStandIn.MOST_IN_FLIGHT.get() > 1, "and they were in flight together: " + Http2EdgeStandIn.MOST_IN_FLIGHT.get());
        // The summary goes to standard output raw (an EMF document); only an in-process capture sees it.
        if (LogCapture.inProcess()) {
            assertTrue(lines.stream().anyMatch(l -> l.contains("protocol=h2")), () -> "the summary names the protocol PubNub gave:\n"
                    + String.join("\n", lines));
        }
    }

    @Test
    void aGoAwayWhilePublishesAreInFlightLosesNothing() {
        Http2EdgeStandIn.GO_AWAY_AT.set(10);
        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of(), Invoke.failedIds(usersEach(40, "away")), () -> String.join("\n", log.lines()));
        }
        assertEquals(1, Http2EdgeStandIn.WENT_AWAY.get(), "the server went away mid-invocation");
        assertTrue(Http2EdgeStandIn.CONNECTIONS.size() >= 2, "and the function went on over a new connection: " + Http2EdgeStandIn.CONNECTIONS.size());
    }
}
