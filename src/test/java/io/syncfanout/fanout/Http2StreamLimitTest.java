package io.syncfanout.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.Http2EdgeStandIn;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.LogCapture;

/** An origin that allows 4 concurrent streams: the publishes beyond them wait for a stream; none fails. */
@QuarkusTest
@QuarkusTestResource(value = Http2EdgeStandIn.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = Http2EdgeStandIn.MAX_STREAMS, value = "4"))
class Http2StreamLimitTest {

    @Test
    void publishesBeyondTheServersConcurrentStreamsWaitAndAllGoOut() {
        Http2EdgeStandIn.reset();
        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of(), Invoke.failedIds(Http2EdgesTest.usersEach(40, "queued")), () -> String.join("\n", log.lines()));
        }
        assertEquals(40, Http2EdgeStandIn.ACKNOWLEDGED.get());
        assertTrue(Http2EdgeStandIn.MOST_IN_FLIGHT.get() <= 4,
                "never more streams on a connection than the server allows: " + Http2EdgeStandIn.MOST_IN_FLIGHT.get());
    }
}
