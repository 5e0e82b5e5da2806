package io.syncfanout.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.record.SyncItem;

/**
 * For arbitrary batches, the planner accounts for every record once and keeps every limit and order.
 * QuickTheories generates the batches and shrinks a failing one to a small example.
 */
class PlannerPropertiesTest {

    /** One generated update: who, what, when, and maybe a producer message_id that may repeat. */
    record Update(int user, boolean progress, int content, long clock, int messageId, int padding, String group) {
        String body() {
            String id = messageId < 0 ? "" : ",\"message_id\":\"p" + messageId + "\"";
            String pad = padding == 0 ? "" : ",\"pad\":\"" + "x".repeat(padding) + "\"";
            return progress
                    ? "{\"user_id\":\"u" + user + "\",\"type\":\"progress_update\",\"device_id\":\"d\",\"timestamp\":" + clock
                            + ",\"content_id\":\"c" + content + "\",\"position_seconds\":1,\"duration_seconds\":2,\"state\":\"Playing\""
                            + id + pad + "}"
                    : "{\"user_id\":\"u" + user + "\",\"type\":\"watchlist_update\",\"device_id\":\"d\",\"timestamp\":" + clock
                            + ",\"operation\":\"Add\",\"content_id\":\"c" + content + "\",\"unique_tag\":\"t" + clock + "\"" + id + pad + "}";
        }
    }

    private static final int EXAMPLES = 300;

    /** Batches of up to 300 updates for 7 users over 3 titles, with repeated ids, padding and FIFO groups. */
    static Gen<List<Update>> batches() {
        Gen<Integer> user = integers().between(0, 6);
        Gen<Boolean> progress = booleans().all();
        Gen<Integer> content = integers().between(0, 2);
        Gen<Long> clock = longs().between(1, 50);
        Gen<Integer> messageId = integers().between(-1, 8).map(i -> i < 4 ? -1 : i);
        Gen<Integer> padding = integers().between(0, 4_000).map(i -> i < 3_000 ? 0 : i);
        Gen<String> group = arbitrary().pick("", "", "g1", "g2").map(g -> g.isEmpty() ? null : g);
        Gen<Update> update = in -> new Update(user.generate(in), progress.generate(in), content.generate(in), clock.generate(in),
                messageId.generate(in), padding.generate(in), group.generate(in));
        return lists().of(update).ofSizeBetween(0, 300);
    }

