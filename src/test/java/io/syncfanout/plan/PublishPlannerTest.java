package io.syncfanout.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.testing.Updates;

class PublishPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00.123Z"), ZoneOffset.UTC);
    private final BatchPacker packer = new BatchPacker(50, 32_768, clock);
    private final RecordReader reader = new RecordReader();
    private final List<ReadResult> read = new ArrayList<>();

    private void add(String body) {
        add(body, null);
    }

    private void add(String body, String group) {
        read.add(reader.read(new SqsRecord(read.size(), "m" + read.size(), group, body)));
    }

    private PublishPlan plan(boolean coalesce) {
        return new PublishPlanner(packer, coalesce).plan(read);
    }

    @Test
    void channelsComeInOrderOfFirstAppearanceAndItemsInRecordOrder() {
        add(Updates.watchlist("b", "1", "Add", 1));
        add(Updates.watchlist("a", "2", "Add", 2));
        add(Updates.watchlist("b", "3", "Add", 3));
        PublishPlan plan = plan(true);
        assertEquals(List.of("user.b.sync", "user.a.sync"), plan.channels().stream().map(ChannelQueue::channel).toList());
        assertEquals(List.of(0, 2), plan.channels().get(0).items().stream().map(PlannedItem::position).toList());
    }

    /**
     * Amendment 19: on equal timestamps the larger device_id, then the larger message_id, by code point,
     * in either record order. 📱 (U+1F4F1) is after ～ (U+FF5E) by code point, before it in UTF-16.
     */
    @Test
    void progressThatTiesIsCoalescedByDeviceThenMessageIdInEitherRecordOrder() {
        assertCoalescedToInEitherOrder(tie("\uD83D\uDCF1", "b", 60), tie("\uFF5E", "z", 90), "b", "the larger device_id by code point wins");
        assertCoalescedToInEitherOrder(tie("tv", "m-2", 60), tie("tv", "m-10", 90), "m-2", "one device: the larger message_id wins");
    }

    /** Two tied records, planned in each order: the same one is published. */
    private void assertCoalescedToInEitherOrder(String a, String b, String winner, String why) {
        for (List<String> order : List.of(List.of(a, b), List.of(b, a))) {
            read.clear();
            order.forEach(this::add);
            assertEquals(winner, onlyPublished().item().messageId(), why + ": " + order);
        }
    }

    private static String tie(String device, String messageId, int position) {
        return "{\"user_id\":\"a\",\"type\":\"progress_update\",\"device_id\":\"" + device + "\",\"timestamp\":117702656000000000,"
                + "\"message_id\":\"" + messageId + "\",\"content_id\":\"film\",\"position_seconds\":" + position
                + ",\"duration_seconds\":7200,\"state\":\"Playing\"}";
    }

    private PlannedItem onlyPublished() {
        PublishPlan plan = plan(true);
        assertEquals(1, plan.channels().size());
        assertEquals(1, plan.channels().get(0).items().size());
        assertEquals(1, plan.superseded());
        return plan.channels().get(0).items().get(0);
    }

    @Test
    void coalescingKeepsTheNewestPerChannelAndContentAndCountsTheRest() {
        add(Updates.progress("a", "x", 5, 1));
        add(Updates.progress("a", "x", 9, 2));
        add(Updates.progress("a", "y", 1, 3));
        add(Updates.progress("b", "x", 1, 4));
        add(Updates.progress("a", "x", 7, 5));
        PublishPlan plan = plan(true);
        assertEquals(2, plan.superseded());
        PlannedItem newest = plan.channels().get(0).items().get(0);
        assertEquals(1, newest.position());
        assertEquals(List.of("m1", "m0", "m4"), newest.records().stream().map(SqsRecord::messageId).toList());
    }

    @Test
    void anItemExactlyAsLargeAsTheLimitIsPublishedAndOneByteMoreIsNot() {
        add(Updates.watchlist("a", "x", "Add", 1));
        int bytes = packer.pack("user.a.sync", plan(true).channels().get(0).items()).body().length;
        assertEquals(1, new PublishPlanner(new BatchPacker(50, bytes, clock), true).plan(read).itemCount());
        assertEquals(0, new PublishPlanner(new BatchPacker(50, bytes - 1, clock), true).plan(read).itemCount());
    }

    @Test
    void watchlistChangesToOneTitleAreNeverCoalesced() {
        add(Updates.watchlist("a", "x", "Add", 1));
        add(Updates.watchlist("a", "x", "Remove", 2));
        PublishPlan plan = plan(true);
        assertEquals(0, plan.superseded());
        assertEquals(2, plan.itemCount());
    }

    /** Two titles whose ids hash alike ("Aa" and "BB") are still two titles: neither supersedes the other. */
    @Test
    void titlesWhoseIdsHashAlikeAreNotCoalesced() {
        add(Updates.progress("a", "Aa", 5, 1));
        add(Updates.progress("a", "BB", 9, 2));
        assertEquals(0, plan(true).superseded());
    }

    @Test
    void progressOfDifferentTitlesOrUsersIsNeverCoalesced() {
        add(Updates.progress("a", "x", 5, 1));
        add(Updates.progress("a", "y", 9, 2));
        add(Updates.progress("b", "x", 7, 3));
        assertEquals(0, plan(true).superseded());
        assertEquals(3, plan(true).itemCount());
    }

    /** FIFO (amendment 7): progress coalesces within an unbroken run of its group, not across a break. */
    @Test
    void onAFifoQueueProgressCoalescesOnlyWithinAnUnbrokenRunOfItsGroup() {
        add(Updates.progress("a", "x", 5, 1), "g");
        add(Updates.progress("a", "x", 9, 2), "g");
        add(Updates.watchlist("a", "y", "Add", 3), "g");
        add(Updates.progress("a", "x", 11, 4), "g");
        add(Updates.progress("a", "x", 12, 5), "other");
        PublishPlan plan = plan(true);
        assertEquals(1, plan.superseded(), "m0 rides on m1; the watchlist change breaks g's run; 'other' is a run of its own");
        assertEquals(4, plan.itemCount());
    }

    @Test
    void withCoalescingOffEveryProgressUpdateIsPublished() {
        add(Updates.progress("a", "x", 5, 1));
        add(Updates.progress("a", "x", 9, 2));
        assertEquals(2, plan(false).itemCount());
    }

    @Test
    void anItemTooLargeToPublishAloneIsInvalid() {
        add(Updates.watchlist("a", "x".repeat(200), "Add", 1).replace("}", ",\"pad\":\"" + "p".repeat(33_000) + "\"}"));
        PublishPlan plan = plan(true);
        assertEquals(0, plan.itemCount());
        assertTrue(plan.invalid().get(0).reason().contains("one publish carries at most 32768"), plan.invalid().get(0).reason());
    }

    @Test
    void thePackerHonoursCountAndBytesExactly() throws Exception {
        for (int i = 0; i < 60; i++) {
            add(Updates.watchlist("a", "c" + i, "Add", i + 1));
        }
        List<PlannedItem> items = plan(true).channels().get(0).items();
        ChannelBatch first = packer.packPrefix("user.a.sync", items);
        assertEquals(50, first.items().size());
        JsonNode envelope = JSON.readTree(first.body());
        assertEquals(50, envelope.path("messages").size());
        assertEquals("2026-11-27T10:00:00.123Z", envelope.path("sent_at").asText());

        int bytes = first.body().length;
        BatchPacker tight = new BatchPacker(50, bytes - 1, clock);
        assertEquals(49, tight.fittingPrefix(items), "one byte less fits one item less");
        BatchPacker exact = new BatchPacker(50, bytes, clock);
        assertEquals(50, exact.fittingPrefix(items));
        assertEquals(bytes, exact.pack("user.a.sync", items.subList(0, 50)).body().length);
    }

    @Test
    void aLoneItemIsPublishedBareAndItsBodyIsTheItem() {
        add(Updates.watchlist("a", "c", "Add", 1));
        PlannedItem item = plan(true).channels().get(0).items().get(0);
        ChannelBatch batch = packer.packPrefix("user.a.sync", List.of(item));
        assertEquals(new String(item.item().json(), StandardCharsets.UTF_8), new String(batch.body(), StandardCharsets.UTF_8));
        assertEquals("m0", batch.messageId());
    }

    @Test
    void theEnvelopeIdDependsOnlyOnItsItems() {
        add(Updates.watchlist("a", "c", "Add", 1));
        add(Updates.watchlist("a", "d", "Add", 2));
        List<PlannedItem> items = plan(true).channels().get(0).items();
        String id = new BatchPacker(50, 32_768, Clock.systemUTC()).pack("user.a.sync", items).messageId();
        assertEquals(id, packer.pack("user.a.sync", items).messageId());
        assertTrue(id.matches("batch-[0-9a-f]{32}"), id);
        assertTrue(!id.equals(packer.pack("user.a.sync", List.of(items.get(1), items.get(0))).messageId()));
    }

    @Test
    void idsThatJoinTheSameWayStillGiveEnvelopesDifferentIds() {
        // Amendment 6: ids joined with a newline used to hash alike: ["a\nb","c"] and ["a","b\nc"].
        add(withMessageId(Updates.watchlist("a", "1", "Add", 1), "a\\nb"));
        add(withMessageId(Updates.watchlist("a", "2", "Add", 2), "c"));
        add(withMessageId(Updates.watchlist("z", "1", "Add", 3), "a"));
        add(withMessageId(Updates.watchlist("z", "2", "Add", 4), "b\\nc"));
        PublishPlan plan = plan(true);
        String first = packer.pack("user.a.sync", plan.channels().get(0).items()).messageId();
        String second = packer.pack("user.z.sync", plan.channels().get(1).items()).messageId();
        assertTrue(!first.equals(second), first + " twice");
    }

    @Test
    void aRepeatedMessageIdIsResolvedAfterCoalescingSoTheNewestProgressWins() {
        // Amendment 8: p1 (A, 100), p2 (B, 300), p3 (A, 500) for one title: HLC 500 is what goes out.
        add(withMessageId(Updates.progress("a", "film", 100, 1), "A"));
        add(withMessageId(Updates.progress("a", "film", 300, 2), "B"));
        add(withMessageId(Updates.progress("a", "film", 500, 3), "A"));

        List<PlannedItem> items = plan(true).channels().get(0).items();

        assertEquals(1, items.size());
        assertEquals(500, items.get(0).item().timestamp());
        assertEquals(List.of("m2", "m0", "m1"), items.get(0).records().stream().map(SqsRecord::messageId).toList(),
                "all three share the fate of the one published");
    }

    @Test
    void aRepeatedMessageIdOnOneChannelRidesOnItsFirstItem() {
        add(withMessageId(Updates.watchlist("a", "x", "Add", 1), "same"));
        add(withMessageId(Updates.progress("a", "film", 2, 1), "same"));
        PublishPlan plan = plan(true);
        List<PlannedItem> items = plan.channels().get(0).items();
        assertEquals(1, items.size());
        assertEquals(List.of("m0", "m1"), items.get(0).records().stream().map(SqsRecord::messageId).toList());
        assertEquals(1, plan.duplicates());
    }

    private static String withMessageId(String body, String messageId) {
        return "{\"message_id\":\"" + messageId + "\"," + body.substring(1);
    }
}
