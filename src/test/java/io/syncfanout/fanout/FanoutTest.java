package io.syncfanout.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.syncfanout.testing.Updates.hlc;
import static io.syncfanout.testing.Updates.progress;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.StandInSuite;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SqsEvents;

/** The function's happy paths, end to end: SQS event in through the Lambda runtime API, publishes out. */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true)
public class FanoutTest extends StandInSuite {

    private static final long T0 = 1_764_237_600_000L;



    @Test
    void aLoneUpdateGoesOutBareOnTheUsersChannel() {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("alice", "movie-1", "Add", hlc(T0, 0)));

        List<String> failed = Invoke.failedIds(event);

        assertTrue(failed.isEmpty(), () -> failed.size() + " failed, first " + failed.get(0));
        List<Published> published = Published.exactlyOnce(pubnub);
        assertEquals(1, published.size());
        Published only = published.get(0);
        assertEquals("user.alice.sync", only.channel());
        assertFalse(only.isEnvelope());
        JsonNode item = only.message();
        assertEquals("watchlist_update", item.path("type").asText());
        assertEquals("watchlist_add", item.path("operation_type").asText());
        assertEquals("m0", item.path("message_id").asText(), "absent message_id falls back to the SQS messageId");
        assertEquals(hlc(T0, 0), item.path("timestamp").asLong(), "timestamp stays the HLC, a number");
        assertEquals("tag-" + hlc(T0, 0), item.path("unique_tag").asText());
        assertFalse(item.has("user_id"));
        assertTrue(only.query().contains("uuid=sync-fanout"), only.query());
        assertTrue(only.query().contains("store=1"), only.query());
        assertTrue(only.rawPath().startsWith("/publish/test-pub/test-sub/0/"), only.rawPath());
    }

    @Test
    void manyUsersInOneBatchGoOutInOnePublishPerChannelAndNothingIsLost() {
        SqsEvents event = SqsEvents.standard();
        Map<String, Set<String>> expectedTags = new HashMap<>();
        Map<String, Long> newestProgress = new HashMap<>();
        int users = 200;
        for (int round = 0; round < 10; round++) {
            for (int u = 0; u < users; u++) {
                String user = "user-" + u;
                long clock = hlc(T0 + round * 1000L, u % 7);
                if (round % 3 == 2) {
                    event.add(watchlist(user, "show-" + round, "Add", clock));
                    expectedTags.computeIfAbsent("user." + user + ".sync", k -> new HashSet<>()).add("tag-" + clock);
                } else {
                    String content = "title-" + (round % 2);
                    event.add(progress(user, content, clock, round * 60L));
                    newestProgress.merge("user." + user + ".sync/" + content, clock, Math::max);
                }
            }
        }
        assertEquals(2000, event.size());

        List<String> failed = Invoke.failedIds(event);

        assertTrue(failed.isEmpty(), () -> failed.size() + " failed, first " + failed.get(0));
        List<Published> published = Published.exactlyOnce(pubnub);
        assertEquals(users, published.size(), "one publish per channel");
        assertEquals(users, published.stream().map(Published::channel).distinct().count());
        Map<String, Set<String>> seenTags = new HashMap<>();
        Map<String, Long> seenProgress = new HashMap<>();
        for (Published publish : published) {
            for (JsonNode item : publish.items()) {
                if (item.path("type").asText().equals("watchlist_update")) {
                    seenTags.computeIfAbsent(publish.channel(), k -> new HashSet<>()).add(item.path("unique_tag").asText());
                } else {
                    Long before = seenProgress.put(publish.channel() + "/" + item.path("content_id").asText(),
                            item.path("timestamp").asLong());
                    assertEquals(null, before, "one progress item per channel and content");
                }
            }
        }
        assertEquals(expectedTags, seenTags, "every watchlist change is published: the OR-Set needs every tag");
        assertEquals(newestProgress, seenProgress, "the newest progress per content is what subscribers get");
    }

    @Test
    void progressUpdatesCoalesceToTheNewestAndTheOthersShareItsFate() {
        SqsEvents event = SqsEvents.standard();
        event.add(progress("bob", "film", hlc(T0, 5), 10));
        event.add(progress("bob", "film", hlc(T0 + 5000, 0), 50)); // newest
        event.add(progress("bob", "film", hlc(T0 + 1000, 0), 20));
        event.add(progress("bob", "other", hlc(T0, 1), 99));

        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Published> published = Published.exactlyOnce(pubnub);
        assertEquals(1, published.size());
        List<JsonNode> items = published.get(0).items();
        assertEquals(2, items.size(), "one item per content");
        assertEquals(50, items.get(0).path("position_seconds").asLong());
        assertEquals("m1", items.get(0).path("message_id").asText());
        assertEquals(99, items.get(1).path("position_seconds").asLong());

        // The superseded records fail with their survivor: SQS delivers all of them again.
        pubnub.stubFor(post(urlPathEqualTo("/publish/test-pub/test-sub/0/user.bob.sync/0")).atPriority(1)
                .willReturn(PubNubStandIn.pubnub(403, "{\"status\":403,\"error\":true,\"message\":\"Forbidden\"}")));
        assertEquals(List.of("m0", "m1", "m2", "m3"), sorted(Invoke.failedIds(event)));
    }

    @Test
    void onATieOfClocksTheLaterRecordWins() {
        SqsEvents event = SqsEvents.standard();
        event.add(progress("tia", "film", hlc(T0, 1), 10));
        event.add(progress("tia", "film", hlc(T0, 1), 20));

        assertTrue(Invoke.failedIds(event).isEmpty());
        List<JsonNode> items = Published.exactlyOnce(pubnub).get(0).items();
        assertEquals(1, items.size());
        assertEquals(20, items.get(0).path("position_seconds").asLong());
    }

    @Test
    void repeatedMessageIdsOnAChannelArePublishedOnce() {
        SqsEvents event = SqsEvents.standard();
        String body = "{\"user_id\":\"dee\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":7,"
                + "\"operation\":\"Remove\",\"content_id\":\"c\",\"unique_tag\":\"t\",\"message_id\":\"same\"}";
        event.add(body);
        event.add(body);

        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Published> published = Published.exactlyOnce(pubnub);
        assertEquals(1, published.size());
        assertFalse(published.get(0).isEnvelope());
        assertEquals("watchlist_remove", published.get(0).message().path("operation_type").asText());
    }

    @Test
    void watchlistChangesAreNeverCoalescedAndKeepTheirRecordOrder() {
        SqsEvents event = SqsEvents.standard();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long clock = hlc(T0 - i * 1000L, i); // producers' clocks need not rise with the queue order
            event.add(watchlist("eve", "c" + (i % 3), i % 2 == 0 ? "Add" : "Remove", clock));
            expected.add("tag-" + clock);
        }
        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Published> published = Published.exactlyOnce(pubnub);
        assertEquals(1, published.size());
        assertEquals(expected, published.get(0).items().stream().map(i -> i.path("unique_tag").asText()).toList());
    }

    @Test
    void severalItemsGoInTheBatchEnvelopeWithAnIdDerivedFromTheirs() {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("fay", "a", "Add", 1));
        event.add(watchlist("fay", "b", "Add", 2));

        assertTrue(Invoke.failedIds(event).isEmpty());
        JsonNode first = Published.exactlyOnce(pubnub).get(0).message();
        assertEquals("batch", first.path("type").asText());
        assertEquals("batch", first.path("operation_type").asText());
        assertEquals("sync-fanout", first.path("device_id").asText());
        assertTrue(first.path("sent_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(List.of("m0", "m1"), List.of(first.path("messages").get(0).path("message_id").asText(),
                first.path("messages").get(1).path("message_id").asText()));

        PubNubStandIn.acknowledgeEverything(pubnub);
        assertTrue(Invoke.failedIds(event).isEmpty());
        JsonNode again = Published.exactlyOnce(pubnub).get(0).message();
        assertEquals(first.path("message_id").asText(), again.path("message_id").asText(),
                "a redelivered batch carries the same envelope id, so subscribers drop the duplicate");
    }

    @Test
    void aChannelWithMoreThanFiftyItemsIsSplitByCountInOrder() {
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < 120; i++) {
            event.add(watchlist("gus", "c" + i, "Add", i + 1));
        }
        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Published> published = Published.exactlyOnce(pubnub);
        assertEquals(List.of(50, 50, 20), published.stream().map(p -> p.items().size()).toList());
        List<String> order = published.stream().flatMap(p -> p.items().stream()).map(i -> i.path("content_id").asText()).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            expected.add("c" + i);
        }
        assertEquals(expected, order);
    }

    @Test
    void aChannelIsSplitByBytesWithinPubNubsLimit() {
        SqsEvents event = SqsEvents.standard();
        String filler = "x".repeat(9_000);
        for (int i = 0; i < 10; i++) {
            event.add("{\"user_id\":\"hal\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":" + (i + 1)
                    + ",\"operation\":\"Add\",\"content_id\":\"c" + i + "\",\"unique_tag\":\"t" + i + "\",\"note\":\"" + filler + "\"}");
        }
        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Published> published = Published.exactlyOnce(pubnub);
        assertTrue(published.size() >= 4, "10 items of 9 KB need at least 4 publishes of 32 KB");
        for (Published publish : published) {
            assertTrue(publish.bytes() <= 32_768, "body of " + publish.bytes() + " bytes");
        }
        assertEquals(10, published.stream().mapToInt(p -> p.items().size()).sum());
        assertEquals("c0", published.get(0).items().get(0).path("content_id").asText());
        assertEquals(filler, published.get(0).items().get(0).path("note").asText(), "unknown fields pass through");
    }

    @Test
    void invalidRecordsAreReportedAndTheirValidNeighboursPublished() {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("ivy", "a", "Add", 1));
        String dotted = event.add(watchlist("ivy.admin", "a", "Add", 2));
        String notJson = event.add("this is not json");
        String wrongType = event.add("{\"user_id\":\"ivy\",\"type\":\"like\",\"device_id\":\"d\",\"timestamp\":3}");
        event.add(progress("jon", "film", 4, 10));

        List<String> failed = Invoke.failedIds(event);

        assertEquals(List.of(dotted, notJson, wrongType), sorted(failed));
        assertEquals(Set.of("user.ivy.sync", "user.jon.sync"),
                Published.exactlyOnce(pubnub).stream().map(Published::channel).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void anEventThatIsNotFromSqsFailsTheInvocationAsAWhole() {
        Invoke.mockEventServer().contentType("application/json").body("{\"detail-type\":\"Scheduled Event\"}")
                .when().post()
                .then().statusCode(500);
        assertTrue(Published.exactlyOnce(pubnub).isEmpty());
    }

    /** Amendments 4 and 14 end to end: what PubNub receives holds every extra field exactly as it was sent. */
    @Test
    void extraFieldsReachPubNubExactlyAsSent() throws Exception {
        String extras = "\"price\":19.999999999999999999,\"huge\":1e400,\"big\":123456789012345678901234567890,\"neg\":-0.0,"
                + "\"lone\":\"\\ud800x\",\"emoji\":\"🎬\\u200d\",\"nested\":{\"a\":[1,{\"b\":null}]},";
        String body = watchlist("pat", "film", "Add", 1);
        SqsEvents event = SqsEvents.standard();
        event.add("{" + extras + body.substring(1));

        assertEquals(List.of(), Invoke.failedIds(event));
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> requests = pubnub.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/publish/.*/user\\.pat\\.sync/0")));
        assertEquals(1, requests.size());
        String received = requests.get(0).getBodyAsString();
        for (String exact : List.of("\"price\":19.999999999999999999", "\"huge\":1e400", "\"big\":123456789012345678901234567890",
                "\"neg\":-0.0", "\"nested\":{\"a\":[1,{\"b\":null}]}")) {
            assertTrue(received.contains(exact), () -> exact + " is not in what PubNub received: " + received);
        }
        assertTrue(received.toLowerCase(java.util.Locale.ROOT).contains("\"lone\":\"\\ud800x\""),
                () -> "a lone surrogate travels as the same escape: " + received);
        JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(received);
        assertEquals("🎬\u200d", message.path("emoji").asText(), "every code point");
    }

    /**
     * Amendment 1 in the suites: the Runtime API sends Lambda's deadline with every event, and a
     * function timeout shorter than the time budget bounds the invocation.
     */
    @Test
    void lambdasDeadlineFromTheRuntimeApiBoundsTheInvocation() {
        pubnub.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/publish/.*/user\\.late[0-9]+\\.sync/0"))
                .atPriority(1).willReturn(PubNubStandIn.sent().withFixedDelay(1_000)));
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < 100; i++) {
            event.add(watchlist("late" + i, "film", "Add", i + 1));
        }
        io.syncfanout.testing.SuiteRuntimeApi.functionTimeout(java.time.Duration.ofSeconds(3));
        List<String> lines;
        List<String> failed;
        try (io.syncfanout.testing.LogCapture log = new io.syncfanout.testing.LogCapture()) {
            failed = Invoke.failedIds(event);
            lines = log.lines();
        } finally {
            io.syncfanout.testing.SuiteRuntimeApi.functionTimeout(io.syncfanout.testing.SuiteRuntimeApi.FUNCTION_TIMEOUT);
        }
        // 100 publishes of 1 s, 32 at a time: four rounds, more than a 3 s function timeout allows.
        assertFalse(failed.isEmpty(), "some records ran out of Lambda's time");
        assertTrue(lines.stream().anyMatch(l -> l.contains("Lambda's deadline")), () -> String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("no Lambda deadline was read")), () -> String.join("\n", lines));
    }

    @Test
    void anEmptyBatchIsAnsweredWithNoFailures() {
        assertTrue(Invoke.failedIds(SqsEvents.standard()).isEmpty());
    }

    public static List<String> sorted(List<String> ids) {
        return ids.stream().sorted(java.util.Comparator.comparingInt(id -> Integer.parseInt(id.substring(1)))).toList();
    }
}
