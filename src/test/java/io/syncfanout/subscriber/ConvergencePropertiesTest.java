package io.syncfanout.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncfanout.plan.BatchPacker;
import io.syncfanout.plan.ChannelBatch;
import io.syncfanout.plan.ChannelQueue;
import io.syncfanout.plan.PlannedItem;
import io.syncfanout.plan.PublishPlan;
import io.syncfanout.plan.PublishPlanner;
import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;

/**
 * Every device converges (contract, amendment 19): the publishes of one history, cut into batches the
 * way the queue cuts them, some batches delivered twice (redeliveries) and every publish possibly twice,
 * reach two devices in two different orders, one with coalescing on and one with it off. Both end on the
 * same state, and it is the history's own. The histories tie on purpose: few timestamps, several devices
 * a title, device and message ids whose code point order and UTF-16 order disagree ({@code 📱}, U+1F4F1,
 * is after {@code ～}, U+FF5E, by code point, and before it in Java's {@code compareTo}).
 */
class ConvergencePropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEVICES = List.of("tv", "phone", "\uD83D\uDCF1", "\uFF5E", "\uD83D\uDCF1tv");
    private static final List<String> ID_STEMS = List.of("m", "\uFF5E", "\uD83D\uDE00");
    /** A real HLC: milliseconds of late 2026 shifted by 16, past 2^53 (JavaScript's exact integers). */
    private static final long BASE_CLOCK = 1_796_000_000_000L << 16;

    /** One producer's update; {@code resend} sends the same body again (a producer's retry, same message_id). */
    record Update(int user, boolean progress, int content, int clock, int device, int idStem, int position, boolean resend) {
        String body(int index) {
            String common = "\"user_id\":\"u" + user + "\",\"device_id\":\"" + DEVICES.get(device) + "\",\"timestamp\":" + (BASE_CLOCK + clock)
                    + ",\"content_id\":\"c" + content + "\",\"message_id\":\"" + ID_STEMS.get(idStem) + index + "\"";
            return progress
                    ? "{" + common + ",\"type\":\"progress_update\",\"position_seconds\":" + position + ",\"duration_seconds\":7200,\"state\":\"Playing\"}"
                    : "{" + common + ",\"type\":\"watchlist_update\",\"operation\":\"" + (position % 3 == 0 ? "Remove" : "Add")
                            + "\",\"unique_tag\":\"t" + (index / 2) + "\"}";
        }
    }

    static Gen<List<Update>> histories() {
        Gen<Update> update = in -> new Update(integers().between(0, 1).generate(in), integers().between(0, 3).generate(in) > 0,
                integers().between(0, 1).generate(in), integers().between(0, 3).generate(in), integers().between(0, DEVICES.size() - 1).generate(in),
                integers().between(0, ID_STEMS.size() - 1).generate(in), integers().between(0, 7_200).generate(in),
                integers().between(0, 5).generate(in) == 0);
        return lists().of(update).ofSizeBetween(1, 40);
    }

    @Test
    void twoDevicesGivenThePublishesInTwoOrdersCoalescedOrNotEndOnTheHistorysState() {
        qt().withExamples(400).forAll(histories(), integers().between(1, 12), longs().all(), booleans().all())
                .checkAssert(ConvergencePropertiesTest::converge);
    }

    private static void converge(List<Update> history, int batchSize, long seed, boolean redeliver) {
        Map<String, String> sent = new LinkedHashMap<>();
        for (int i = 0; i < history.size(); i++) {
            String body = history.get(i).body(i);
            sent.put("sqs-" + i, body);
            if (history.get(i).resend()) {
                sent.put("sqs-" + i + "-again", body);
            }
        }
        Random random = new Random(seed);
        Device coalesced = deliver(publishes(sent, batchSize, true, redeliver, random), random);
        Device uncoalesced = deliver(publishes(sent, batchSize, false, redeliver, random), random);
        Device expected = Expected.from(sent);

        for (String user : List.of("u0", "u1")) {
            assertEquals(expected.state(user), coalesced.state(user), user + ", coalescing on, in one order");
            assertEquals(expected.state(user), uncoalesced.state(user), user + ", coalescing off, in another");
        }
    }

    /** What PubNub gets: each batch of the queue read and planned, packed as the function packs it. */
    static List<Published> publishes(Map<String, String> sent, int batchSize, boolean coalesce, boolean redeliver, Random random) {
        RecordReader reader = new RecordReader();
        BatchPacker packer = new BatchPacker(50, 32_768, Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));
        PublishPlanner planner = new PublishPlanner(packer, coalesce);
        List<Map.Entry<String, String>> records = new ArrayList<>(sent.entrySet());
        List<Published> published = new ArrayList<>();
        for (int from = 0; from < records.size(); from += batchSize) {
            List<ReadResult> read = new ArrayList<>();
            List<Map.Entry<String, String>> batch = records.subList(from, Math.min(records.size(), from + batchSize));
            for (int i = 0; i < batch.size(); i++) {
                read.add(reader.read(new SqsRecord(i, batch.get(i).getKey(), null, batch.get(i).getValue())));
            }
            PublishPlan plan = planner.plan(read);
            // A redelivered batch is planned and published again: the same message_ids, envelopes included.
            int times = redeliver && random.nextInt(3) == 0 ? 2 : 1;
            for (int t = 0; t < times; t++) {
                for (ChannelQueue channel : plan.channels()) {
                    List<PlannedItem> pending = new ArrayList<>(channel.items());
                    while (!pending.isEmpty()) {
                        ChannelBatch publish = packer.packPrefix(channel.channel(), pending);
                        published.add(new Published(channel.channel(), read(publish.body())));
                        pending.subList(0, publish.items().size()).clear();
                    }
                }
            }
        }
        return published;
    }

    /** A device that gets them shuffled, each maybe twice. */
    private static Device deliver(List<Published> publishes, Random random) {
        List<Published> arriving = new ArrayList<>(publishes);
        for (Published p : publishes) {
            if (random.nextInt(4) == 0) {
                arriving.add(p);
            }
        }
        Collections.shuffle(arriving, random);
        Device device = new Device();
        arriving.forEach(p -> device.receive(p.channel(), p.message()));
        return device;
    }

    record Published(String channel, JsonNode message) {
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The ids are compared as the contract says: not in Java's UTF-16 order. */
    @Test
    void theGeneratedIdsDisagreeBetweenCodePointAndUtf16Order() {
        String phone = DEVICES.get(2);
        String tilde = DEVICES.get(3);
        assertEquals(true, phone.compareTo(tilde) < 0, "UTF-16 puts the surrogate pair first");
        assertEquals(true, phone.codePointAt(0) > tilde.codePointAt(0), "by code point it comes after");
        assertEquals(new TreeSet<>(List.of(phone, tilde)).first(), phone);
    }
}
