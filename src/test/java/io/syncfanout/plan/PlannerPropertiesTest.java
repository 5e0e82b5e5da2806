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

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.record.SyncItem;

/** For arbitrary batches, the planner accounts for every record once and keeps every limit and order. */
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

    @Provide
    Arbitrary<List<Update>> batches() {
        Arbitrary<Update> update = Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(1, 50),
                Arbitraries.integers().between(-1, 8).map(i -> i < 4 ? -1 : i),
                Arbitraries.integers().between(0, 4_000).map(i -> i < 3_000 ? 0 : i),
                Arbitraries.of((String) null, null, "g1", "g2"))
                .as(Update::new);
        return update.list().ofMinSize(0).ofMaxSize(300);
    }

    private static List<ReadResult> read(List<Update> batch) {
        RecordReader reader = new RecordReader();
        List<ReadResult> results = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            results.add(reader.read(new SqsRecord(i, "m" + i, batch.get(i).group(), batch.get(i).body())));
        }
        return results;
    }

    @Property(tries = 300)
    void everyRecordIsAccountedForExactlyOnce(@ForAll("batches") List<Update> batch, @ForAll boolean coalesce) {
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

    @Property(tries = 300)
    void publishesKeepTheCountAndByteLimitsAndTheChannelOrder(@ForAll("batches") List<Update> batch,
            @ForAll @IntRange(min = 1, max = 60) int maxMessages, @ForAll @IntRange(min = 4_096, max = 40_000) int maxBytes) {
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

    @Property(tries = 300)
    void coalescingKeepsTheNewestProgressOnStandardQueues(@ForAll("batches") List<Update> batch) {
        List<ReadResult> read = read(batch);
        PublishPlan plan = new PublishPlanner(new BatchPacker(50, 32_768, Clock.systemUTC()), true).plan(read);

        Map<String, Long> newest = new HashMap<>();
        Map<String, Integer> published = new HashMap<>();
        Set<String> messageIdsSeen = new HashSet<>();
        for (ReadResult result : read) {
            // A repeated message_id rides on its first occurrence, whichever queue kind that was.
            if (result instanceof SyncItem item && messageIdsSeen.add(item.channel() + "/" + item.messageId())
                    && item.isProgress() && item.source().messageGroupId() == null) {
                newest.merge(item.channel() + "/" + item.contentId(), item.timestamp(), Math::max);
            }
        }
        for (ChannelQueue channel : plan.channels()) {
            for (PlannedItem planned : channel.items()) {
                SyncItem item = planned.item();
                if (item.isProgress() && item.source().messageGroupId() == null) {
                    String key = item.channel() + "/" + item.contentId();
                    assertEquals(newest.get(key), item.timestamp(), "the survivor is the newest for " + key);
                    assertEquals(1, published.merge(key, 1, Integer::sum), "one progress item per channel and content");
                    for (SyncItem superseded : planned.superseded()) {
                        assertTrue(superseded.timestamp() <= item.timestamp());
                    }
                }
            }
        }
    }

    @Property(tries = 100)
    void fifoGroupsCoalesceOnlyUnbrokenRuns(@ForAll @Size(max = 120) List<@IntRange(min = 0, max = 3) Integer> contents) {
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
