package io.syncfanout.fanout;

import static io.syncfanout.testing.Updates.hlc;
import static io.syncfanout.testing.Updates.progress;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SqsEvents;

@QuarkusTest
@QuarkusTestResource(PubNubStandIn.class)
class FanoutTest {

    @PubNubStandIn.StandIn
    WireMockServer pubnub;

    @BeforeEach
    void reset() {
        PubNubStandIn.acknowledgeEverything(pubnub);
    }

    @Test
    void aLoneUpdateGoesOutBareOnTheUsersChannel() {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("alice", "movie-1", "Add", hlc(1_764_237_600_000L, 0)));

        List<String> failed = Invoke.failedIds(event);

        assertTrue(failed.isEmpty(), "failed: " + failed);
        List<Published> published = Published.all(pubnub);
        assertEquals(1, published.size());
        Published only = published.get(0);
        assertEquals("user.alice.sync", only.channel());
        assertFalse(only.isEnvelope());
        assertEquals("watchlist_update", only.message().path("type").asText());
        assertEquals("watchlist_add", only.message().path("operation_type").asText());
        assertEquals("m0", only.message().path("message_id").asText());
        assertFalse(only.message().has("user_id"));
        assertTrue(only.message().path("timestamp").isIntegralNumber());
    }
}
