package io.syncfanout.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.syncfanout.testing.PubNubStandIn.pubnub;
import static io.syncfanout.testing.Updates.progress;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;


import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.StandInSuite;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SqsEvents;

/**
 * FIFO queues: within a message group records go out in order, and once one fails it and every
 * later record of the group are reported failed and not published, while other groups go on.
 */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true)
class FifoTest extends StandInSuite {



    private void refuse(String user) {
        pubnub.stubFor(post(urlPathEqualTo("/publish/test-pub/test-sub/0/user." + user + ".sync/0")).atPriority(1)
                .willReturn(pubnub(403, "{\"status\":403,\"error\":true,\"message\":\"Forbidden\"}")));
    }

    private List<String> publishedTags() {
        return Published.exactlyOnce(pubnub).stream().flatMap(p -> p.items().stream())
                .map(i -> i.path("unique_tag").asText()).toList();
    }

    @Test
    void aFailureInAGroupThatSpansChannelsFailsItsSuffixAndOtherGroupsGoOn() {
        refuse("carol");
        SqsEvents event = SqsEvents.fifo();
        event.add(watchlist("alice", "a", "Add", 1), "household-1");   // m0 delivered
        event.add(watchlist("bob", "b", "Add", 2), "household-2");     // m1 delivered
        event.add(watchlist("carol", "c", "Add", 3), "household-1");   // m2 refused
        event.add(watchlist("alice", "a", "Remove", 4), "household-1"); // m3 after the failure: not published
        event.add(watchlist("bob", "b", "Remove", 5), "household-2");  // m4 delivered
        event.add(watchlist("alice", "d", "Add", 6), "household-2");   // m5 another group on alice's channel

        List<String> failed;
        try (LogCapture log = new LogCapture()) {
            failed = FanoutTest.sorted(Invoke.failedIds(event));
            assertTrue(log.anyContains("record m3 failed: not published: record m2 before it in FIFO message group 'household-1' failed"),
                    () -> String.join("\n", log.lines()));
        }

        assertEquals(List.of("m2", "m3"), failed);
        List<String> tags = publishedTags();
        assertTrue(tags.containsAll(List.of("tag-1", "tag-2", "tag-5", "tag-6")), tags.toString());
        assertTrue(!tags.contains("tag-4"), "a record after a failure in its group is never published");
        assertTrue(tags.indexOf("tag-2") < tags.indexOf("tag-5"), "household-2 in order");
    }

    @Test
    void aGroupOnOneChannelIsPublishedInOrderAndBatched() {
        SqsEvents event = SqsEvents.fifo();
        for (int i = 1; i <= 10; i++) {
            event.add(watchlist("dana", "c" + i, "Add", i), "g");
        }
        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Published> published = Published.exactlyOnce(pubnub);
        assertEquals(1, published.size(), "a group's consecutive records on one channel share a publish");
        assertEquals(List.of("tag-1", "tag-2", "tag-3", "tag-4", "tag-5", "tag-6", "tag-7", "tag-8", "tag-9", "tag-10"),
                publishedTags());
    }

    @Test
    void aGroupWaitsForItsEarlierRecordOnAnotherChannel() {
        SqsEvents event = SqsEvents.fifo();
        event.add(watchlist("eli", "x", "Add", 1), "g");
        event.add(watchlist("fay", "y", "Add", 2), "g");
        event.add(watchlist("eli", "z", "Add", 3), "g");

        assertTrue(Invoke.failedIds(event).isEmpty());
        assertEquals(List.of("tag-1", "tag-2", "tag-3"), publishedTags(), "published in group order, across channels");
    }

    /** Amendment 12: an invalid record can never be published, so it fails alone and holds nothing back. */
    @Test
    void anInvalidRecordFailsAloneAndItsGroupGoesOnInOrder() {
        SqsEvents event = SqsEvents.fifo();
        event.add(watchlist("gus", "a", "Add", 1), "g");
        event.add("{\"user_id\":\"gus\"}", "g");
        event.add(watchlist("ivy", "b", "Add", 3), "g");
        event.add(watchlist("gus", "b", "Add", 4), "g");
        event.add(watchlist("hal", "b", "Add", 5), "other");

        assertEquals(List.of("m1"), FanoutTest.sorted(Invoke.failedIds(event)));
        List<String> tags = publishedTags();
        assertEquals(List.of("tag-1", "tag-3", "tag-4", "tag-5"), tags.stream().sorted().toList());
        assertTrue(tags.indexOf("tag-1") < tags.indexOf("tag-3") && tags.indexOf("tag-3") < tags.indexOf("tag-4"),
                () -> "group g in order: " + tags);
    }

    /**
     * Amendment 11: SQS fair queues put a MessageGroupId on standard-queue records too. Only a queue
     * whose ARN ends in .fifo is FIFO; here one refused channel fails its own record and no other.
     */
    @Test
    void aMessageGroupIdOnAStandardQueueChangesNothing() {
        refuse("kim");
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("jon", "a", "Add", 1), "tenant-1");
        event.add(watchlist("kim", "b", "Add", 2), "tenant-1");
        event.add(watchlist("lea", "c", "Add", 3), "tenant-1");
        event.add(watchlist("max", "d", "Add", 4), "tenant-1");

        assertEquals(List.of("m1"), FanoutTest.sorted(Invoke.failedIds(event)));
        List<String> tags = publishedTags();
        assertTrue(tags.containsAll(List.of("tag-1", "tag-3", "tag-4")), "the users after the refused one are published: " + tags);
    }

    @Test
    void progressCoalescesOnlyWithinAnUnbrokenRunOfItsGroup() {
        SqsEvents event = SqsEvents.fifo();
        event.add(progress("ida", "film", 10, 100), "g"); // m0 \ one run: m1 wins
        event.add(progress("ida", "film", 20, 200), "g"); // m1 /
        event.add(watchlist("ida", "film", "Add", 30), "g"); // m2 breaks the run
        event.add(progress("ida", "film", 40, 400), "g"); // m3 published on its own

        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Long> positions = Published.exactlyOnce(pubnub).stream().flatMap(p -> p.items().stream())
                .filter(i -> i.path("type").asText().equals("progress_update"))
                .map(i -> i.path("position_seconds").asLong()).toList();
        assertEquals(List.of(200L, 400L), positions);
    }
}
