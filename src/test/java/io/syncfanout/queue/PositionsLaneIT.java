package io.syncfanout.queue;

import static io.syncfanout.testing.Updates.progress;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncfanout.subscriber.Expected;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SummaryLines;
import io.syncfanout.testing.Updates;

/**
 * infra/'s positions_lane through real queues: producers send a viewer's playing positions to the positions
 * queue and everything else to the source queue, as docs/deploy.md tells them, and the same packaged function
 * polls both. Scaled from infra/'s 60 s window over positions sent every 10 s to a 5 s window over positions
 * every 0.5 s (ten a window either way, against six); the source queue keeps infra/'s 1 s window.
 */
class PositionsLaneIT {

    private static final int VIEWERS = 20;
    private static final int POSITIONS = 6;

    @TempDir
    Path work;

    private QueueRig rig;

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void positionsShareAPublishOnTheirLaneAndAStateChangeSentAfterThemStaysNewestThoughItIsPublishedFirst() throws Exception {
        Duration timeout = Duration.ofSeconds(3);
        rig = QueueRig.start(work, QueueSettings.scaled("sync-fanout", false, timeout, Duration.ofSeconds(1), 3),
                new EventSourceMapping.Settings(1_000, Duration.ofSeconds(1)), 1, Map.of());
        Duration window = Duration.ofSeconds(5);
        QueueRig.Lane positions = rig.addLane(QueueSettings.scaled("sync-fanout-positions-0", false, timeout, window, 3),
                new EventSourceMapping.Settings(10_000, window), 1);

        // Each viewer starts a title (a state the other devices need now: the source queue) and adds another to
        // the watchlist, then plays: a position every 0.5 s on the positions queue.
        long start = 1_796_100_000_000L;
        List<String> fresh = new ArrayList<>();
        for (int v = 0; v < VIEWERS; v++) {
            fresh.add(progress(viewer(v), "film-1", Updates.hlc(start, v), 0));
            fresh.add(watchlist(viewer(v), "film-2", "Add", Updates.hlc(start, 100 + v)));
        }
        rig.send(fresh);
        for (int p = 1; p <= POSITIONS; p++) {
            List<String> ticks = new ArrayList<>();
            for (int v = 0; v < VIEWERS; v++) {
                ticks.add(progress(viewer(v), "film-1", Updates.hlc(start + 10_000L * p, v), 10L * p));
            }
            rig.send(positions, ticks);
            Thread.sleep(500);
        }
        // Then each pauses: sent after every position, newer than all of them, on the source queue.
        List<String> paused = new ArrayList<>();
        for (int v = 0; v < VIEWERS; v++) {
            paused.add(progress(viewer(v), "film-1", Updates.hlc(start + 10_000L * (POSITIONS + 1), v), 10L * POSITIONS + 1)
                    .replace("\"state\":\"Playing\"", "\"state\":\"Paused\""));
        }
        rig.send(paused);

        rig.awaitDrained(Duration.ofSeconds(60));
        rig.awaitDrained(positions, Duration.ofSeconds(60));

        assertEquals(Map.of(), rig.deadLetters(), "nothing is dead-lettered");
        QueueDeliveryIT.assertSameState(Expected.from(rig.sent()), rig.device(), rig.sent());
        for (int v = 0; v < VIEWERS; v++) {
            assertEquals("Paused", rig.device().state(viewer(v)).progress().get("film-1").state(), viewer(v) + "'s other devices show the pause");
        }

        // The lane did its work: a viewer's positions of a window went out together, the newest alone.
        int publishes = SummaryLines.sum(positions.functions().stream().flatMap(f -> f.output().stream()).toList(), "publishes");
        assertTrue(publishes >= VIEWERS && publishes <= VIEWERS * POSITIONS / 4, publishes + " publishes for " + VIEWERS * POSITIONS + " positions");
        // And the pause did not wait for them: PubNub had it before the positions sent earlier, which then arrived
        // older than it, so the order devices keep (amendment 19) left it in place.
        int overtaken = 0;
        List<Published> published = Published.all(rig.pubnub());
        for (int v = 0; v < VIEWERS; v++) {
            String channel = "user." + viewer(v) + ".sync";
            int pause = -1;
            int lastPosition = -1;
            for (int i = 0; i < published.size(); i++) {
                if (!published.get(i).channel().equals(channel)) {
                    continue;
                }
                for (JsonNode item : published.get(i).items()) {
                    if ("Paused".equals(item.path("state").asText())) {
                        pause = i;
                    } else if (item.path("position_seconds").asLong() > 0) {
                        lastPosition = i;
                    }
                }
            }
            if (pause >= 0 && pause < lastPosition) {
                overtaken++;
            }
        }
        assertTrue(overtaken > VIEWERS / 2, "the pause reached PubNub before the positions for " + overtaken + " of " + VIEWERS + " viewers");
    }

    private static String viewer(int v) {
        return "viewer-" + v;
    }
}
