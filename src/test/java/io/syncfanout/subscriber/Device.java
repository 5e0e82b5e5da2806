package io.syncfanout.subscriber;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A reference subscriber: a device listening on users' channels and applying what arrives by the
 * contract's subscriber rules. It unpacks batch envelopes, drops a {@code message_id} it has seen on
 * the channel (a redelivery's duplicate), keeps each title's progress by last-writer-wins in contract
 * amendment 19's order (the larger {@code timestamp}, then {@code device_id}, then {@code message_id},
 * strings by code point), and keeps the watchlist as an OR-Set: an {@code Add} puts its {@code unique_tag}
 * on the title, a {@code Remove} takes away the tag it names, whichever arrives first, and a title is
 * on the list while it holds a tag not removed.
 */
public final class Device {

    /** A title's playback position, as the newest update put it, and which update that was. */
    public record Progress(long timestamp, String deviceId, String messageId, long positionSeconds, long durationSeconds, String state) {

        /** Amendment 19, written here on its own: the product's ProgressOrder is what this subscriber checks. */
        boolean newerThan(Progress other) {
            if (timestamp != other.timestamp) {
                return timestamp > other.timestamp;
            }
            int byDevice = byCodePoint(deviceId, other.deviceId);
            return byDevice != 0 ? byDevice > 0 : byCodePoint(messageId, other.messageId) > 0;
        }

        /** UTF-8 bytes compare as code points do; UTF-16 units (String.compareTo) do not past the BMP. */
        private static int byCodePoint(String a, String b) {
            return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
        }
    }

    /** What a device shows for one user. */
    public record UserState(Set<String> watchlist, Map<String, Progress> progress) {
    }

    private final Map<String, Set<String>> seenIds = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> addedTags = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> removedTags = new HashMap<>();
    private final Map<String, Map<String, Progress>> progress = new HashMap<>();
    private final List<String> duplicatesDropped = new ArrayList<>();

    /** A device that has received everything PubNub accepted, in that order. */
    public static Device after(List<Delivered> delivered) {
        Device device = new Device();
        delivered.forEach(d -> device.receive(d.channel(), d.message()));
        return device;
    }

    public void receive(String channel, JsonNode message) {
        if (!seenIds.computeIfAbsent(channel, c -> new HashSet<>()).add(message.path("message_id").asText())) {
            duplicatesDropped.add(channel + " " + message.path("message_id").asText());
            return;
        }
        if ("batch".equals(message.path("type").asText())) {
            for (JsonNode item : message.path("messages")) {
                receive(channel, item);
            }
            return;
        }
        String content = message.path("content_id").asText();
        switch (message.path("type").asText()) {
            case "watchlist_update" -> {
                var tags = ("Remove".equals(message.path("operation").asText()) ? removedTags : addedTags);
                tags.computeIfAbsent(channel, c -> new HashMap<>()).computeIfAbsent(content, c -> new HashSet<>())
                        .add(message.path("unique_tag").asText());
            }
            case "progress_update" -> {
                Progress update = new Progress(message.path("timestamp").asLong(), message.path("device_id").asText(),
                        message.path("message_id").asText(), message.path("position_seconds").asLong(),
                        message.path("duration_seconds").asLong(), message.path("state").asText());
                progress.computeIfAbsent(channel, c -> new HashMap<>())
                        .merge(content, update, (kept, arrived) -> arrived.newerThan(kept) ? arrived : kept);
            }
            default -> throw new AssertionError("a message a subscriber cannot decode on " + channel + ": " + message);
        }
    }

    /** What this device shows for the user of {@code user.{userId}.sync}. */
    public UserState state(String userId) {
        String channel = "user." + userId + ".sync";
        Set<String> watchlist = new java.util.TreeSet<>();
        Map<String, Set<String>> removed = removedTags.getOrDefault(channel, Map.of());
        addedTags.getOrDefault(channel, Map.of()).forEach((content, tags) -> {
            Set<String> live = new HashSet<>(tags);
            live.removeAll(removed.getOrDefault(content, Set.of()));
            if (!live.isEmpty()) {
                watchlist.add(content);
            }
        });
        return new UserState(watchlist, new TreeMap<>(progress.getOrDefault(channel, Map.of())));
    }

    /** Repeated message_ids this device dropped, as {@code channel message_id}. */
    public List<String> duplicatesDropped() {
        return List.copyOf(duplicatesDropped);
    }
}