    private static List<ReadResult> read(List<Update> batch) {
        RecordReader reader = new RecordReader();
        List<ReadResult> results = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            results.add(reader.read(new SqsRecord(i, "m" + i, batch.get(i).group(), batch.get(i).body())));
        }
        return results;
    }

    @Test
    void everyRecordIsAccountedForExactlyOnce() {
        qt().withExamples(EXAMPLES).forAll(batches(), booleans().all()).checkAssert(PlannerPropertiesTest::accountedOnce);
    }

    private static void accountedOnce(List<Update> batch, boolean coalesce) {
        List<ReadResult> read = read(batch);
        PublishPlan plan = new PublishPlanner(new BatchPacker(50, 32_768, Clock.systemUTC()), coalesce).plan(read);

        Set<Integer> seen = new HashSet<>();
        plan.invalid().forEach(invalid -> assertTrue(seen.add(invalid.source().position()), "twice: " + invalid));
        for (ChannelQueue channel : plan.channels()) {
            for (PlannedItem item : channel.items()) {
                for (SqsRecord record : item.records()) {
                    assertTrue(seen.add(record.position()), "record " + record.position() + " accounted twice");
                }
            }
        }
        assertEquals(batch.size(), seen.size(), "every record is planned or invalid");
    }

    @Test
    void publishesKeepTheCountAndByteLimitsAndTheChannelOrder() {
        qt().withExamples(EXAMPLES).forAll(batches(), integers().between(1, 60), integers().between(4_096, 40_000))
                .checkAssert(PlannerPropertiesTest::withinLimitsInOrder);
    }

    private static void withinLimitsInOrder(List<Update> batch, int maxMessages, int maxBytes) {
        BatchPacker packer = new BatchPacker(maxMessages, maxBytes, Clock.systemUTC());
        PublishPlan plan = new PublishPlanner(packer, true).plan(read(batch));

        for (ChannelQueue channel : plan.channels()) {
            List<PlannedItem> pending = new ArrayList<>(channel.items());
            int lastPosition = -1;
            while (!pending.isEmpty()) {
                ChannelBatch publish = packer.packPrefix(channel.channel(), pending);
                assertTrue(publish.items().size() <= maxMessages, "count " + publish.items().size());
                assertTrue(publish.body().length <= maxBytes, "bytes " + publish.body().length + " > " + maxBytes);
                for (PlannedItem item : publish.items()) {
                    assertTrue(item.position() > lastPosition, "channel order broken");
                    assertEquals(channel.channel(), item.item().channel());
                    lastPosition = item.position();
                }
                pending.subList(0, publish.items().size()).clear();
            }
        }
    }

    @Test
    void coalescingPublishesTheNewestProgressOnStandardQueues() {
        qt().withExamples(EXAMPLES).forAll(batches()).checkAssert(PlannerPropertiesTest::newestProgressWins);
    }

    /**
     * Per channel and title, the newest progress update by amendment 19 (timestamp, then device_id, then
     * message_id by code point; where all are equal, the later record) is what is
     * published, or, when its message_id repeats an earlier item's on the channel, what rides on
     * that item (amendment 8: repeated ids are resolved after coalescing).
     */
    private static void newestProgressWins(List<Update> batch) {
        List<ReadResult> read = read(batch);
        PublishPlan plan = new PublishPlanner(new BatchPacker(50, 32_768, Clock.systemUTC()), true).plan(read);

        Map<String, SyncItem> newest = new HashMap<>();
        for (ReadResult result : read) {
            if (result instanceof SyncItem item && item.isProgress() && item.source().messageGroupId() == null) {
                newest.merge(item.channel() + "/" + item.contentId(), item, (a, b) -> notOlder(b, a) ? b : a);
            }
        }
        Map<String, Integer> published = new HashMap<>();
        Set<SyncItem> carried = new HashSet<>();
        for (ChannelQueue channel : plan.channels()) {
            for (PlannedItem planned : channel.items()) {
                SyncItem item = planned.item();
                carried.add(item);
                carried.addAll(planned.duplicates());
                if (item.isProgress() && item.source().messageGroupId() == null) {
                    String key = item.channel() + "/" + item.contentId();
                    assertTrue(newest.get(key) == item, "the published item is the newest for " + key);
                    assertEquals(1, published.merge(key, 1, Integer::sum), "one progress item per channel and content");
                    for (SyncItem superseded : planned.superseded()) {
                        assertTrue(notOlder(item, superseded));
                    }
                }
            }
        }
        newest.forEach((key, item) -> assertTrue(carried.contains(item), "the newest for " + key + " is published or rides along"));
    }

    /** Amendment 19, written out apart from the planner's ProgressOrder: is {@code a} at least as new as {@code b}? */
    private static boolean notOlder(SyncItem a, SyncItem b) {
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp();
        }
        int device = java.util.Arrays.compare(a.deviceId().codePoints().toArray(), b.deviceId().codePoints().toArray());
        if (device != 0) {
            return device > 0;
        }
        return java.util.Arrays.compare(a.messageId().codePoints().toArray(), b.messageId().codePoints().toArray()) >= 0;
    }

    @Test
    void fifoGroupsCoalesceOnlyUnbrokenRuns() {
        qt().withExamples(100).forAll(lists().of(integers().between(0, 3)).ofSizeBetween(0, 120))
                .checkAssert(PlannerPropertiesTest::fifoItemsStandForConsecutiveRecords);
    }

    private static void fifoItemsStandForConsecutiveRecords(List<Integer> contents) {
        List<Update> batch = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            batch.add(new Update(0, contents.get(i) < 3, contents.get(i), i + 1, -1, 0, "g"));
        }
        PublishPlan plan = new PublishPlanner(new BatchPacker(50, 32_768, Clock.systemUTC()), true).plan(read(batch));
        for (ChannelQueue channel : plan.channels()) {
            for (PlannedItem item : channel.items()) {
                List<Integer> places = item.placeRecords().stream().map(SqsRecord::position).sorted().toList();
                for (int i = 1; i < places.size(); i++) {
                    assertEquals(places.get(i - 1) + 1, places.get(i), "a FIFO item stands for consecutive records only");
                }
            }
        }
    }
}
