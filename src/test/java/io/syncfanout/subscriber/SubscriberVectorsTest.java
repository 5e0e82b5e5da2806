package io.syncfanout.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncfanout.plan.BatchPacker;
import io.syncfanout.plan.ChannelBatch;
import io.syncfanout.plan.ChannelQueue;
import io.syncfanout.plan.PlannedItem;
import io.syncfanout.plan.PublishPlanner;
import io.syncfanout.record.ReadResult;
import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;

/**
 * The test vectors for the people who write subscribers in other languages (docs/subscribers.md):
 * producers' updates, batched and packed by the function's own planner, delivered in a stated order
 * (duplicates included), and the state the reference subscriber ends on. The file in docs/ must be what
 * this run makes: {@code ./mvnw test -Dtest=SubscriberVectorsTest -Dvectors.write=true} rewrites it after
 * a change of the rules; docs/subscriber.test.mjs runs the JavaScript reader against it.
 */
class SubscriberVectorsTest {

    static final Path VECTORS = Path.of("docs/subscriber-vectors.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Real HLCs (milliseconds << 16): past 2^53, so a reader must compare them as 64-bit integers. */
    private static final long T = 1_796_000_000_000L << 16;
    private static final String PHONE = "\uD83D\uDCF1"; // U+1F4F1: after U+FF5E by code point, before it in UTF-16
    private static final String TILDE = "\uFF5E";

    /** One vector: SQS batches, the order their publishes reach a device in (indexes, repeats allowed). */
    private record Scenario(String name, String why, List<List<String>> batches, List<Integer> deliveryOrder) {
    }

    private static List<Scenario> scenarios() {
        String annAdd = watchlist("ann", "film-1", "Add", "tag-a", T + 1, "phone", "w-1");
        String annAdd2 = watchlist("ann", "film-2", "Add", "tag-b", T + 2, "phone", "w-2");
        String annProgress = progress("ann", "film-1", T + 3, "tv", "p-1", 600, "Playing");
        String bobAdd = watchlist("bob", "film-9", "Add", "tag-z", T + 4, "tv", "w-9");
        String older = progress("ann", "film-1", T + 10, "tv", "p-old", 100, "Playing");
        String newer = progress("ann", "film-1", T + 11, "tv", "p-new", 200, "Paused");
        String tieTv = progress("ann", "film-1", T + 20, "tv", "p-tv", 300, "Playing");
        String tiePhone = progress("ann", "film-1", T + 20, "phone", "p-phone", 310, "Playing");
        String tieTilde = progress("ann", "film-1", T + 30, TILDE, "p-tilde", 400, "Playing");
        String tiePhoneEmoji = progress("ann", "film-1", T + 30, PHONE, "p-emoji", 410, "Paused");
        String sameDevice2 = progress("ann", "film-1", T + 40, "tv", "m-2", 500, "Playing");
        String sameDevice10 = progress("ann", "film-1", T + 40, "tv", "m-10", 510, "Stopped");
        String exactLater = progress("ann", "film-1", (1L << 56) + 1, "a-tv", "p-exact-1", 700, "Playing");
        String exactEarlier = progress("ann", "film-1", 1L << 56, "z-tv", "p-exact-0", 690, "Playing");
        String remove = watchlist("ann", "film-3", "Remove", "tag-r", T + 51, "phone", "w-remove");
        String add = watchlist("ann", "film-3", "Add", "tag-r", T + 50, "tv", "w-add");
        String addAgain = watchlist("ann", "film-3", "Add", "tag-s", T + 52, "tv", "w-add-again");
        return List.of(
                new Scenario("envelopes-and-single-items",
                        "Three of ann's updates in one batch arrive as one batch envelope; bob's one update as the item itself.",
                        List.of(List.of(annAdd, annAdd2, annProgress, bobAdd)), List.of(0, 1)),
                new Scenario("redelivered-publishes-are-dropped",
                        "The same envelope and the same item arrive twice, as after a redelivery: the repeats change nothing.",
                        List.of(List.of(annAdd, annAdd2, annProgress, bobAdd)), List.of(0, 1, 0, 1)),
                new Scenario("progress-arrives-out-of-order",
                        "The newer position arrives first: the older one that follows is not applied.",
                        List.of(List.of(older), List.of(newer)), List.of(1, 0)),
                new Scenario("progress-tie-across-devices",
                        "Equal timestamps from two devices: the larger device_id wins (\"tv\" > \"phone\"), whichever arrives last.",
                        List.of(List.of(tieTv), List.of(tiePhone)), List.of(0, 1)),
                new Scenario("progress-tie-across-devices-other-order", "The same tie, delivered the other way round.",
                        List.of(List.of(tieTv), List.of(tiePhone)), List.of(1, 0)),
                new Scenario("progress-tie-outside-the-bmp",
                        "Equal timestamps; device_ids compared by code point: U+1F4F1 (a phone emoji) is larger than U+FF5E. "
                                + "UTF-16 comparison (Java's compareTo, JavaScript's <) gets this wrong.",
                        List.of(List.of(tieTilde), List.of(tiePhoneEmoji)), List.of(1, 0)),
                new Scenario("progress-tie-on-one-device",
                        "Equal timestamps and device_id: the larger message_id wins, by code point (\"m-2\" > \"m-10\").",
                        List.of(List.of(sameDevice2), List.of(sameDevice10)), List.of(0, 1)),
                new Scenario("timestamps-past-2-pow-53",
                        "Timestamps 2^56 and 2^56 + 1: equal as 64-bit floats (JavaScript's numbers), different as the integers they are. "
                                + "The later one wins although its device_id is smaller.",
                        List.of(List.of(exactLater), List.of(exactEarlier)), List.of(0, 1)),
                new Scenario("remove-before-its-add",
                        "A Remove arrives before the Add whose tag it names: the title stays off the list. A second Add with a new tag puts it on.",
                        List.of(List.of(remove), List.of(add), List.of(addAgain)), List.of(0, 1)),
                new Scenario("remove-before-its-add-then-a-new-tag", "The same, and then the Add with a new tag arrives.",
                        List.of(List.of(remove), List.of(add), List.of(addAgain)), List.of(0, 1, 2)));
    }

    @Test
    void theVectorsInDocsAreWhatTheReferenceSubscriberMakes() throws Exception {
        String made = vectors();
        if (Boolean.getBoolean("vectors.write")) {
            Files.writeString(VECTORS, made);
        }
        String checkedIn = Files.exists(VECTORS) ? Files.readString(VECTORS) : "";
        assertEquals(made, checkedIn, VECTORS + " is not what the reference subscriber makes now: if the rules changed on purpose, "
                + "rewrite it with ./mvnw test -Dtest=SubscriberVectorsTest -Dvectors.write=true");
    }

    static String vectors() throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("contract", "sync-updates v1.3 (amendment 19: one order for progress)");
        root.put("rules", "docs/subscribers.md");
        root.put("how", "Give a fresh device the deliveries in order; it must end with expected, channel by channel.");
        ArrayNode list = root.putArray("vectors");
        for (Scenario scenario : scenarios()) {
            List<ObjectNode> publishes = new ArrayList<>();
            for (List<String> batch : scenario.batches()) {
                publishes.addAll(publish(batch));
            }
            ObjectNode vector = list.addObject();
            vector.put("name", scenario.name());
            vector.put("why", scenario.why());
            ArrayNode deliveries = vector.putArray("deliveries");
            Device device = new Device();
            TreeMap<String, Boolean> channels = new TreeMap<>();
            for (int index : scenario.deliveryOrder()) {
                ObjectNode publish = publishes.get(index);
                deliveries.add(publish);
                device.receive(publish.path("channel").asText(), publish.path("message"));
                channels.put(publish.path("channel").asText(), true);
            }
            ObjectNode expected = vector.putObject("expected");
            for (String channel : channels.keySet()) {
                Device.UserState state = device.state(channel.substring("user.".length(), channel.length() - ".sync".length()));
                ObjectNode user = expected.putObject(channel);
                ArrayNode watchlist = user.putArray("watchlist");
                state.watchlist().forEach(watchlist::add);
                ObjectNode progress = user.putObject("progress");
                for (Map.Entry<String, Device.Progress> title : state.progress().entrySet()) {
                    Device.Progress p = title.getValue();
                    progress.putObject(title.getKey()).put("timestamp", p.timestamp()).put("device_id", p.deviceId())
                            .put("message_id", p.messageId()).put("position_seconds", p.positionSeconds())
                            .put("duration_seconds", p.durationSeconds()).put("state", p.state());
                }
            }
        }
        return JSON.writeValueAsString(root) + "\n";
    }

    /** One SQS batch as the function publishes it: planned, then packed, envelopes' sent_at from a fixed clock. */
    private static List<ObjectNode> publish(List<String> bodies) throws Exception {
        BatchPacker packer = new BatchPacker(50, 32_768, Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));
        RecordReader reader = new RecordReader();
        List<ReadResult> read = new ArrayList<>();
        for (String body : bodies) {
            read.add(reader.read(new SqsRecord(read.size(), "sqs-" + read.size(), null, body)));
        }
        List<ObjectNode> publishes = new ArrayList<>();
        for (ChannelQueue channel : new PublishPlanner(packer, true).plan(read).channels()) {
            List<PlannedItem> pending = new ArrayList<>(channel.items());
            while (!pending.isEmpty()) {
                ChannelBatch batch = packer.packPrefix(channel.channel(), pending);
                ObjectNode publish = JSON.createObjectNode();
                publish.put("channel", channel.channel());
                publish.set("message", JSON.readTree(new String(batch.body(), StandardCharsets.UTF_8)));
                publishes.add(publish);
                pending.subList(0, batch.items().size()).clear();
            }
        }
        return publishes;
    }

    private static String watchlist(String user, String content, String operation, String tag, long timestamp, String device, String id) {
        return "{\"user_id\":\"" + user + "\",\"type\":\"watchlist_update\",\"device_id\":\"" + device + "\",\"timestamp\":" + timestamp
                + ",\"message_id\":\"" + id + "\",\"operation\":\"" + operation + "\",\"content_id\":\"" + content + "\",\"unique_tag\":\"" + tag
                + "\"}";
    }

    private static String progress(String user, String content, long timestamp, String device, String id, int position, String state) {
        return "{\"user_id\":\"" + user + "\",\"type\":\"progress_update\",\"device_id\":\"" + device + "\",\"timestamp\":" + timestamp
                + ",\"message_id\":\"" + id + "\",\"content_id\":\"" + content + "\",\"position_seconds\":" + position
                + ",\"duration_seconds\":7200,\"state\":\"" + state + "\"}";
    }

    /** A JsonNode, for readers that want the vectors as data. */
    static JsonNode parsed() throws Exception {
        return JSON.readTree(VECTORS.toFile());
    }
}
